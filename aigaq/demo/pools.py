"""Synthetic name pools for demo data and benchmarks.

PRIVACY: every entry below is a *common given name*, i.e. public knowledge of naming practice,
not a person. The generator in :mod:`aigaq.demo.namegen` combines a given name with a father's
name drawn at random from the same pool; no real person's data is used, and a handful of
combinations that coincide with well-known public figures are excluded (``BLOCKED_PAIRS``).

Each entry carries its renderings in every script it is commonly written in:

* the native Cyrillic spelling (Kazakh Cyrillic with ә ғ қ ң ө ұ ү һ і, Kyrgyz Cyrillic with
  ң ө ү, Uyghur Cyrillic as used in Kazakhstan, Uzbek and Tatar Cyrillic);
* a standard Latin spelling and 1–3 Latin variant spellings met in passports, the press and
  in Russian-influenced romanisation (zh/j, kh/h/q, y/i, ou/u, the Russian "-a" ending...);
* Arabic script: Kazakh Arabic as written in Xinjiang (with the hamza ٴ before front-vowel
  words that contain no ە ك گ), Uyghur Ereb Yéziqi for Uyghur, Uzbek and Tatar names, Kyrgyz
  Arabic (ۅ ۉ for ö ü, ق/غ versus ك/گ by vowel harmony). These are letter-for-letter
  orthographic correspondences of the native spelling and are derived below from the native
  Cyrillic (Kazakh, Kyrgyz) or from the Uyghur Latin (ULY) reading by the tables in this module;
* the Russian (passport) spelling, typed by hand: Kazakh letters replaced, soft sign where
  Russian practice adds it (Гүлнар → Гульнар, Әділ → Адиль);
* the Chinese rendering as found on Chinese identity documents.

Sources of the transcription practice: the Chinese renderings follow the syllable tables of the
national standard for transcribing minority-language personal names into Chinese characters
(《少数民族语人名汉字音译转写规则》, GB/T 17693-style practice, and the regional rules for
Uyghur and Kazakh names: 阿 a, 巴 ba, 别克 bek, 江 jan, 古丽 gül, 努尔 nur, 提 final t, 尔 final
r, 哈 qa/xa, 克 final k/q, 力 final l, 木 final m, 沙 sha, 娜 na, 汗 xan ...) as seen in common
usage; Russian forms follow ordinary Kazakhstani / Kyrgyzstani passport usage; Hui (Dungan)
names are Chinese names with Hanyu Pinyin and the Russian Palladius spelling (Ма, Хэ, Ян ...).
Where in doubt a name was left out rather than given a guessed rendering.

The module is pure Python (no Django); all tables are parsed once at import.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "BLOCKED_PAIRS",
    "ENTRIES",
    "ETHNICITIES",
    "HUI_SURNAMES",
    "ISLAMIC_NAMES",
    "IslamicName",
    "NameEntry",
    "POOLS",
    "Surname",
    "kazakh_arabic",
    "kyrgyz_arabic",
    "plain_cyrillic",
    "russian_surname",
    "uly_to_arabic",
    "uly_to_cyrillic",
]

ETHNICITIES: tuple[str, ...] = ("kazakh", "uyghur", "kyrgyz", "hui", "uzbek", "tatar")


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One given name with its renderings in every script it is written in."""

    key: str  # stable id, e.g. "kazakh.m.nurlan"
    ethnicity: str
    gender: str  # "m" or "f"
    native: str  # native spelling: Cyrillic (kk/ky/ug/uz/tt) or Chinese characters (Hui)
    native_lang: str  # "kk", "ky", "ug", "uz", "tt", "zh"
    latin: str  # standard Latin spelling (Hui: pinyin)
    latin_variants: tuple[str, ...]  # other Latin spellings in common use
    russian: str  # Russian (passport) Cyrillic; Hui: Palladius
    chinese: str  # Chinese characters as on Chinese ID documents
    arabic: str  # Arabic script; "" for Hui given names
    plain: str  # native Cyrillic without language-specific letters (Гүлнар -> Гулнар)

    @property
    def latin_all(self) -> tuple[str, ...]:
        return (self.latin, *self.latin_variants)

    def surface_forms(self) -> tuple[str, ...]:
        """Every spelling of this given name the pools know, in all scripts."""
        forms = [self.native, self.plain, self.russian, self.chinese, *self.latin_all]
        if self.arabic:
            forms.append(self.arabic)
        return tuple(dict.fromkeys(f for f in forms if f))


@dataclass(frozen=True, slots=True)
class Surname:
    """A Hui (Dungan) family name."""

    key: str
    chinese: str
    pinyin: str
    russian: str  # Palladius / Dungan usage
    weight: float


@dataclass(frozen=True, slots=True)
class IslamicName:
    """A religious name (经名) some Hui people also use."""

    key: str
    gender: str
    latin: str
    russian: str
    chinese: str
    arabic: str


# ---------------------------------------------------------------------------------------------
# Orthographic correspondences
# ---------------------------------------------------------------------------------------------

_KK_PLAIN = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
_KY_PLAIN = str.maketrans("ңөүҢӨҮ", "ноуНОУ")
_UG_PLAIN = str.maketrans("әғқңөүһҗӘҒҚҢӨҮҺҖ", "агкноухжАГКНОУХЖ")
_UZ_PLAIN = str.maketrans("ўқғҳЎҚҒҲ", "укгхУКГХ")
_TT_PLAIN = str.maketrans("әөүҗңһӘӨҮҖҢҺ", "аоужнхАОУЖНХ")
_PLAIN = {"kk": _KK_PLAIN, "ky": _KY_PLAIN, "ug": _UG_PLAIN, "uz": _UZ_PLAIN, "tt": _TT_PLAIN}


def plain_cyrillic(text: str, lang: str) -> str:
    """Drop the language-specific Cyrillic letters, as people typing on a Russian layout do."""
    table = _PLAIN.get(lang)
    return text.translate(table) if table else text


_KK_ARABIC = {
    "а": "ا", "ә": "ا", "б": "ب", "в": "ۆ", "г": "گ", "ғ": "ع", "д": "د", "е": "ە", "ё": "يو",
    "ж": "ج", "з": "ز", "и": "ي", "й": "ي", "к": "ك", "қ": "ق", "л": "ل", "м": "م", "н": "ن",
    "ң": "ڭ", "о": "و", "ө": "و", "п": "پ", "р": "ر", "с": "س", "т": "ت", "у": "ۋ", "ұ": "ۇ",
    "ү": "ۇ", "ф": "ف", "х": "ح", "һ": "ھ", "ц": "تس", "ч": "چ", "ш": "ش", "щ": "شش", "ъ": "",
    "ы": "ى", "і": "ى", "ь": "", "э": "ە", "ю": "يۋ", "я": "يا",
}  # fmt: skip
_KK_HAMZA = "\u0674"  # ٴ


