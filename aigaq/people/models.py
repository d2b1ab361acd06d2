"""Persons (victims), their names, their status timeline, sources, places (the gazetteer)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import BaseModel, Visibility
from aigaq.core.validators import NOTE_MAX, TEXT_MAX, TextLimit, validate_web_url

#: The name a place shows in each interface language: the first of these name languages
#: (PlaceName.lang) it has. A language not listed, or a place without such a name, shows `name`.
PLACE_NAME_FOR_LANGUAGE: dict[str, tuple[str, ...]] = {
    "kk": ("kk_cyrl", "kk"),
    "ru": ("ru",),
    "en": ("en",),
    "zh-hans": ("zh",),
}


class Place(BaseModel):
    """A place of the gazetteer: country, region, prefecture, county, city, town, village."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Region")
        PREFECTURE = "prefecture", _("Prefecture")
        COUNTY = "county", _("County")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        TOWN = "town", _("Town")
        VILLAGE = "village", _("Village")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("The name shown in lists."))
    # Materialised path of codes ("/cn/cn-xj/cn-xj-ili/…/") so "this place and everything
    # inside it" is one indexed prefix filter.
    path = models.CharField(max_length=1000, db_index=True, editable=False, default="")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    # {"kk": "Құлжа қаласы", "ru": "Кульджа", ...}: derived from the names (PLACE_NAME_FOR_LANGUAGE)
    # by people.services.place_local_names, so a page shows a place without reading its names.
    local_names = models.JSONField(
        _("name in each interface language"), default=dict, blank=True, editable=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def name_in(self, language: str | None = None) -> str:
        """The place's name in ``language`` (default: the page's), else the name shown in lists."""
        language = language or get_language() or settings.LANGUAGE_CODE
        return str(self.local_names.get(language) or self.name)

    def __str__(self) -> str:
        return self.name_in()


class PlaceName(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=200)
    lang = models.CharField(_("language/script"), max_length=20, blank=True)

    class Meta:
        indexes = [models.Index(fields=["name"])]
        constraints = [
            models.UniqueConstraint(fields=["place", "name", "lang"], name="uniq_place_name")
        ]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """Topics such as imam, student, businessman; used for dossiers and conferences."""

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    label = models.CharField(_("label"), max_length=100)

    class Meta:
        ordering = ["label"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.label


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Unknown")


class Ethnicity(models.TextChoices):
    # "Kazakh", "Uyghur", "Kyrgyz", "Uzbek" are also language names (settings.LANGUAGES, a
    # testimony's language): the context gives the people its own word (Қазақ / Қазақша).
    KAZAKH = "kazakh", pgettext_lazy("ethnicity", "Kazakh")
    UYGHUR = "uyghur", pgettext_lazy("ethnicity", "Uyghur")
    KYRGYZ = "kyrgyz", pgettext_lazy("ethnicity", "Kyrgyz")
    HUI = "hui", _("Hui (Dungan)")
    UZBEK = "uzbek", pgettext_lazy("ethnicity", "Uzbek")
    TATAR = "tatar", _("Tatar")
    TAJIK = "tajik", _("Tajik")
    MONGOL = "mongol", _("Mongol")
    HAN = "han", _("Han")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class EvidenceGrade(models.TextChoices):
    REPORTED = "reported", _("Reported")
    PARTLY_VERIFIED = "partly_verified", _("Partly verified")
    CORROBORATED = "corroborated", _("Corroborated")
    DOCUMENTED = "documented", _("Documented by official papers")


#: The index search checks its candidates in (Person.Meta.indexes; search.candidates.visible).
PERSON_FILTER_INDEX = "people_person_filter_cover"
#: (hometown, id): the persons of a place read from one stretch of an index, without their
#: rows (aigaq.search.candidates reads a small place's persons this way; decision 0005).
PERSON_HOME_INDEX = "people_person_home"


class Person(BaseModel):
    """One entry per person (a victim). Names live in PersonName; status in StatusEvent."""

    RESTRICTED_FIELDS = frozenset({"chinese_id"})

    entry_no = models.PositiveIntegerField(_("entry number"), unique=True, editable=False)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN
    )
    birth_year = models.PositiveSmallIntegerField(
        _("born (year, or earliest)"), null=True, blank=True
    )
    birth_year_max = models.PositiveSmallIntegerField(
        _("born (latest year)"), null=True, blank=True
    )
    ethnicity = models.CharField(
        _("ethnicity"), max_length=20, choices=Ethnicity.choices, default=Ethnicity.UNKNOWN
    )
    citizenships = models.JSONField(_("citizenships"), default=list, blank=True)
    chinese_id = models.CharField(_("Chinese ID number"), max_length=18, blank=True)
    hometown = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="natives",
        verbose_name=_("hometown"),
        db_index=False,  # PERSON_HOME_INDEX below leads with it
    )
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "media.MediaFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("photo"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="persons", verbose_name=_("tags"))
    evidence_grade = models.CharField(
        _("evidence grade"),
        max_length=20,
        choices=EvidenceGrade.choices,
        default=EvidenceGrade.REPORTED,
    )
    biography = models.TextField(_("biography"), blank=True, validators=[TextLimit(TEXT_MAX)])
    # Denormalised for lists; always recomputed from the names and the timeline by services.
    primary_name = models.CharField(_("name"), max_length=300, blank=True, editable=False)
    current_status = models.CharField(
        _("current status"), max_length=30, blank=True, editable=False, db_index=True
    )
    # The year of the earliest dated detention in the timeline (DETENTION_KINDS), derived with
    # the current status: the statistics count ages and years of detention from it without a
    # subquery per person.
    first_detained_year = models.PositiveSmallIntegerField(
        _("first detained in"), null=True, blank=True, editable=False
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        editable=False,
    )

    class Meta:
        ordering = ["-entry_no"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["ethnicity"]),
            models.Index(fields=["evidence_grade"]),
            models.Index(fields=["birth_year"]),
            # Search checks its candidates by primary key against the user's visibility and
            # the list filters (aigaq.search.candidates.visible): with every column those
            # conditions read in one index keyed by id, each check is one index lookup, not a
            # read of the person's row (3.5x faster at 1,000,000 persons; decision 0005).
            models.Index(
                fields=[
                    "id",
                    "merged_into",
                    "visibility",
                    "hometown",
                    "birth_year",
                    "birth_year_max",
                    "current_status",
                    "ethnicity",
                    "evidence_grade",
                ],
                name=PERSON_FILTER_INDEX,
            ),
            models.Index(fields=["hometown", "id"], name=PERSON_HOME_INDEX),
        ]

    def __str__(self) -> str:
        return f"#{self.entry_no} {self.primary_name}"


