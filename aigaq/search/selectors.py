"""Search: persons by any name form in any script, and places of the gazetteer. The entry
points the interfaces, the features and the commands call; the work is done in

* ``query.py``: the query cleaned and read (entry number, Chinese ID number, the ways to read
  a name written without separator) - no database;
* ``filters.py``: what the search starts from (what aigaq.disclosure lets the reader see) and
  the list filters;
* ``candidates.py``: the index lookups (match keys, substrings, bridge keys), checked against
  the reader's sight and the filters;
* ``ranking.py``: the shortlist and the scores (aigaq.names.similarity) - no database;
* ``places.py``: places by name.

How a person query runs (see docs/search.md and docs/decisions/0005-search-index.md):

1. The query is cut to ``MAX_QUERY_CHARS`` and cleaned (aigaq.names.normalize drops emoji,
   zero-width joiners and direction marks).
2. An entry number ("#123", "123") and, for users allowed restricted data, a Chinese ID
   number are looked up directly.
3. Candidates come from the match-key index (search_namekey: persons sharing keys with the
   query, whole-name keys weighing more than per-part keys), and, for partial names of 3 or
   more letters, from the substring index (FTS5 trigram / pg_trgm) over comparison forms.
   Every step is an index lookup with a LIMIT: no query ever scans the person table.
4. Candidates are re-ranked with aigaq.names.similarity: exact spellings first, then close
   variants, then partial matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from aigaq.core import audit
from aigaq.core.permissions import has_cap
from aigaq.names import SAME_PERSON_THRESHOLD, normalize, to_comparison
from aigaq.people.models import Person
from aigaq.search import candidates
from aigaq.search.filters import (
    FILTER_KEYS,
    SYSTEM,
    Years,
    apply_filters,
    filters_from,
    home_ids,
    live_persons,
    narrows_beyond_years,
    years_filter,
)
from aigaq.search.places import PlaceHit, search_places
from aigaq.search.query import (
    CHINESE_ID,
    ENTRY_NO,
    MAX_LIMIT,
    MAX_QUERY_CHARS,
    Reading,
    clean_query,
    last_part_keys,
    readings,
)
from aigaq.search.ranking import (
    BY_NAME,
    ENTRY,
    ID,
    MIN_SCORE,
    REASONS,
    RERANK,
    Score,
    score_best,
    shortlist,
)

__all__ = [
    "FILTER_KEYS",
    "MAX_QUERY_CHARS",
    "SYSTEM",
    "Hit",
    "PersonSearch",
    "PlaceHit",
    "Ranking",
    "apply_filters",
    "clean_query",
    "filters_from",
    "person_ranking",
    "person_search",
    "person_search_ranked",
    "search_persons",
    "search_places",
]


@dataclass
class Hit:
    person: Person
    score: float
    matched_name: str
    reason: str
    names: list[str] = field(default_factory=list)
    #: The name matched as typed (up to folding): ranks first among equal scores.
    typed: bool = False


def search_persons(
    *,
    user: Any,
    query: str,
    filters: Mapping[str, Any] | None = None,
    limit: int = 20,
    explained: bool = True,
) -> list[Hit]:
    """Persons matching ``query`` that ``user`` may see, best first (at most ``limit``).

    ``query`` may be any name form in any script, part of a name, an entry number ("#123"),
    or, for users with restricted.read only, a Chinese ID number. Merged-away persons never
    appear. ``filters``: see :func:`apply_filters`. Never raises on odd input.
    ``explained=False``: the hits without their names, matched name in full and reason in
    words, for a page that shows none of these (the public list: reading 200 hits' names
    was about a sixth of its search time at 1,000,000 entries); the persons found by name
    then hold their primary key and entry number only (reading up to 400 whole persons was
    about a quarter of what remained)."""
    limit = max(1, min(int(limit or 20), MAX_LIMIT))
    q = clean_query(query)
    if not q:
        return []
    homes = home_ids(filters)
    base = apply_filters(live_persons(user), filters, hometowns=homes)
    hits: dict[Any, Hit] = {hit.person.pk: hit for hit in _direct_hits(q, base, user, limit)}
    if normalize(q):
        found = _name_hits(
            q,
            base,
            filters=narrows_beyond_years(filters),
            restricted=user is not SYSTEM,
            limit=limit,
            years=years_filter(filters),
            homes=homes,
            whole=explained,
        )
        for hit in found:
            hits.setdefault(hit.person.pk, hit)
    ranked = sorted(hits.values(), key=lambda h: (-h.score, not h.typed, -h.person.entry_no))[
        :limit
    ]
    return _shown(ranked) if explained else ranked


def _direct_hits(q: str, base: QuerySet[Person], user: Any, limit: int) -> list[Hit]:
    """The entry with the number typed, and (for users allowed restricted data: each reading
    audited) the persons with the Chinese ID number typed."""
    out = []
    number = ENTRY_NO.match(q)
    if number:
        person = base.filter(entry_no=int(number.group(1))).first()
        if person is not None:
            out.append(Hit(person, 1.0, person.primary_name, ENTRY, typed=True))
    compact_id = q.replace(" ", "")
    if CHINESE_ID.match(compact_id) and user is not SYSTEM and has_cap(user, "restricted.read"):
        for person in base.filter(chinese_id=compact_id.upper())[:limit]:
            out.append(Hit(person, 1.0, person.primary_name, ID, typed=True))
            audit.record_read(actor=user, obj=person, fields=["chinese_id"], person_id=person.pk)
    return out


def _shown(ranked: list[Hit]) -> list[Hit]:
    """The hits as shown: each with the person's names, the name behind the comparison form
    that matched, and the reason in words."""
    if not ranked:
        return []
    names = candidates.names_of([h.person.pk for h in ranked])
    out = []
    for h in ranked:
        own = names.get(h.person.pk, [])
        matched = h.matched_name
        if h.reason in BY_NAME:  # the name behind the best comparison form
            matched = next((n for n in own if to_comparison(n) == matched), h.person.primary_name)
        reason = str(REASONS.get(h.reason, h.reason))
        out.append(replace(h, names=own, matched_name=matched, reason=reason))
    return out


def _name_hits(
    q: str,
    base: QuerySet[Person],
    *,
    filters: bool,
    restricted: bool,
    limit: int,
    years: Years | None = None,
    homes: list[Any] | None = None,
    whole: bool = True,
) -> list[Hit]:
    """Name hits of ``q`` among ``base``, best first (at most ``limit`` * 2). ``filters``,
    ``restricted``, ``years``, ``homes``: see :func:`aigaq.search.candidates.by_keys`.
    ``whole=False``: the hits' persons hold only their primary key and entry number."""
    read = readings(q)
    main = read[0]
    if not main.keys and not main.cmp:
        return []
    size = max(RERANK, limit * 2)
    found = candidates.by_keys(
        read,
        base,
        size=size,
        limit=limit,
        filters=filters,
        restricted=restricted,
        years=years,
        homes=homes,
    )
    scored = {pid: score_best(read, found.forms[pid]) for pid in found.ids if found.forms.get(pid)}
    if _wants_substrings(q, main, found, scored, limit):
        scored.update(_substring_scores(read, base, exclude=scored, size=size))
    keep = sorted(
        ((pid, s) for pid, s in scored.items() if s.score >= MIN_SCORE),
        key=lambda i: i[1].rank_key(),
    )[: limit * 2]
    if not keep:
        return []
    # Only the best few become Hit objects (one query for them, one for their names).
    rows = Person.objects.filter(pk__in=[pid for pid, _ in keep])
    persons = {candidates.db_id(p.pk): p for p in (rows if whole else rows.only("entry_no"))}
    return [
        Hit(persons[pid], round(s.score, 4), s.form, s.reason, typed=s.typed)
        for pid, s in keep
        if pid in persons
    ]