def kazakh_arabic(cyrillic: str) -> str:
    """Kazakh Cyrillic -> Kazakh Arabic script (Töte jazu) as used in Xinjiang.

    A front-vowel word (ә ө ү і) gets the hamza ٴ in front unless it already contains one of
    the letters that mark front words by themselves (ە ك گ).
    """
    words = []
    for word in cyrillic.lower().split():
        # и before я is carried by the я: Әлия -> ٴاليا, not ٴالييا
        arabic = "".join(_KK_ARABIC.get(ch, ch) for ch in word.replace("ия", "я"))
        if any(ch in "әөүі" for ch in word) and not any(ch in "екгэ" for ch in word):
            arabic = _KK_HAMZA + arabic
        words.append(arabic)
    return " ".join(words)


_KY_ARABIC = {
    "а": "ا", "б": "ب", "в": "ۋ", "д": "د", "е": "ە", "ж": "ج", "з": "ز", "и": "ي", "й": "ي",
    "л": "ل", "м": "م", "н": "ن", "ң": "ڭ", "о": "و", "ө": "ۅ", "п": "پ", "р": "ر", "с": "س",
    "т": "ت", "у": "ۇ", "ү": "ۉ", "ф": "ف", "х": "ح", "ч": "چ", "ш": "ش", "ы": "ى", "э": "ە",
    "ю": "يۇ", "я": "يا", "ь": "", "ъ": "",
}  # fmt: skip
_KY_BACK = set("аоуыя")
_KY_FRONT = set("еэиөүю")


def kyrgyz_arabic(cyrillic: str) -> str:
    """Kyrgyz Cyrillic -> Kyrgyz Arabic script (Xinjiang): к/г become ق/غ in back-vowel
    syllables and ك/گ in front-vowel ones. A к/г before a vowel belongs to that vowel's
    syllable; otherwise to the preceding vowel's (Бекзат -> بەكزات, Бактыбек -> باقتىبەك)."""
    vowels = _KY_BACK | _KY_FRONT
    words = []
    for word in cyrillic.lower().split():
        out = []
        for i, ch in enumerate(word):
            if ch not in "кг":
                out.append(_KY_ARABIC.get(ch, ch))
                continue
            nxt = word[i + 1 : i + 2]
            if nxt and nxt in vowels:
                vowel = nxt
            else:
                before = [v for v in word[:i] if v in vowels]
                after = [v for v in word[i + 1 :] if v in vowels]
                vowel = before[-1] if before else (after[0] if after else "а")
            back = vowel in _KY_BACK
            if ch == "к":
                out.append("ق" if back else "ك")
            else:
                out.append("غ" if back else "گ")
        words.append("".join(out))
    return " ".join(words)


# Uyghur Latin (ULY) tokens: digraphs first; an apostrophe separates letters that would
# otherwise read as a digraph (Tursun'gül = n + g, not ng).
_ULY_TOKEN = re.compile(r"ch|gh|ng|sh|zh|[a-zéöü']")
_ULY_VOWELS = set("aeéiouöü")
_ULY_ARABIC = {
    "a": "ا", "b": "ب", "ch": "چ", "d": "د", "e": "ە", "é": "ې", "f": "ف", "g": "گ",
    "gh": "غ", "h": "ھ", "i": "ى", "j": "ج", "k": "ك", "l": "ل", "m": "م", "n": "ن",
    "ng": "ڭ", "o": "و", "ö": "ۆ", "p": "پ", "q": "ق", "r": "ر", "s": "س", "sh": "ش",
    "t": "ت", "u": "ۇ", "ü": "ۈ", "w": "ۋ", "x": "خ", "y": "ي", "z": "ز", "zh": "ژ",
}  # fmt: skip
_ULY_CYRILLIC = {
    "a": "а", "b": "б", "ch": "ч", "d": "д", "e": "ә", "é": "е", "f": "ф", "g": "г",
    "gh": "ғ", "h": "һ", "i": "и", "j": "җ", "k": "к", "l": "л", "m": "м", "n": "н",
    "ng": "ң", "o": "о", "ö": "ө", "p": "п", "q": "қ", "r": "р", "s": "с", "sh": "ш",
    "t": "т", "u": "у", "ü": "ү", "w": "в", "x": "х", "y": "й", "z": "з", "zh": "ж",
}  # fmt: skip


def _uly_tokens(word: str) -> list[str]:
    return list(_ULY_TOKEN.findall(word.lower()))


def uly_to_arabic(uly: str) -> str:
    """Uyghur Latin (ULY) -> Uyghur Arabic script (UEY): a vowel that begins a syllable is
    carried by the hamza ئ (word-initially and after another vowel)."""
    words = []
    for word in uly.split():
        out: list[str] = []
        prev: str | None = None
        for tok in _uly_tokens(word):
            if tok == "'":
                continue
            if tok in _ULY_VOWELS and (prev is None or prev in _ULY_VOWELS):
                out.append("ئ")
            out.append(_ULY_ARABIC[tok])
            prev = tok
        words.append("".join(out))
    return " ".join(words)


def uly_to_cyrillic(uly: str) -> str:
    """Uyghur Latin (ULY) -> Uyghur Cyrillic as used in Kazakhstan (я, ю for ya, yu)."""
    words = []
    for word in uly.split():
        toks = [t for t in _uly_tokens(word) if t != "'"]
        out: list[str] = []
        i = 0
        while i < len(toks):
            tok = toks[i]
            nxt = toks[i + 1] if i + 1 < len(toks) else ""
            if tok == "y" and nxt in ("a", "u"):
                out.append("я" if nxt == "a" else "ю")
                i += 2
                continue
            out.append(_ULY_CYRILLIC[tok])
            i += 1
        text = "".join(out)
        words.append(text[:1].upper() + text[1:])
    return " ".join(words)


def russian_surname(russian_given: str, female: bool) -> str:
    """Russian-style surname from a father's given name: Серик -> Сериков/Серикова,
    Жума -> Жумаев, Абай -> Абаев, Куаныш -> Куанышев, Адиль -> Адилов."""
    stem = russian_given[:-1] if russian_given.endswith("ь") else russian_given
    last = stem[-1:]
    if last == "й":
        surname = stem[:-1] + "ев"
    elif last in "аеиоуыэюя" or last in "жшчщц":
        surname = stem + "ев"
    else:
        surname = stem + "ов"
    return surname + "а" if female else surname