class PersonName(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Official")
        TRANSLITERATION = "transliteration", _("Transliteration")
        ALIAS = "alias", _("Alias")
        CHINESE = "chinese", _("Chinese rendering")

    class Script(models.TextChoices):
        """The values of aigaq.names.detect_script, with labels for the pages."""

        LATIN = "latin", _("Latin")
        CYRILLIC = "cyrillic", _("Cyrillic")
        ARABIC = "arabic", _("Arabic script")
        HAN = "han", _("Chinese characters")
        MIXED = "mixed", _("Mixed scripts")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    full_name = models.CharField(_("full name"), max_length=300)
    script = models.CharField(_("script"), max_length=20, blank=True, choices=Script.choices)
    lang = models.CharField(_("language"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OFFICIAL)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["full_name"])]

    def __str__(self) -> str:
        return self.full_name


class Source(BaseModel):
    class Kind(models.TextChoices):
        VIDEO = "video", _("Video testimony")
        ARTICLE = "article", _("News article")
        OFFICIAL = "official", _("Official document")
        LEAK = "leak", _("Leaked list")
        INTERVIEW = "interview", _("Own interview")
        OTHER = "other", _("Other")

    class Reliability(models.TextChoices):
        UNKNOWN = "unknown", _("Unknown")
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(
        _("address (URL)"), max_length=1000, blank=True, validators=[validate_web_url]
    )
    reliability = models.CharField(
        _("reliability"), max_length=20, choices=Reliability.choices, default=Reliability.UNKNOWN
    )
    date_text = models.CharField(_("date"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True, validators=[TextLimit(TEXT_MAX)])
    media = models.ForeignKey(
        "media.MediaFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    persons = models.ManyToManyField(Person, blank=True, related_name="sources")

    class Meta:
        ordering = ["title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title


#: The kinds of status event that are a detention (the year of the first one is
#: Person.first_detained_year; the public statistics and petitions count from them).
DETENTION_KINDS = frozenset({"detained", "camp", "prison", "house_arrest", "forced_labour"})


class StatusKind(models.TextChoices):
    LOST_CONTACT = "lost_contact", _("Lost contact")
    DETAINED = "detained", _("Detained")
    CAMP = "camp", _("Re-education camp")
    PRISON = "prison", _("Prison")
    RELEASED = "released", _("Released")
    HOUSE_ARREST = "house_arrest", _("House arrest / residential surveillance")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    EXIT_BAN = "exit_ban", _("Exit ban / passport confiscated")
    CAMP_WORK = "camp_work", _("Coerced to work in a camp")
    RETURNED = "returned", _("Returned to Kazakhstan")
    DIED = "died", _("Died")
    OTHER = "other", _("Other")


class StatusEvent(BaseModel):
    """One dated report about a person's situation. Conflicting reports stand side by side."""

    class Report(models.TextChoices):
        REPORTED = "reported", _("Reported")
        CONFIRMED = "confirmed", _("Confirmed")
        OFFICIAL_CLAIM = "official_claim", _("Official statement")
        OFFICIAL_DENIAL = "official_denial", _("Official denial")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("status"), max_length=20, choices=StatusKind.choices)
    report = models.CharField(
        _("kind of report"), max_length=20, choices=Report.choices, default=Report.REPORTED
    )
    date_text = models.CharField(_("date"), max_length=60, blank=True)
    date_start = models.DateField(null=True, blank=True, editable=False)
    date_end = models.DateField(null=True, blank=True, editable=False)
    place = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("place"),
    )
    facility = models.CharField(_("facility"), max_length=300, blank=True)
    sentence = models.CharField(_("sentence"), max_length=200, blank=True)
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("source"),
    )
    testimony = models.ForeignKey(
        "testimonies.Testimony",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("testimony"),
    )
    # Where the report was read or heard when it is neither a testimony nor a recorded source
    # ("Radio Azattyq, 2019-05-02", "a list shown at the desk").
    source_text = models.CharField(_("other source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True, validators=[TextLimit(NOTE_MAX)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date_start", "created_at"]
        verbose_name = _("status event")
        verbose_name_plural = _("status events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date_text}".strip()


class PersonRelation(BaseModel):
    """Family ties between persons in the database (e.g. three brothers detained)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relations_out")
    relative = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relations_in")
    relationship = models.CharField(_("relationship"), max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], name="uniq_person_relative")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.relationship} {self.relative_id}"
