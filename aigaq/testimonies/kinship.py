"""How a testifier and a person a testimony concerns are related, said from either side.

`TestimonyPerson.relationship` is what the testifier IS to the person: "mother" means the
testifier is the person's mother. Pages name the tie from the side they stand on:

* beside the testifier, on the person's page: "mother of #401" (`testifier_is`);
* beside the person, on the testimony's page: "her son" (`person_is`).

The inverse takes the person's sex when it is known (son or daughter), a neutral word when it
is not (child); the possessive takes the testifier's sex, known from the relationship itself
(a mother is a woman) or from the testifier's record.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from aigaq.testimonies.models import Relationship

FEMALE, MALE, UNKNOWN = "female", "male", ""

# Kin words as they follow a possessor: "her son", "mother of #401" (Kazakh: "оның ұлы",
# "#401 анасы", with the possessive ending; Russian: "её сын", "мать #401").
KIN: dict[str, Promise] = {
    "mother": pgettext_lazy("kinship", "mother"),
    "father": pgettext_lazy("kinship", "father"),
    "parent": pgettext_lazy("kinship", "parent"),
    "son": pgettext_lazy("kinship", "son"),
    "daughter": pgettext_lazy("kinship", "daughter"),
    "child": pgettext_lazy("kinship", "child"),
    "brother": pgettext_lazy("kinship", "brother"),
    "sister": pgettext_lazy("kinship", "sister"),
    "sibling": pgettext_lazy("kinship", "brother or sister"),
    "husband": pgettext_lazy("kinship", "husband"),
    "wife": pgettext_lazy("kinship", "wife"),
    "spouse": pgettext_lazy("kinship", "spouse"),
    "uncle": pgettext_lazy("kinship", "uncle"),
    "aunt": pgettext_lazy("kinship", "aunt"),
    "uncle_or_aunt": pgettext_lazy("kinship", "uncle or aunt"),
    "nephew": pgettext_lazy("kinship", "nephew"),
    "niece": pgettext_lazy("kinship", "niece"),
    "nephew_or_niece": pgettext_lazy("kinship", "nephew or niece"),
    "grandson": pgettext_lazy("kinship", "grandson"),
    "granddaughter": pgettext_lazy("kinship", "granddaughter"),
    "grandchild": pgettext_lazy("kinship", "grandchild"),
    "grandfather": pgettext_lazy("kinship", "grandfather"),
    "grandmother": pgettext_lazy("kinship", "grandmother"),
    "grandparent": pgettext_lazy("kinship", "grandparent"),
    "in_law": pgettext_lazy("kinship", "in-law"),
    "cousin": pgettext_lazy("kinship", "cousin"),
    "neighbour": pgettext_lazy("kinship", "neighbour"),
    "other": pgettext_lazy("kinship", "relative or acquaintance"),
}

R = Relationship
# What the relationship says of the testifier's own sex.
_TESTIFIER_SEX: dict[str, str] = {
    R.MOTHER: FEMALE,
    R.DAUGHTER: FEMALE,
    R.SISTER: FEMALE,
    R.WIFE: FEMALE,
    R.AUNT: FEMALE,
    R.NIECE: FEMALE,
    R.FATHER: MALE,
    R.SON: MALE,
    R.BROTHER: MALE,
    R.HUSBAND: MALE,
    R.UNCLE: MALE,
    R.NEPHEW: MALE,
}
# The testifier's word, where it depends on the testifier's sex: (female, male, unknown).
_TESTIFIER_WORD: dict[str, tuple[str, str, str]] = {
    R.GRANDCHILD: ("granddaughter", "grandson", "grandchild"),
    R.GRANDPARENT: ("grandmother", "grandfather", "grandparent"),
}
# The person's word, seen from the testifier, by the person's sex: (female, male, unknown).
_PERSON_WORD: dict[str, tuple[str, str, str]] = {
    R.MOTHER: ("daughter", "son", "child"),
    R.FATHER: ("daughter", "son", "child"),
    R.SON: ("mother", "father", "parent"),
    R.DAUGHTER: ("mother", "father", "parent"),
    R.BROTHER: ("sister", "brother", "sibling"),
    R.SISTER: ("sister", "brother", "sibling"),
    R.HUSBAND: ("wife", "husband", "spouse"),
    R.WIFE: ("wife", "husband", "spouse"),
    R.UNCLE: ("niece", "nephew", "nephew_or_niece"),
    R.AUNT: ("niece", "nephew", "nephew_or_niece"),
    R.NEPHEW: ("aunt", "uncle", "uncle_or_aunt"),
    R.NIECE: ("aunt", "uncle", "uncle_or_aunt"),
    R.GRANDCHILD: ("grandmother", "grandfather", "grandparent"),
    R.GRANDPARENT: ("granddaughter", "grandson", "grandchild"),
    R.IN_LAW: ("in_law", "in_law", "in_law"),
    R.COUSIN: ("cousin", "cousin", "cousin"),
    R.NEIGHBOUR: ("neighbour", "neighbour", "neighbour"),
    R.OTHER: ("other", "other", "other"),
}


def sex_of(gender: Any) -> str:
    """FEMALE, MALE or UNKNOWN from a stored gender ("female", "f", "male", "m", ...)."""
    g = str(gender or "").strip().casefold()
    if g in ("female", "f", "woman", "әйел", "жен", "женский"):
        return FEMALE
    if g in ("male", "m", "man", "ер", "муж", "мужской"):
        return MALE
    return UNKNOWN


def _by_sex(words: tuple[str, str, str], sex: str) -> str:
    return words[0] if sex == FEMALE else words[1] if sex == MALE else words[2]


def testifier_sex(relationship: str, testifier_gender: Any = "") -> str:
    """The testifier's sex: from the relationship when it says it, else from the record."""
    return _TESTIFIER_SEX.get(relationship, "") or sex_of(testifier_gender)


def testifier_kin(relationship: str, testifier_gender: Any = "") -> str:
    """The KIN key of what the testifier is to the person ("mother")."""
    if relationship in _TESTIFIER_WORD:
        return _by_sex(_TESTIFIER_WORD[relationship], sex_of(testifier_gender))
    return relationship if relationship in KIN else "other"


def person_kin(relationship: str, person_gender: Any = "") -> str:
    """The KIN key of what the person is to the testifier ("son")."""
    words = _PERSON_WORD.get(relationship)
    return _by_sex(words, sex_of(person_gender)) if words else "other"


def testifier_is(relationship: str, *, person: str, testifier_gender: Any = "") -> str:
    """Beside the testifier's name: "mother of #401" (`person` names the person)."""
    if relationship == R.SELF:
        return _("%(person)s themself") % {"person": person}
    kin = KIN[testifier_kin(relationship, testifier_gender)]
    return pgettext("kinship", "%(kin)s of %(person)s") % {"kin": kin, "person": person}


def person_is(relationship: str, *, person_gender: Any = "", testifier_gender: Any = "") -> str:
    """Beside the person's name: "her son" (the testifier's son)."""
    if relationship == R.SELF:
        return _("the testifier themself")
    kin = KIN[person_kin(relationship, person_gender)]
    sex = testifier_sex(relationship, testifier_gender)
    if sex == FEMALE:
        return pgettext("kinship", "her %(kin)s") % {"kin": kin}
    if sex == MALE:
        return pgettext("kinship", "his %(kin)s") % {"kin": kin}
    return pgettext("kinship", "the testifier's %(kin)s") % {"kin": kin}