# ---------------------------------------------------------------------------------------------
# Tables. Columns are separated by "|", variant spellings by ";".
# ---------------------------------------------------------------------------------------------

# Kazakh: Kazakh Cyrillic | standard Latin | Latin variants | Russian | Chinese
_KAZAKH_M = """
Нұрлан|Nurlan|Nourlan|Нурлан|努尔兰
Серік|Serik|Seryk;Serick|Серик|赛力克
Серікжан|Serikzhan|Serikjan;Serykzhan;Serikdzhan|Серикжан|赛力克江
Ерлан|Erlan|Yerlan|Ерлан|叶尔兰
Ержан|Erzhan|Yerzhan;Erjan|Ержан|叶尔江
Асхат|Askhat|Askat;Ashat|Асхат|阿斯哈提
Бауыржан|Bauyrzhan|Baurzhan;Bauyrjan;Bawyrzhan|Бауыржан|包尔江
Қайрат|Qairat|Kairat;Qayrat;Kayrat|Кайрат|海拉提
Ерболат|Erbolat|Yerbolat|Ерболат|叶尔波拉提
Болат|Bolat|Bulat|Болат|波拉提
Дәулет|Daulet|Dawlet;Dauliet;Däulet|Даулет|达吾列提
Мұрат|Murat|Murad;Mourat|Мурат|木拉提
Талғат|Talgat|Talghat;Talğat|Талгат|塔力哈提
Нұрбек|Nurbek|Nourbek;Nurbeck|Нурбек|努尔别克
Ербол|Erbol|Yerbol|Ербол|叶尔波力
Айдос|Aidos|Aydos|Айдос|艾多斯
Айбек|Aibek|Aybek;Aibeck|Айбек|艾别克
Қуаныш|Kuanysh|Quanysh;Kuanish;Kuanych|Куаныш|库瓦尼西
Ахмет|Akhmet|Ahmet;Akhmed|Ахмет|阿合买提
Мұхамет|Mukhamet|Mukhammed;Muhamet|Мухамет|木哈买提
Әділ|Adil|Ädil;Adyl|Адиль|阿迪力
Абай|Abai|Abay|Абай|阿拜
Асан|Asan|Assan;Hasan|Асан|阿山
Үсен|Usen|Üsen;Ussen|Усен|吾森
Бақыт|Bakyt|Baqyt;Bakit;Bakhyt|Бакыт|巴合提
Қанат|Kanat|Qanat;Khanat|Канат|哈纳提
Ерсін|Ersin|Yersin;Ersyn|Ерсин|叶尔森
Берік|Berik|Beryk;Berick|Берик|别力克
Ғалым|Galym|Ghalym;Galim|Галым|哈力木
Мақсат|Maksat|Maqsat;Makhsat|Максат|马合沙提
Нұржан|Nurzhan|Nurjan;Nourjan|Нуржан|努尔江
Дархан|Darkhan|Darhan|Дархан|达尔汗
Әлібек|Alibek|Älibek;Alybek|Алибек|阿力别克
Жұмабек|Zhumabek|Jumabek;Zhoumabek|Жумабек|居马别克
Тұрсын|Tursyn|Tursun;Tursin|Турсын|吐尔逊
Сұлтан|Sultan|Soultan|Султан|苏力坦
Омар|Omar|Umar|Омар|吾马尔
Оспан|Ospan|Osman;Uspan|Оспан|乌斯满
Есен|Esen|Yesen;Essen|Есен|叶森
Темір|Temir|Temyr;Timur|Темир|铁木尔
Қасым|Kasym|Qasym;Kassym;Kasim|Касым|哈斯木
Ғабит|Gabit|Ghabit;Gabyt|Габит|哈比提
Жанат|Zhanat|Janat;Dzhanat|Жанат|加纳提
Бекзат|Bekzat|Bekzad;Beckzat|Бекзат|别克扎提
Қайсар|Kaisar|Qaisar;Kaysar|Кайсар|凯萨尔
Ілияс|Ilyas|Iliyas;Ilias|Ильяс|伊力亚斯
Мұхтар|Mukhtar|Muhtar;Moukhtar|Мухтар|木合塔尔
Жақсылық|Zhaksylyk|Zhaqsylyq;Jaksylyk;Zhaksilik|Жаксылык|加克斯勒克
Қадыр|Kadyr|Qadyr;Kadir|Кадыр|卡德尔
Сәкен|Saken|Säken|Сакен|沙肯
Бейбіт|Beibit|Beybit;Beibyt|Бейбит|拜比提
Бекжан|Bekzhan|Bekjan;Beczhan|Бекжан|别克江
Айдар|Aidar|Aydar|Айдар|艾达尔
Асқар|Askar|Asqar;Askhar|Аскар|阿斯哈尔
Мәди|Madi|Mädi;Mady|Мади|马迪
Нұрболат|Nurbolat|Nourbolat;Nurbolot|Нурболат|努尔波拉提
Дәурен|Dauren|Dawren;Däuren|Даурен|达吾仁
Кенжебек|Kenzhebek|Kenjebek;Kendzhebek|Кенжебек|肯杰别克
Тоқтар|Toktar|Toqtar;Tokhtar|Токтар|托合塔尔
Бағдат|Bagdat|Baghdat;Bağdat|Багдат|巴合达提
Ерхан|Erkhan|Yerkhan;Erhan|Ерхан|叶尔汗
Рахымжан|Rakhymzhan|Rakhimzhan;Rahymjan|Рахымжан|热合木江
Жәнібек|Zhanibek|Janibek;Zhänibek|Жанибек|加尼别克
Сапар|Sapar|Safar|Сапар|沙帕尔
Дамир|Damir|Damyr|Дамир|达米尔
Жұма|Zhuma|Juma;Dzhuma|Жума|居马
Құрбан|Kurban|Qurban;Kourban|Курбан|库尔班
Сержан|Serzhan|Serjan;Serdzhan|Сержан|赛尔江
Әлімжан|Alimzhan|Alimjan;Älimzhan|Алимжан|阿力木江
Хамит|Khamit|Hamit;Kamit|Хамит|哈米提
"""