def _wants_substrings(
    q: str, main: Reading, found: candidates.Shortlist, scored: Mapping[Any, Score], limit: int
) -> bool:
    """Whether a partial name should also be looked up in the substring index: when the keys
    found no strong match or too few, unless the last word typed is a whole name part that
    the keys found (then "every Juma" is already there, and the substring search would only
    add "Jumabek" at the cost of scanning a long trigram posting)."""
    strong = sum(1 for s in scored.values() if s.score >= SAME_PERSON_THRESHOLD)
    last_complete = bool(last_part_keys(q) & found.hit_keys)
    enough = len(found.ids) >= limit
    compact = main.cmp.replace(" ", "")
    return (
        (strong == 0 or not enough)
        and len(compact) >= candidates.MIN_SUBSTRING
        and not (last_complete and enough)
    )


def _substring_scores(
    read: list[Reading], base: QuerySet[Person], *, exclude: Mapping[Any, Score], size: int
) -> dict[Any, Score]:
    """Scores of the persons holding the query in a name form, not among ``exclude``."""
    extra = [
        pid for pid in candidates.substring_candidates(read[0].cmp, base) if pid not in exclude
    ]
    forms = candidates.forms_of(extra)
    extra = shortlist(candidates.comparison_forms(read), extra, forms, size)
    return {pid: score_best(read, forms[pid]) for pid in extra if forms[pid]}


