"""One name in the forms other languages give it: Оспан is Osman, Ибрагим is Ibrahim.

Many given names of Kazakhs, Kyrgyz, Uyghurs and Hui are Arabic names that each language
shaped its own way: Kazakh Оспан, Ыбырай, Жүсіп, Жақып, Ысқақ next to Uyghur, Uzbek and
Arabic Osman, Ibrahim, Yusup, Yaqup, Ishaq. Spelling rules (zh/j, kh/q, i/y) cannot bridge
them: the sounds differ (p for m, a dropped syllable). A testimony written in Almaty and a
list leaked from Xinjiang may each use their own form of one man's name, so match keys and
similarity read these forms alike.

The table below is public knowledge of naming (the same historical persons are known under
both forms: Оспан батыр is Osman Batur, Ыбырай Алтынсарин was Ibrahim), written for this
project. Only well-established pairs are here; a name that merely sounds close (Hasan and
Асан, both in use side by side among Kazakhs; Memet and Muhammad) is not.

The Arabic article in compound names (Abdulmalik, Abdumalik, Abdimalik, Abdrakhman) is read
as one form by :func:`abd_form`.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["COMPOUND_TAILS", "EQUIVALENT_NAMES", "abd_form"]

#: Classes of equivalent given names, each as folded Latin spellings (see
#: :func:`aigaq.names.translit.fold`), the first the one its class is filed under.
EQUIVALENT_NAMES: Final[tuple[tuple[str, ...], ...]] = (
    # Arabic ʿUthmān: Kazakh Оспан, Uyghur/Uzbek Osman/Usman, Kyrgyz/Uzbek Osmon.
    ("osman", "usman", "ospan", "uspan", "osmon"),
    # Ibrāhīm: Russian Ибрагим (h as g), Uzbek Ibrohim, Uyghur Ibrayim, Kazakh Ыбырай(ым),
    # Chinese 依布拉音 (yibulayin).
    (
        "ibrahim",
        "ibragim",
        "ibrohim",
        "ibrayim",
        "ibraiym",
        "ibirayim",
        "ibirai",
        "ibrai",
        "ibulayin",
        "yibulayin",
    ),
    # Ismāʿīl: Kazakh Ысмайыл, Uyghur Ismayil/Smayil, Chinese 司马义 (simayi).
    ("ismail", "ismayil", "smayil", "smail", "ysmayil", "simayi"),
    # Yūsuf: Kazakh Жүсіп, Kyrgyz Жусуп, Uyghur Yüsüp, Uzbek Yusuf.
    ("yusuf", "yusup", "yusip", "jusup", "zhusup", "jusip", "zhusip", "yusif"),
    # Yaʿqūb: Kazakh Жақып, Uyghur Yaqup, Russian Якуб.
    ("yakub", "yakup", "yaqup", "jakyp", "zhakyp", "jakup", "zhakup"),
    # Yūnus: Kazakh Жүніс, Kyrgyz Жунус, Uyghur Yunus.
    ("yunus", "yunis", "junus", "zhunus", "junis", "zhunis"),
    # ʿĪsā: Kazakh Ғиса.
    ("isa", "gisa", "ghisa"),
    # Isḥāq: Kazakh Ысқақ, Uyghur Ishaq, Russian Исхак.
    ("ishaq", "ishak", "iskhak", "ysqaq", "iskak", "isqaq"),
    # Khadīja: Kazakh Қадиша, Uyghur Xediche, Russian Хадиджа.
    ("khadija", "hadija", "kadisha", "qadisha", "hediche", "xediche", "hadicha"),
)

#: Second parts of compound given names, folded (Оспанхан, Оспанжан, Оспанғали, Жүсіпбек):
#: a compound whose first part is one of the names above is read as that name's class too
#: (Оспанхан = 乌斯满汗 Usmankhan), but only before one of these, so that a longer name that
#: merely starts with the same letters is left alone.
COMPOUND_TAILS: Final[tuple[str, ...]] = (
    "khan",
    "jan",
    "jon",
    "bek",
    "bai",
    "gali",
    "tai",
    "gul",
    "nur",
)

# Abd- compounds: Abdul-, Abdu-, Abdi-, Abdy-, Abd- before a consonant other than l
# (Abdulla, Abdulaziz keep their l: it is not the article there).
_ABD: Final = re.compile(r"^abd(?:ul|u|i|il)?(?=[bcdfghjkmnpqrstvwxz])")


def abd_form(folded: str) -> str:
    """The folded spelling with an Abd- compound's article written one way (Abdu-), or the
    spelling itself.

    >>> abd_form("abdulmalik"), abd_form("abdikerim"), abd_form("abdrahman"), abd_form("abdulla")
    ('abdumalik', 'abdukerim', 'abdurahman', 'abdulla')
    """
    return _ABD.sub("abdu", folded, count=1)