_KAZAKH_F = """
Гүлнар|Gulnar|Gulnara;Gülnar|Гульнар|古丽娜尔
Гүлмира|Gulmira|Gülmira;Gulmyra|Гульмира|古丽米拉
Айгүл|Aigul|Aygul;Aigül|Айгуль|阿依古丽
Айнұр|Ainur|Aynur;Ainour|Айнур|阿依努尔
Гүлнұр|Gulnur|Gülnur;Gulnour|Гульнур|古丽努尔
Сәуле|Saule|Säule;Sawle|Сауле|沙吾列
Әйгерім|Aigerim|Aygerim;Äigerim|Айгерим|阿依格尔木
Динара|Dinara|Dynara|Динара|迪娜拉
Мәдина|Madina|Medina;Mädina|Мадина|玛迪娜
Назгүл|Nazgul|Nazgül;Nazgyl|Назгуль|娜孜古丽
Жанар|Zhanar|Janar;Dzhanar|Жанар|加娜尔
Айнагүл|Ainagul|Aynagul;Ainagül|Айнагуль|阿依娜古丽
Бақытгүл|Bakytgul|Baqytgul;Bakhytgul|Бакытгуль|巴合提古丽
Зәуре|Zaure|Zäure;Zawre|Зауре|扎吾热
Гүлбану|Gulbanu|Gülbanu;Gulbanou|Гульбану|古丽巴努
Патима|Patima|Fatima;Patyma|Патима|帕提玛
Шынар|Shynar|Shinar;Chynar|Шынар|西娜尔
Нұргүл|Nurgul|Nurgül;Nourgul|Нургуль|努尔古丽
Сара|Sara|Sarah|Сара|沙拉
Гүлшат|Gulshat|Gülshat;Gulchat|Гульшат|古丽夏提
Анар|Anar|Anara|Анар|阿娜尔
Бибігүл|Bibigul|Bibigül;Bibygul|Бибигуль|比比古丽
Гүлсім|Gulsim|Gülsim;Gulsym|Гульсим|古丽斯木
Жамал|Zhamal|Jamal;Dzhamal|Жамал|加玛丽
Зейнеп|Zeinep|Zeynep;Zeinap|Зейнеп|再乃甫
Айсұлу|Aisulu|Aysulu;Aisoulou|Айсулу|阿依苏鲁
Гауһар|Gaukhar|Gauhar;Gawkhar|Гаухар|高哈尔
Ардақ|Ardak|Ardaq|Ардак|阿尔达克
Гүлназ|Gulnaz|Gülnaz;Gulnas|Гульназ|古丽娜孜
Айман|Aiman|Ayman|Айман|阿依曼
Майра|Maira|Mayra|Майра|玛依拉
Халима|Khalima|Halima;Halyma|Халима|哈丽玛
Айша|Aisha|Aysha;Aicha|Айша|阿依夏
Хадиша|Khadisha|Hadisha;Khadicha|Хадиша|哈迪夏
Гүлзира|Gulzira|Gülzira;Gulzyra|Гульзира|古丽孜拉
Ләйла|Laila|Layla;Leila|Лайла|莱拉
Әсел|Asel|Äsel;Assel|Асель|阿赛勒
Нәзира|Nazira|Näzira;Nazyra|Назира|娜孜拉
Әмина|Amina|Ämina;Aminah|Амина|阿米娜
Фарида|Farida|Parida;Fareeda|Фарида|帕丽达
Зүлфия|Zulfiya|Zülfiya;Zulfia|Зульфия|祖丽菲娅
Рахима|Rakhima|Rahima;Rakhyma|Рахима|热合玛
Сабира|Sabira|Sabyra|Сабира|沙比拉
Мариям|Mariyam|Mariam;Maryam|Мариям|玛丽亚木
Назым|Nazym|Nazim;Nasym|Назым|娜孜木
Жадыра|Zhadyra|Jadyra;Zhadira|Жадыра|加德拉
Гүлбахар|Gulbakhar|Gulbahar;Gülbahar|Гульбахар|古丽巴哈尔
Гүлшара|Gulshara|Gülshara;Gulchara|Гульшара|古丽夏拉
Гүлзат|Gulzat|Gülzat;Gulsat|Гульзат|古丽扎提
Әлия|Aliya|Äliya;Alia|Алия|阿丽亚
Камила|Kamila|Kamilla;Camila|Камила|卡米拉
Зарина|Zarina|Zaryna|Зарина|扎丽娜
Малика|Malika|Malyka|Малика|玛丽卡
Айдана|Aidana|Aydana|Айдана|艾达娜
Анаргүл|Anargul|Anargül;Anargyl|Анаргуль|阿娜尔古丽
Әсия|Asiya|Äsiya;Assiya|Асия|阿西亚
Зиба|Ziba|Zyba|Зиба|孜巴
Сәния|Saniya|Säniya;Sania|Сания|萨尼亚
Дария|Dariya|Daria|Дария|达丽亚
Гүлсара|Gulsara|Gülsara|Гульсара|古丽沙拉
Нұрия|Nuriya|Nuria;Nouriya|Нурия|努丽亚
Жұпар|Zhupar|Jupar;Zhoupar|Жупар|居帕尔
Мәрзия|Marziya|Märziya;Marzia|Марзия|玛尔孜亚
"""

