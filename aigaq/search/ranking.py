"""Ranking a person search's candidates: a cheap string ratio cuts them to a shortlist, then
aigaq.names.similarity scores each against the query (exact spellings first, the same names
in swapped roles next, then close variants, then partial names). No database here."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.utils.translation import gettext_lazy as _
from rapidfuzz.fuzz import token_sort_ratio

from aigaq.names import SAME_PERSON_THRESHOLD, role_relation, similarity
from aigaq.names.similarity import SAME, SWAPPED
from aigaq.search.query import Reading

#: Hits scoring below this are dropped (noise from one shared common name part).
MIN_SCORE = 0.45
#: Candidates re-ranked with the (costly) similarity, best by shared keys first.
RERANK = 40
#: The score of a name whose parts are the query's in swapped roles (the query's father's
#: name as the own name): likely a son or a father of the person sought, not that person.
SWAPPED_ROLES = 0.97

#: Why a person was found (the codes a hit carries until it is shown).
ENTRY, ID, EXACT, VARIANT, PARTIAL = "entry", "id", "exact", "variant", "partial"
SWAPPED_NAMES = "swapped"
#: The reasons found by name: their hit names the name behind the best comparison form.
BY_NAME = (EXACT, SWAPPED_NAMES, VARIANT, PARTIAL)
REASONS = {
    ENTRY: _("entry number"),
    ID: _("Chinese ID number"),
    EXACT: _("exact name"),
    SWAPPED_NAMES: _("same names, father and son swapped"),
    VARIANT: _("spelling variant"),
    PARTIAL: _("partial name"),
}


class Score(NamedTuple):
    """How well one person's names fit the query: the score, the comparison form that fits
    best, why (a reason code), and whether that form is the query as typed (up to folding,
    any script). ``typed`` breaks ties between exact names: Асхат Мұратжан typed finds
    Асхат Мұратжан before Асхат Мұратжанов, both 1.0 (the same names in the same roles)."""

    score: float
    form: str
    reason: str
    typed: bool = False

    def rank_key(self) -> tuple[float, bool]:
        """Sort key, best first: the score, then the form typed before the others."""
        return (-self.score, not self.typed)


def score(query: str, cmp: str, forms: list[str]) -> Score:
    """The score of one person's comparison forms against the query.

    Scored on the stored folded forms (cheap to parse), not on the original names. A form
    with the query's parts in the same roles is exact (1.0): Асхат Мұратжан finds Асхат
    Мұратжанұлы as surely as Асхат Мұратжан (the form as typed is marked ``typed``, and ranks
    first among them). The same parts in swapped roles (Мұратжан
    Асхатұлы, his son or father) score SWAPPED_ROLES: above spelling variants, below every
    person who holds the name as typed."""
    qparts = cmp.split()
    compact = cmp.replace(" ", "")
    best = Score(0.0, forms[0] if forms else "", VARIANT)
    for form in forms:
        if form.split() == qparts:
            return Score(1.0, form, EXACT, typed=True)
    for form in forms:
        relation = role_relation(cmp, form)
        if relation == SAME:
            return Score(1.0, form, EXACT)
        if relation == SWAPPED:
            if best.score < SWAPPED_ROLES:
                best = Score(SWAPPED_ROLES, form, SWAPPED_NAMES)
            continue
        sim = similarity(query, form)
        if sim >= SAME_PERSON_THRESHOLD and role_relation(cmp, form, spelt=True) == SWAPPED:
            # The same two names spelt otherwise, in swapped roles (pinyin against the
            # characters' reading): scored as swapped, not as the similarity blind to order.
            sim = min(sim, SWAPPED_ROLES)
            if sim > best.score:
                best = Score(sim, form, SWAPPED_NAMES)
            continue
        reason = VARIANT
        if len(compact) >= 2 and (cmp in form or compact in form):
            # A partial name: the longer the part typed, the closer to the top.
            partial = 0.5 + 0.4 * min(1.0, len(compact) / max(1, len(form.replace(" ", ""))))
            if partial > sim:
                sim, reason = partial, PARTIAL
            # Containing what was typed beats a merely similar name ("Қайсар Д" prefers
            # Қайсар Дәулетұлы to Қайсар Бекұлы), never an exact name.
            sim = min(0.95, sim + 0.05)
        if sim > best.score:
            best = Score(sim, form, reason)
    return best


def score_best(readings: list[Reading], forms: list[str]) -> Score:
    """The score of the reading of the query that fits these forms best (one reading is
    scored: the one with the best cheap string ratio)."""
    if len(readings) == 1:
        return score(readings[0].text, readings[0].cmp, forms)
    best = max(
        readings,
        key=lambda r: max((token_sort_ratio(r.cmp, f) for f in forms), default=0.0),
    )
    return score(best.text, best.cmp, forms)


def shortlist(cmps: list[str], ids: list[Any], forms: dict[Any, list[str]], size: int) -> list[Any]:
    """The ``size`` candidates whose forms look most like the query (rapidfuzz token-sort
    ratio, computed in C, best over the query's readings ``cmps``), keeping the key order
    among equals."""
    if len(ids) <= size:
        return ids
    rank = {pid: i for i, pid in enumerate(ids)}
    best: dict[Any, float] = {}
    for pid in ids:
        best[pid] = max(
            (token_sort_ratio(c, f) for f in forms.get(pid, ()) for c in cmps), default=0.0
        )
    return sorted(ids, key=lambda pid: (-best[pid], rank[pid]))[:size]