#: Hits within this much of the best score are "as good as the best" (namesakes whose
#: records hold other subsets of the same name's forms score a little apart).
EQUAL_BEST_MARGIN = 0.02


@dataclass
class Ranking:
    """A name search as a list page shows it: the persons in rank order, each one's hit (why
    it matched), and how many match about as well as the first."""

    persons: QuerySet[Person]
    hits: dict[Any, Hit]
    #: Hits within EQUAL_BEST_MARGIN of the best score: more than one means the name alone
    #: does not tell these entries apart (namesakes, or one person entered twice).
    equal_best: int
    #: Whether the search stopped at its limit (there may be more such entries).
    at_limit: bool


def person_ranking(
    *,
    user: Any,
    query: str,
    filters: Mapping[str, Any] | None = None,
    limit: int = MAX_LIMIT,
    explained: bool = True,
) -> Ranking:
    """:func:`search_persons` for a paginated list: the hits as a queryset in rank order."""
    found = search_persons(
        user=user, query=query, filters=filters, limit=limit, explained=explained
    )
    if not found:
        return Ranking(Person.objects.none(), {}, 0, False)
    order = Case(
        *[When(pk=h.person.pk, then=Value(i)) for i, h in enumerate(found)],
        output_field=IntegerField(),
    )
    persons = Person.objects.filter(pk__in=[h.person.pk for h in found]).order_by(order)
    best = found[0].score
    equal = sum(1 for h in found if h.score >= best - EQUAL_BEST_MARGIN)
    at_limit = len(found) >= min(limit, MAX_LIMIT)
    return Ranking(persons, {h.person.pk: h for h in found}, equal, at_limit)


@dataclass
class PersonSearch:
    """The persons list's answer: the persons in list order and, for a name query, each
    one's search hit (:class:`Hit`: score, matched name, reason) and how many entries match
    the name about as well as the first (see :class:`Ranking`)."""

    persons: QuerySet[Person]
    hits: Mapping[Any, Hit] = field(default_factory=dict)
    equal_best: int = 0
    at_limit: bool = False


def person_search_ranked(
    *, user: Any, query: str = "", filters: Mapping[str, Any] | None = None
) -> PersonSearch:
    """The persons list: what `user` may see, matching `query`, narrowed by `filters`.

    This is the one entry point the staff list calls. A query goes to the multi-script search
    (any name form in any script, partial names, entry numbers; ranked, best first); without
    one, the list is newest first. `filters`: those of :func:`apply_filters`, all optional:
    status (a StatusKind value), ethnicity, place (a Place: it and everything inside it), tag
    (a Tag slug), grade (an EvidenceGrade value), born_from and born_to (years; a range
    overlapping them matches).
    """
    q = " ".join((query or "").split())
    if q:
        ranking = person_ranking(user=user, query=q, filters=filters)
        persons = ranking.persons.select_related("hometown").prefetch_related("names", "tags")
        return PersonSearch(persons, ranking.hits, ranking.equal_best, ranking.at_limit)
    qs = persons_listed(user=user, filters=filters)
    return PersonSearch(
        qs.select_related("hometown").prefetch_related("names", "tags").order_by("-entry_no")
    )


def persons_listed(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Person]:
    """The persons list with no query: what `user` may see narrowed by `filters` (those of
    :func:`person_search_ranked`), unordered and with nothing joined, for a reader that
    picks its own columns (the API's keyset pages)."""
    return apply_filters(live_persons(user), filters)


def person_search(
    *, user: Any, query: str = "", filters: Mapping[str, Any] | None = None
) -> QuerySet[Person]:
    """The persons of :func:`person_search_ranked` (for pickers and short lists)."""
    return person_search_ranked(user=user, query=query, filters=filters).persons