# Uyghur: ULY reading (apostrophe splits n'g, s'h) | Latin variants | Russian | Chinese.
# The standard Latin spelling is the ULY reading without apostrophes; Uyghur Cyrillic and
# Uyghur Arabic script are derived from the ULY reading.
_UYGHUR_M = """
Memet|Mamat;Mehmet;Memat|Мамет|买买提
Ehmet|Ahmet;Akhmet;Ehmed|Ахмет|艾合买提
Abdurehim|Abdurahim;Abdurakhim|Абдурахим|阿不都热依木
Abdulla|Abdullah;Abdula|Абдулла|阿不都拉
Abliz|Ablez;Ablis|Аблиз|阿不力孜
Ablimit|Ablimet;Ablemit|Аблимит|阿布力米提
Erkin|Arkin;Erken|Эркин|艾尔肯
Eli|Ali;Ely|Али|艾力
Alim|Alym;Olim|Алим|阿里木
Tursun|Tursoun;Tursin|Турсун|吐尔逊
Turghun|Turgun;Tourgoun|Тургун|吐尔洪
Nurmemet|Nurmamat;Nurmehmet|Нурмамат|努尔买买提
Mehmut|Mahmut;Mahmud;Mehmud|Махмут|买合木提
Yüsüp|Yusup;Yusuf;Jusup|Юсуп|玉素甫
Ilham|Ilkham;Elham|Ильхам|伊力哈木
Imin|Emin;Iymin|Имин|依明
Islam|Eslam;Islom|Ислам|斯拉木
Rehman|Rahman;Rakhman|Рахман|热合曼
Reshit|Rashid;Reshid;Rashit|Рашит|热西提
Rozi|Rozy;Rouzi|Рози|肉孜
Ömer|Omer;Umar;Omar|Омер|吾买尔
Osman|Usman;Osmon|Осман|吾斯曼
Tahir|Takhir;Tayir|Тахир|塔依尔
Qadir|Kadir;Kadyr|Кадыр|卡德尔
Kérim|Kerim;Karim|Керим|克里木
Is'haq|Ishak;Iskhak;Ishaq|Исхак|依沙克
Yasin|Yassin;Yasen|Ясин|亚森
Yaqup|Yakup;Yakub;Yaqub|Якуп|亚库甫
Niyaz|Niyas;Nijaz|Нияз|尼亚孜
Perhat|Parhat;Ferhat;Pärhat|Пархат|帕尔哈提
Ekber|Akbar;Ekbar|Акбар|艾克拜尔
Adil|Adyl;Odil|Адиль|阿迪力
Ibrahim|Ibragim;Ibrahym|Ибрагим|依布拉音
Ismayil|Ismail;Ismayl|Исмаил|司马义
Muhemmet|Muhammad;Mukhammed;Muhammet|Мухаммед|木哈买提
Qurban|Kurban;Gurban|Курбан|库尔班
Memtimin|Mamtimin;Mehmetimin|Мамтимин|买买提明
Eziz|Aziz;Ezis|Азиз|艾则孜
Abdukérim|Abdukerim;Abdukarim|Абдукерим|阿不都克里木
Abduweli|Abduvali;Abduwali|Абдували|阿不都外力
Iskender|Iskandar;Eskender|Искандер|伊斯坎德尔
Alimjan|Alimzhan;Alimdjan|Алимжан|阿力木江
Hesen|Hasan;Khasan;Hasen|Хасан|艾山
Qasim|Kasim;Kasym|Касым|哈斯木
Turdi|Turdy;Tourdi|Турди|吐尔地
Abduqadir|Abdukadir;Abdulkadir|Абдукадыр|阿不都卡德尔
Ablet|Ablat;Ablät|Аблет|阿不来提
Obul|Abul;Obil|Обул|吾布力
Mijit|Mejit;Majid|Мижит|米吉提
Metniyaz|Matniyaz;Metniaz|Матнияз|买提尼亚孜
Exmetjan|Ahmetjan;Akhmetjan;Ehmetjan|Ахметжан|艾合买提江
Dilshat|Dilshad;Dilchat|Дильшат|迪力夏提
Ilshat|Ilshad;Elshat|Ильшат|伊力夏提
Kamil|Kamel;Kamill|Камиль|卡米力
Nurdun|Nurdin;Nuriddin|Нурдун|努尔敦
Mutellip|Mutallip;Mutalif;Mutellep|Муталлип|木塔力甫
Abdusalam|Abdussalam;Abdisalam|Абдусалам|阿不都沙拉木
Shöhret|Shohrat;Shuhrat;Shohret|Шухрат|肖开提
Sadiq|Sadik;Sadyk|Садык|沙迪克
Ghopur|Gopur;Gafur;Ghupur|Гопур|吾甫尔
Ablikim|Ablekim;Ablikem|Абликим|阿不力克木
Qeyser|Kaiser;Qaysar;Keyser|Кейсер|凯赛尔
Ghalip|Galip;Ghalib|Галип|哈力甫
Sawut|Savut;Sawud|Савут|沙吾提
Abdushükür|Abdushukur;Abdushkur|Абдушукур|阿不都秀库尔
Yunus|Younus;Yunis|Юнус|玉努斯
Dawut|Davut;Dawud|Давут|达吾提
Musa|Mussa;Mosa|Муса|木沙
Isa|Issa;Eisa|Иса|依沙
"""

_UYGHUR_F = """
Gülnar|Gulnar;Gulnara;Gulnaar|Гульнар|古丽娜尔
Aygül|Aygul;Aigul|Айгуль|阿依古丽
Patigül|Patigul;Fatigul;Patigyl|Патигуль|帕提古丽
Mihrigül|Mihrigul;Mehrigul;Mikhrigul|Михригуль|米热古丽
Reyhan|Rayhan;Reihan|Райхан|热依汗
Aynur|Ainur;Aynour|Айнур|阿依努尔
Nurgül|Nurgul;Nourgul|Нургуль|努尔古丽
Zulpiye|Zulfiya;Zulpia|Зульпия|祖丽皮亚
Ayshem|Aysham;Aishem|Айшам|阿依谢姆
Patime|Patima;Fatima|Патима|帕提曼
Ruqiye|Rukiya;Rukiye;Ruqiya|Рукия|如克亚
Reziye|Raziya;Reziya|Разия|热孜亚
Tursun'gül|Tursungul;Tursungyl|Турсунгуль|吐尔逊古丽
Maynur|Mainur;Maynour|Майнур|玛依努尔
Dilnur|Dilnour;Delnur|Дильнур|迪丽努尔
Dilber|Dilbar;Dilbär|Дильбар|迪丽拜尔
Dilnar|Dilnara;Delnar|Дильнар|迪丽娜尔
Gülzar|Gulzar;Gulzara|Гульзар|古丽扎尔
Gülbahar|Gulbahar;Gulbakhar|Гульбахар|古丽巴哈尔
Gülmire|Gulmira;Gulmire|Гульмира|古丽米热
Gülnisa|Gulnisa;Gulnissa|Гульниса|古丽尼沙
Nurnisa|Nournisa;Nurnissa|Нурниса|努尔尼沙
Amine|Amina;Emine|Амина|阿米娜
Meryem|Maryam;Mariyam;Meriem|Марьям|麦尔耶姆
Minawer|Minavar;Minawar|Минавар|米娜瓦尔
Zulhumar|Zulkhumar;Zulhumor|Зульхумар|祖丽胡玛尔
Gülshen|Gulshen;Gulshan|Гульшен|古丽仙
Güzelnur|Guzelnur;Guzalnur|Гузальнур|古再丽努尔
Nilupar|Nilufar;Nilopar|Нилуфар|尼鲁帕尔
Munire|Munira;Monira|Мунира|木尼热
Reyile|Reyila;Rayila|Райля|热依拉
Ayxan|Aykhan;Ayhan|Айхан|阿依汗
Mehriban|Mekhriban;Mihriban|Мехрибан|米热班
Gülchéhre|Gulchehra;Gulchehre|Гульчехра|古丽切合热
Anargül|Anargul;Anargyl|Анаргуль|阿娜尔古丽
Xalide|Khalida;Halida|Халида|哈丽达
Paride|Parida;Farida|Парида|帕丽达
Ayjamal|Aijamal;Ayzhamal|Айжамал|阿依加玛丽
Rabiye|Rabiya;Rebiya|Рабия|热比娅
Rushen'gül|Rushangul;Rushengul|Рушангуль|茹仙古丽
Sanubar|Sanobar;Sanuber|Санубар|萨努巴尔
Gülshat|Gulshat;Gulchat|Гульшат|古丽夏提
Nuriye|Nuriya;Nuria|Нурия|努丽亚
Aliye|Aliya;Alia|Алия|阿丽亚
Ayshe|Aisha;Ayse|Айша|阿依夏
Xeyrinisa|Khayrinisa;Heyrinisa|Хайриниса|海丽尼沙
Zeynep|Zainab;Zeinep|Зейнеп|再乃甫
Gülnaz|Gulnaz;Gulnas|Гульназ|古丽娜孜
Kamile|Kamila;Kamilya|Камила|卡米拉
Saniye|Saniya;Sania|Сания|萨尼亚
Dilraba|Dilrabo;Delraba|Дильраба|迪丽热巴
Merhaba|Markhaba;Marhaba|Мархаба|麦尔哈巴
Pezilet|Pazilat;Fazilat|Пазилат|帕孜来提
Ayzada|Aizada|Айзада|阿依扎达
Nurbiye|Nurbiya;Nourbiya|Нурбия|努尔比亚
Subinur|Subinour;Sobinur|Субинур|苏比努尔
Zeytune|Zeytuna;Zaytuna|Зайтуна|再图娜
Mukerrem|Mukarram;Mukerem|Мукаррам|木开热木
Nezire|Nazira;Nezira|Назира|乃孜热
Aynisa|Ainisa;Aynissa|Айниса|阿依尼沙
Rizwan'gül|Rizvangul;Rizwangul|Ризвангуль|日孜宛古丽
Bahargül|Bahargul;Bakhargul|Бахаргуль|巴哈尔古丽
"""

# Kyrgyz: Kyrgyz Cyrillic | standard Latin | Latin variants | Russian | Chinese
_KYRGYZ_M = """
Азамат|Azamat|Asamat|Азамат|阿扎马提
Бакыт|Bakyt|Bakit;Baqyt|Бакыт|巴合提
Нурлан|Nurlan|Nourlan|Нурлан|努尔兰
Мирлан|Mirlan|Myrlan|Мирлан|米尔兰
Темир|Temir|Timur;Temyr|Темир|铁木尔
Нурбек|Nurbek|Nourbek;Nurbeck|Нурбек|努尔别克
Улан|Ulan|Oulan|Улан|乌兰
Канат|Kanat|Qanat|Канат|哈纳提
Максат|Maksat|Maqsat;Makhsat|Максат|马合沙提
Бекзат|Bekzat|Bekzad|Бекзат|别克扎提
Азиз|Aziz|Asis|Азиз|阿孜孜
Мурат|Murat|Murad|Мурат|木拉提
Урмат|Urmat|Ourmat|Урмат|吾尔玛提
Дастан|Dastan|Dostan|Дастан|达斯坦
Эркин|Erkin|Arkin;Erken|Эркин|艾尔肯
Мелис|Melis|Melys|Мелис|麦力斯
Нурдин|Nurdin|Nuriddin;Nourdin|Нурдин|努尔丁
Садык|Sadyk|Sadik;Sadyq|Садык|沙迪克
Турсун|Tursun|Tursoun|Турсун|吐尔逊
Жапар|Japar|Zhapar;Dzhapar|Джапар|加帕尔
Асан|Asan|Hasan|Асан|阿山
Үсөн|Üsön|Usen;Uson|Усен|吾森
Бактыбек|Baktybek|Baktibek;Baqtybek|Бактыбек|巴合提别克
Бекжан|Bekjan|Bekzhan|Бекжан|别克江
Ысмайыл|Ysmaiyl|Ismail;Ismaiyl|Исмаил|司马义
Абдырахман|Abdyrakhman|Abdurakhman;Abdyrahman|Абдрахман|阿不都热合曼
Жусуп|Jusup|Zhusup;Yusup|Жусуп|玉素甫
Кадыр|Kadyr|Kadir;Qadyr|Кадыр|卡德尔
Алым|Alym|Alim|Алым|阿里木
Айбек|Aibek|Aybek|Айбек|艾别克
Тилек|Tilek|Tylek|Тилек|提列克
Бектур|Bektur|Bektour|Бектур|别克吐尔
Курбан|Kurban|Qurban|Курбан|库尔班
"""

_KYRGYZ_F = """
Айгүл|Aigul|Aigül;Aygul|Айгуль|阿依古丽
Гүлнара|Gulnara|Gülnara;Gulnar|Гульнара|古丽娜拉
Айнура|Ainura|Aynura|Айнура|阿依努拉
Назгүл|Nazgul|Nazgül|Назгуль|娜孜古丽
Гүлмира|Gulmira|Gülmira|Гульмира|古丽米拉
Нургүл|Nurgul|Nurgül|Нургуль|努尔古丽
Бактыгүл|Baktygul|Baktygül;Baktigul|Бактыгуль|巴合提古丽
Динара|Dinara|Dynara|Динара|迪娜拉
Жамила|Jamila|Zhamila;Djamila|Джамиля|加米拉
Гүлзат|Gulzat|Gülzat|Гульзат|古丽扎提
Айсулуу|Aisuluu|Aisulu;Aysuluu|Айсулуу|阿依苏鲁
Зарина|Zarina|Zaryna|Зарина|扎丽娜
Элмира|Elmira|Elmyra;Elmeera|Эльмира|艾力米拉
Гүлшан|Gulshan|Gülshan|Гульшан|古丽仙
Замира|Zamira|Zamyra|Замира|扎米拉
Айнагүл|Ainagul|Aynagul|Айнагуль|阿依娜古丽
Бибигүл|Bibigul|Bibigül|Бибигуль|比比古丽
Патима|Patima|Fatima|Патима|帕提玛
Айша|Aisha|Aysha|Айша|阿依夏
Мадина|Madina|Medina|Мадина|玛迪娜
Сабира|Sabira|Sabyra|Сабира|沙比拉
Дилбар|Dilbar|Dilbara|Дильбар|迪丽拜尔
Гүлжамал|Guljamal|Gulzhamal;Gülzhamal|Гульжамал|古丽加玛丽
Малика|Malika|Malyka|Малика|玛丽卡
Гүлназ|Gulnaz|Gülnaz|Гульназ|古丽娜孜
Анаргүл|Anargul|Anargül|Анаргуль|阿娜尔古丽
Назира|Nazira|Nazyra|Назира|娜孜拉
Алия|Aliya|Alia|Алия|阿丽亚
Камила|Kamila|Kamilla|Камила|卡米拉
Гүлсара|Gulsara|Gülsara|Гульсара|古丽沙拉
Зулфия|Zulfiya|Zulfia|Зульфия|祖丽菲娅
"""

# Uzbek and Tatar: native Cyrillic | standard Latin | Latin variants | Russian | Chinese |
# ULY reading for the Arabic script (Uzbeks and Tatars in Xinjiang write the Uyghur alphabet).
_UZBEK_M = """
Абдулла|Abdulla|Abdullah|Абдулла|阿不都拉|Abdulla
Карим|Karim|Karym;Kerim|Карим|卡里木|Karim
Баҳодир|Bahodir|Bakhodir;Bahadir|Баходир|巴哈迪尔|Bahadir
Рашид|Rashid|Rashit|Рашид|热西提|Rashid
Юсуф|Yusuf|Yusup;Jusuf|Юсуф|玉素甫|Yusuf
Собир|Sobir|Sabir|Собир|沙比尔|Sabir
Ҳасан|Hasan|Khasan;Xasan|Хасан|哈桑|Hasan
Тоҳир|Tohir|Tokhir;Tahir|Тахир|塔依尔|Tahir
Умар|Umar|Omar|Умар|吾买尔|Umar
Иброҳим|Ibrohim|Ibragim;Ibrahim|Ибрагим|依布拉音|Ibrahim
"""

_UZBEK_F = """
Зулфия|Zulfiya|Zulfia|Зульфия|祖丽菲娅|Zulfiye
Дилбар|Dilbar|Dilbara|Дильбар|迪丽拜尔|Dilber
Нодира|Nodira|Nadira|Нодира|娜迪拉|Nadire
Малика|Malika|Malyka|Малика|玛丽卡|Malike
Фотима|Fotima|Fatima;Fatma|Фатима|帕提曼|Patime
Ойша|Oysha|Aysha;Oisha|Ойша|阿依夏|Ayshe
Мунира|Munira|Monira|Мунира|木尼热|Munire
Нилуфар|Nilufar|Nilufer;Nilupar|Нилуфар|尼鲁帕尔|Nilupar
"""

_TATAR_M = """
Рәшит|Rashit|Räşit;Rashid|Рашит|热西提|Reshit
Кәрим|Karim|Kärim;Kerim|Карим|卡里木|Kerim
Габдулла|Gabdulla|Ğabdulla;Abdulla|Габдулла|阿不都拉|Ghabdulla
Искәндәр|Iskandar|Iskändär;Iskander|Искандер|伊斯坎德尔|Iskender
Ибраһим|Ibrahim|Ibragim|Ибрагим|依布拉音|Ibrahim
"""

_TATAR_F = """
Гүзәл|Guzel|Güzäl;Guzal|Гузель|古再丽|Güzel
Әминә|Amina|Äminä;Emine|Амина|阿米娜|Emine
Фатыйма|Fatima|Fatıyma;Fatyma|Фатима|法蒂玛|Fatime
Гөлнара|Gulnara|Gölnara;Gulnar|Гульнара|古丽娜拉|Gülnara
Ләйлә|Leila|Läylä;Layla|Лейла|莱拉|Leyla
"""

# Hui (Dungan) given names: characters, one syllable each, from this table of
# character | pinyin | Russian (Palladius) syllable.
_HAN_SYLLABLES = """
学|xue|сюэ
文|wen|вэнь
国|guo|го
强|qiang|цян
志|zhi|чжи
建|jian|цзянь
海|hai|хай
军|jun|цзюнь
华|hua|хуа
永|yong|юн
福|fu|фу
成|cheng|чэн
伟|wei|вэй
忠|zhong|чжун
小|xiao|сяо
龙|long|лун
云|yun|юнь
平|ping|пин
斌|bin|бинь
勇|yong|юн
林|lin|линь
刚|gang|ган
杰|jie|цзе
涛|tao|тао
鹏|peng|пэн
亮|liang|лян
东|dong|дун
山|shan|шань
新|xin|синь
民|min|минь
义|yi|и
仁|ren|жэнь
有|you|ю
才|cai|цай
正|zheng|чжэн
宝|bao|бао
生|sheng|шэн
春|chun|чунь
明|ming|мин
德|de|дэ
金|jin|цзинь
玉|yu|юй
兰|lan|лань
梅|mei|мэй
芳|fang|фан
英|ying|ин
秀|xiu|сю
花|hua|хуа
霞|xia|ся
红|hong|хун
丽|li|ли
萍|ping|пин
燕|yan|янь
娟|juan|цзюань
珍|zhen|чжэнь
凤|feng|фэн
琴|qin|цинь
莲|lian|лянь
月|yue|юэ
桂|gui|гуй
慧|hui|хуэй
静|jing|цзин
雪|xue|сюэ
敏|min|минь
婷|ting|тин
艳|yan|янь
晓|xiao|сяо
丹|dan|дань
娜|na|на
荣|rong|жун
清|qing|цин
祥|xiang|сян
"""

_HUI_M = """
学文 国强 志强 建国 海军 文华 永福 成 伟 忠 小龙 云 平 斌 勇 林 刚 杰 涛 鹏 亮 东 海山 新民
正义 仁 有才 宝山 春生 明 德明 志明 金山 玉福 国华 建华 清海 祥
"""

_HUI_F = """
玉兰 梅 芳 秀英 桂花 霞 红 丽 萍 燕 娟 秀珍 凤英 琴 秀莲 月梅 桂兰 慧 静 敏 婷 雪梅 雪莲
金花 玉梅 丽娟 海燕 晓燕 丹 娜 秀兰 玉珍 春花 荣
"""

# Hui family names: character | pinyin | Russian (Palladius / Dungan usage) | weight
_HUI_SURNAMES = """
马|Ma|Ма|30
何|He|Хэ|5
杨|Yang|Ян|6
白|Bai|Бай|4
李|Li|Ли|5
苏|Su|Су|3
金|Jin|Цзинь|3
丁|Ding|Дин|3
王|Wang|Ван|4
海|Hai|Хай|2
哈|Ha|Ха|2
穆|Mu|Му|2
沙|Sha|Ша|2
纳|Na|На|2
张|Zhang|Чжан|3
"""

# Religious names used by Hui: gender | Latin | Russian | Chinese | Arabic
_ISLAMIC = """
m|Ibrahim|Ибрагим|易卜拉欣|ابراهيم
m|Yusuf|Юсуф|优素福|يوسف
m|Musa|Муса|穆萨|موسى
m|Ismail|Исмаил|伊斯玛仪|اسماعيل
m|Ali|Али|阿里|علي
m|Hasan|Хасан|哈桑|حسن
m|Dawud|Давуд|达吾德|داود
m|Umar|Умар|欧麦尔|عمر
f|Fatima|Фатима|法蒂玛|فاطمة
f|Aisha|Айша|阿伊莎|عائشة
f|Khadija|Хадиджа|海迪彻|خديجة
f|Maryam|Марьям|麦尔彦|مريم
f|Zaynab|Зайнаб|宰奈卜|زينب
f|Amina|Амина|阿米娜|آمنة
"""


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------


def _rows(table: str) -> list[list[str]]:
    return [line.split("|") for line in table.strip().splitlines() if line.strip()]


def _variants(field: str, exclude: str) -> tuple[str, ...]:
    out = [v.strip() for v in field.split(";") if v.strip()]
    return tuple(dict.fromkeys(v for v in out if v != exclude))


def _slug(latin: str) -> str:
    folded = unicodedata.normalize("NFKD", latin.replace("ı", "i"))
    return re.sub(r"[^a-z]+", "", folded.encode("ascii", "ignore").decode().lower())


def _cyrillic_rows(
    ethnicity: str, gender: str, lang: str, table: str, arabic_from: str
) -> list[NameEntry]:
    out = []
    for row in _rows(table):
        native, latin, variants, russian, chinese = row[:5]
        if arabic_from == "kk":
            arabic = kazakh_arabic(native)
        elif arabic_from == "ky":
            arabic = kyrgyz_arabic(native)
        else:
            arabic = uly_to_arabic(row[5])
        out.append(
            NameEntry(
                key=f"{ethnicity}.{gender}.{_slug(latin)}",
                ethnicity=ethnicity,
                gender=gender,
                native=native,
                native_lang=lang,
                latin=latin,
                latin_variants=_variants(variants, latin),
                russian=russian,
                chinese=chinese,
                arabic=arabic,
                plain=plain_cyrillic(native, lang),
            )
        )
    return out


def _uyghur_rows(gender: str, table: str) -> list[NameEntry]:
    out = []
    for uly, variants, russian, chinese in _rows(table):
        latin = uly.replace("'", "")
        native = uly_to_cyrillic(uly)
        out.append(
            NameEntry(
                key=f"uyghur.{gender}.{_slug(latin)}",
                ethnicity="uyghur",
                gender=gender,
                native=native,
                native_lang="ug",
                latin=latin,
                latin_variants=_variants(variants, latin),
                russian=russian,
                chinese=chinese,
                arabic=uly_to_arabic(uly),
                plain=plain_cyrillic(native, "ug"),
            )
        )
    return out


_SYLLABLES = {han: (py, ru) for han, py, ru in _rows(_HAN_SYLLABLES)}


def _hui_rows(gender: str, table: str) -> list[NameEntry]:
    out = []
    for given in table.split():
        pys = [_SYLLABLES[ch][0] for ch in given]
        rus = [_SYLLABLES[ch][1] for ch in given]
        pinyin = "".join(pys).capitalize()
        russian = "".join(rus).capitalize()
        variants: list[str] = []
        if len(pys) > 1:
            variants.append(" ".join(p.capitalize() for p in pys))  # Xue Wen
            variants.append(pys[0].capitalize() + "-" + "".join(pys[1:]))  # Xue-wen
        out.append(
            NameEntry(
                key=f"hui.{gender}.{''.join(pys)}",
                ethnicity="hui",
                gender=gender,
                native=given,
                native_lang="zh",
                latin=pinyin,
                latin_variants=tuple(variants),
                russian=russian,
                chinese=given,
                arabic="",
                plain=russian,
            )
        )
    return out


def _build() -> dict[str, dict[str, tuple[NameEntry, ...]]]:
    pools: dict[str, dict[str, list[NameEntry]]] = {
        "kazakh": {
            "m": _cyrillic_rows("kazakh", "m", "kk", _KAZAKH_M, "kk"),
            "f": _cyrillic_rows("kazakh", "f", "kk", _KAZAKH_F, "kk"),
        },
        "uyghur": {"m": _uyghur_rows("m", _UYGHUR_M), "f": _uyghur_rows("f", _UYGHUR_F)},
        "kyrgyz": {
            "m": _cyrillic_rows("kyrgyz", "m", "ky", _KYRGYZ_M, "ky"),
            "f": _cyrillic_rows("kyrgyz", "f", "ky", _KYRGYZ_F, "ky"),
        },
        "hui": {"m": _hui_rows("m", _HUI_M), "f": _hui_rows("f", _HUI_F)},
        "uzbek": {
            "m": _cyrillic_rows("uzbek", "m", "uz", _UZBEK_M, "ug"),
            "f": _cyrillic_rows("uzbek", "f", "uz", _UZBEK_F, "ug"),
        },
        "tatar": {
            "m": _cyrillic_rows("tatar", "m", "tt", _TATAR_M, "ug"),
            "f": _cyrillic_rows("tatar", "f", "tt", _TATAR_F, "ug"),
        },
    }
    return {eth: {g: tuple(v) for g, v in by_g.items()} for eth, by_g in pools.items()}


POOLS: dict[str, dict[str, tuple[NameEntry, ...]]] = _build()
ENTRIES: dict[str, NameEntry] = {}
for _by_gender in POOLS.values():
    for _entries in _by_gender.values():
        for _entry in _entries:
            if _entry.key in ENTRIES:
                raise RuntimeError(f"duplicate name key in the demo pools: {_entry.key}")
            ENTRIES[_entry.key] = _entry

HUI_SURNAMES: tuple[Surname, ...] = tuple(
    Surname(f"hui.surname.{py.lower()}", han, py, ru, float(w))
    for han, py, ru, w in _rows(_HUI_SURNAMES)
)

ISLAMIC_NAMES: tuple[IslamicName, ...] = tuple(
    IslamicName(f"islamic.{g}.{lat.lower()}", g, lat, ru, zh, ar)
    for g, lat, ru, zh, ar in _rows(_ISLAMIC)
)

# (given name key, father's name key) combinations that would reproduce the names of
# well-known public figures; the generator never produces them.
BLOCKED_PAIRS: frozenset[tuple[str, str]] = frozenset(
    {
        ("uyghur.f.mihrigul", "uyghur.m.tursun"),
        ("uyghur.m.perhat", "uyghur.m.tursun"),
        ("uyghur.f.rabiye", "uyghur.m.qadir"),
        ("uyghur.f.sanubar", "uyghur.m.tursun"),
    }
)
