"""Synthetic name pools for demo data and benchmarks.

PRIVACY: every entry below is a *common given name* or a name built from common name parts,
i.e. public knowledge of naming practice, not a person. The generator in
:mod:`aigaq.demo.namegen` combines a given name with a father's name drawn at random from the
same pool; no real person's data is used, and the combinations that would spell the name of a
public figure named in reporting on Xinjiang are excluded (``BLOCKED_PAIRS``, built from
``_PUBLIC_FIGURES``).

Each pool is the hand-written whole names first (in rough order of commonness), then compound
names built from morpheme tables (Kazakh, Kyrgyz, Uyghur: Тұрсын + бек, Гүл + жамал, Abdu +
rehim, Memet + jan; see the comment above ``_KAZAKH_M_TAILS``), then for Hui the one- and
two-character names built from the syllable table. The order is the frequency rank the
generator uses: at 1,000,000 persons, pools of a few dozen names would give every person
dozens of exact namesakes, which real naming does not.

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
Where in doubt a name was left out rather than given a guessed rendering. The same holds for
compounds: the Chinese form of a compound is that of its parts in sequence (吐尔逊 + 别克 =
吐尔逊别克, 古丽 + 加玛丽 = 古丽加玛丽), which is how the syllable-by-syllable rules transcribe a
compound whose second part begins with a consonant. Most parts carry a rendering seen in
common use (the whole-name tables, or standard morphemes: 别克 bek, 江 jan, 汗 khan, 拜 bay,
波力 bol, 波拉提 bolat, 苏力坦 sultan, 古丽 gül, 努尔 nur, 阿依 ay for women / 艾 ay for men,
叶尔 er, 阿不都 abdu); a few rest on the syllable rules alone and are the first to check
against documents (阿斯力 Асыл, 阿勒腾 Алтын, 吾拉孜 Ораз, 沙尔森 Сәрсен, 拜森 Бейсен,
赛依提 Сейіт, 库尔曼 Құрман, 昆 Күн, 吾米提 Үміт, 艾森 Kyrgyz Эсен; tails 泰 -тай, 哈孜 -ғазы,
塔斯 -тас, 纳扎尔 -назар, 坎 Kyrgyz -кан, 波塔 -бота, 玛拉勒 -марал, 托提 -тоты). Compounds
whose rendering would be a guess beyond that are left out, which keeps the female pools
smaller than the male ones: women's names are less often compounds of parts with a settled
Chinese form.

Chinese renderings are also given in passport pinyin (``NameEntry.pinyin``: 古丽娜尔 ->
Gulinaer), from a hand-written character table (``_HAN_PINYIN``), as Chinese passports and
exit documents print them.

The module is pure Python (no Django); all tables are parsed once at import.
"""

from __future__ import annotations

import dataclasses
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
    "chinese_pinyin",
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
    pinyin: str = ""  # the Chinese rendering in Hanyu Pinyin, as in passports (Gulinaer)

    @property
    def latin_all(self) -> tuple[str, ...]:
        return (self.latin, *self.latin_variants)

    def surface_forms(self) -> tuple[str, ...]:
        """Every spelling of this given name the pools know, in all scripts."""
        forms = [self.native, self.plain, self.russian, self.chinese, *self.latin_all, self.pinyin]
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
    "а": "ا",
    "ә": "ا",
    "б": "ب",
    "в": "ۆ",
    "г": "گ",
    "ғ": "ع",
    "д": "د",
    "е": "ە",
    "ё": "يو",
    "ж": "ج",
    "з": "ز",
    "и": "ي",
    "й": "ي",
    "к": "ك",
    "қ": "ق",
    "л": "ل",
    "м": "م",
    "н": "ن",
    "ң": "ڭ",
    "о": "و",
    "ө": "و",
    "п": "پ",
    "р": "ر",
    "с": "س",
    "т": "ت",
    "у": "ۋ",
    "ұ": "ۇ",
    "ү": "ۇ",
    "ф": "ف",
    "х": "ح",
    "һ": "ھ",
    "ц": "تس",
    "ч": "چ",
    "ш": "ش",
    "щ": "شش",
    "ъ": "",
    "ы": "ى",
    "і": "ى",
    "ь": "",
    "э": "ە",
    "ю": "يۋ",
    "я": "يا",
}
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
    "а": "ا",
    "б": "ب",
    "в": "ۋ",
    "д": "د",
    "е": "ە",
    "ж": "ج",
    "з": "ز",
    "и": "ي",
    "й": "ي",
    "л": "ل",
    "м": "م",
    "н": "ن",
    "ң": "ڭ",
    "о": "و",
    "ө": "ۅ",
    "п": "پ",
    "р": "ر",
    "с": "س",
    "т": "ت",
    "у": "ۇ",
    "ү": "ۉ",
    "ф": "ف",
    "х": "ح",
    "ч": "چ",
    "ш": "ش",
    "ы": "ى",
    "э": "ە",
    "ю": "يۇ",
    "я": "يا",
    "ь": "",
    "ъ": "",
}
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
    "a": "ا",
    "b": "ب",
    "ch": "چ",
    "d": "د",
    "e": "ە",
    "é": "ې",
    "f": "ف",
    "g": "گ",
    "gh": "غ",
    "h": "ھ",
    "i": "ى",
    "j": "ج",
    "k": "ك",
    "l": "ل",
    "m": "م",
    "n": "ن",
    "ng": "ڭ",
    "o": "و",
    "ö": "ۆ",
    "p": "پ",
    "q": "ق",
    "r": "ر",
    "s": "س",
    "sh": "ش",
    "t": "ت",
    "u": "ۇ",
    "ü": "ۈ",
    "w": "ۋ",
    "x": "خ",
    "y": "ي",
    "z": "ز",
    "zh": "ژ",
}
_ULY_CYRILLIC = {
    "a": "а",
    "b": "б",
    "ch": "ч",
    "d": "д",
    "e": "ә",
    "é": "е",
    "f": "ф",
    "g": "г",
    "gh": "ғ",
    "h": "һ",
    "i": "и",
    "j": "җ",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "ng": "ң",
    "o": "о",
    "ö": "ө",
    "p": "п",
    "q": "қ",
    "r": "р",
    "s": "с",
    "sh": "ш",
    "t": "т",
    "u": "у",
    "ü": "ү",
    "w": "в",
    "x": "х",
    "y": "й",
    "z": "з",
    "zh": "ж",
}


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
Toxti|Tohti;Tokhti|Тохти|托合提
Sabir|Sabyr;Sobir|Сабир|沙比尔
Talip|Talib;Tallip|Талип|塔力甫
Zunun|Zunon;Zunnun|Зунун|祖农
Zordun|Zordon;Zurdun|Зордун|卓尔敦
Yalqun|Yalkun;Yalqin|Ялкун|亚力坤
Nijat|Nijad;Nizhat|Нижат|尼加提
Hoshur|Hoshor;Khoshur|Хошур|吾守尔
Enwer|Anwar;Enver|Анвар|艾尼瓦尔
Arslan|Arslon;Aslan|Арслан|阿尔斯兰
Jume|Juma;Zhuma|Жума|居马
Emet|Amat;Emmet|Эмет|艾买提
Sayit|Sait;Sayyid|Саит|沙依提
Zakir|Zakyr;Zaqir|Закир|扎克尔
Ghayret|Gayrat;Ghayrat|Гайрат|海拉提
Qeyyum|Kayum;Qayum|Каюм|克尤木
Obulqasim|Obulkasim;Abulkasim|Обулкасым|吾布力卡斯木
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
Исмоил|Ismoil|Ismail;Ismayil|Исмаил|司马义|Ismayil
Одил|Odil|Adil|Адиль|阿迪力|Adil
Қодир|Qodir|Kodir;Kadir|Кадыр|卡德尔|Qadir
Юнус|Yunus|Yunis|Юнус|玉努斯|Yunus
Қурбон|Qurbon|Kurbon;Kurban|Курбан|库尔班|Qurban
Эркин|Erkin|Arkin|Эркин|艾尔肯|Erkin
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
Гулнора|Gulnora|Gulnara|Гульнара|古丽娜拉|Gülnara
Гулчеҳра|Gulchehra|Gulchekhra|Гульчехра|古丽切合热|Gülchéhre
Ойгул|Oygul|Aygul|Айгуль|阿依古丽|Aygül
Гулшан|Gulshan|Gulchan|Гульшан|古丽仙|Gülshen
"""

_TATAR_M = """
Рәшит|Rashit|Räşit;Rashid|Рашит|热西提|Reshit
Кәрим|Karim|Kärim;Kerim|Карим|卡里木|Kerim
Габдулла|Gabdulla|Ğabdulla;Abdulla|Габдулла|阿不都拉|Ghabdulla
Искәндәр|Iskandar|Iskändär;Iskander|Искандер|伊斯坎德尔|Iskender
Ибраһим|Ibrahim|Ibragim|Ибрагим|依布拉音|Ibrahim
Тимур|Timur|Temir|Тимур|铁木尔|Timur
Марат|Marat|Marrat|Марат|马拉提|Marat
Хәсән|Khasan|Hasan;Khäsän|Хасан|哈桑|Hesen
Юныс|Yunys|Yunus|Юнус|玉努斯|Yunus
"""

_TATAR_F = """
Гүзәл|Guzel|Güzäl;Guzal|Гузель|古再丽|Güzel
Әминә|Amina|Äminä;Emine|Амина|阿米娜|Emine
Фатыйма|Fatima|Fatıyma;Fatyma|Фатима|法蒂玛|Fatime
Гөлнара|Gulnara|Gölnara;Gulnar|Гульнара|古丽娜拉|Gülnara
Ләйлә|Leila|Läylä;Layla|Лейла|莱拉|Leyla
Рәйхан|Rayhan|Raikhan;Räykhan|Райхан|热依汗|Reyhan
Дилбәр|Dilbar|Dilbär|Дильбар|迪丽拜尔|Dilber
Сания|Saniya|Sania|Сания|萨尼亚|Saniye
"""

# ---------------------------------------------------------------------------------------------
# Compound given names: morpheme tables.
#
# Kazakh, Kyrgyz and Uyghur given names are very productive compounds (Тұрсын + бек, Гүл +
# жамал, Abdu + rehim, Memet + jan). Each morpheme below carries all its renderings; the
# renderings of a compound are derived from them (see ``_compound``), never guessed one by one:
# native spelling and Russian by concatenation (Гүл + нұр = Гүлнұр, Гуль + нур = Гульнур), the
# Chinese form by concatenating the morphemes' characters (吐尔逊 + 别克 = 吐尔逊别克, the
# syllable-by-syllable practice of the transcription rules; only tails that begin with a
# consonant follow a consonant, so no syllable is split across the seam, except 阿依 -ay, kept
# as in common use: 吐尔逊阿依), the Arabic script from the whole native spelling with the
# functions above, Latin variants from a few combinations of the morphemes' variants.
#
# Heads: native | standard Latin | Latin variants | Russian | Chinese | the tails it takes, most
# usual first. "*" stands for the tails every male name root takes (Kazakh: бек жан хан бай and
# ғали, or қали after a voiceless consonant; Kyrgyz: бек жан бай); "-x" removes tail x. The lists
# are curated: a tail is listed where the compound is in use (Тұрсынбек, Есенбай, Нұрсұлтан,
# Бақытжан, Жұмабай, Серікбол, Гүлжан, Айжамал, Нұрсұлу, Ақгүл, Күнсұлу...), not the full cross
# product. Female Chinese forms use the female characters (阿依 ay, 娜 na, 丽 li), male ones the
# male characters (艾 ay, 纳 na).
# Tails: native | standard Latin | Latin variants | Russian | Chinese.
# Uyghur morphemes are written in ULY (as _UYGHUR_M): ULY | Latin variants | Russian | Chinese.
# ---------------------------------------------------------------------------------------------

_KAZAKH_M_TAILS = """
бек|bek|beck|бек|别克
жан|zhan|jan;dzhan|жан|江
хан|khan|han|хан|汗
бай|bai|bay|бай|拜
бол|bol||бол|波力
болат|bolat|bulat|болат|波拉提
ғали|gali|ghali|гали|哈力
қали|kali|qali|кали|哈力
сұлтан|sultan|soultan|султан|苏力坦
тай|tai|tay|тай|泰
ғазы|gazy|ghazy;gazi|газы|哈孜
дос|dos|doss|дос|多斯
мұрат|murat|murad|мурат|木拉提
нұр|nur|nour|нур|努尔
тас|tas|tass|тас|塔斯
назар|nazar|nasar|назар|纳扎尔
дәулет|daulet|dawlet;däulet|даулет|达吾列提
тұрсын|tursyn|tursun|турсын|吐尔逊
"""

_KAZAKH_M_HEADS = """
Нұр|Nur|Nour|Нур|努尔|бек жан бол болат ғали сұлтан бай тай мұрат хан тас дәулет ғазы дос назар
Ер|Er|Yer|Ер|叶尔|жан бол болат хан бек ғали сұлтан нұр тай мұрат тас назар дәулет ғазы дос
Бек|Bek|Beck|Бек|别克|жан бол болат сұлтан мұрат нұр тас назар хан тұрсын тай
Ай|Ai|Ay|Ай|艾|бек дос бол болат сұлтан
Жан|Zhan|Jan|Жан|江|бол болат сұлтан мұрат ғали дос тай
Асыл|Asyl|Asil;Assyl|Асыл|阿斯力|* тай
Алтын|Altyn|Altin|Алтын|阿勒腾|* тай
Қанат|Kanat|Qanat|Канат|哈纳提|*
Серік|Serik|Seryk|Серик|赛力克|* бол болат
Тұрсын|Tursyn|Tursun;Tursin|Турсын|吐尔逊|* тай
Есен|Esen|Yesen|Есен|叶森|* тай
Жұма|Zhuma|Juma;Dzhuma|Жума|居马|* тай ғазы
Бақыт|Bakyt|Baqyt;Bakhyt|Бакыт|巴合提|*
Мұрат|Murat|Murad|Мурат|木拉提|*
Ахмет|Akhmet|Ahmet;Akhmed|Ахмет|阿合买提|*
Мұхамет|Mukhamet|Muhamet;Mukhammed|Мухамет|木哈买提|жан қали бек
Қасым|Kasym|Qasym;Kassym|Касым|哈斯木|*
Әлі|Ali|Äli;Aly|Али|阿力|* -ғали
Сейіт|Seiit|Seyit;Seit|Сеит|赛依提|*
Құрман|Kurman|Qurman;Kourman|Курман|库尔曼|*
Дос|Dos|Doss|Дос|多斯|* бол тай
Ораз|Oraz|Oras|Ораз|吾拉孜|*
Қайрат|Kairat|Qairat;Kayrat|Кайрат|海拉提|*
Берік|Berik|Beryk|Берик|别力克|* бол
Болат|Bolat|Bulat|Болат|波拉提|*
Дәулет|Daulet|Dawlet;Dauliet|Даулет|达吾列提|*
Талғат|Talgat|Talghat|Талгат|塔力哈提|*
Мақсат|Maksat|Maqsat;Makhsat|Максат|马合沙提|*
Темір|Temir|Temyr|Темир|铁木尔|* болат
Сұлтан|Sultan|Soultan|Султан|苏力坦|*
Қуаныш|Kuanysh|Quanysh;Kuanish|Куаныш|库瓦尼西|*
Айдар|Aidar|Aydar|Айдар|艾达尔|*
Асқар|Askar|Asqar;Askhar|Аскар|阿斯哈尔|*
Сапар|Sapar|Safar|Сапар|沙帕尔|*
Омар|Omar|Umar|Омар|吾马尔|*
Мұса|Musa|Mussa|Муса|木沙|*
Иса|Isa|Issa|Иса|依沙|*
Кенже|Kenzhe|Kenje|Кенже|肯杰|* тай
Аман|Aman||Аман|阿曼|* тай
Сәрсен|Sarsen|Särsen|Сарсен|沙尔森|*
Бейсен|Beisen|Beysen|Бейсен|拜森|*
Ислам|Islam||Ислам|伊斯拉木|*
Ғалым|Galym|Ghalym;Galim|Галым|哈力木|* -ғали
Еркін|Erkin|Yerkin|Еркин|叶尔肯|*
Қадыр|Kadyr|Qadyr;Kadir|Кадыр|卡德尔|*
Әділ|Adil|Ädil;Adyl|Адиль|阿迪力|*
Асан|Asan|Assan;Hasan|Асан|阿山|*
Үсен|Usen|Üsen;Ussen|Усен|吾森|*
Жанат|Zhanat|Janat|Жанат|加纳提|*
Дәурен|Dauren|Dawren;Däuren|Даурен|达吾仁|*
Құрбан|Kurban|Qurban;Kourban|Курбан|库尔班|*
Тоқтар|Toktar|Toqtar;Tokhtar|Токтар|托合塔尔|*
Ақ|Ak|Aq|Ак|阿克|бол тай назар
Дархан|Darkhan|Darhan|Дархан|达尔汗|бек
Оспан|Ospan|Uspan|Оспан|乌斯满|*
Хамит|Khamit|Hamit|Хамит|哈米提|*
Мәди|Madi|Mädi|Мади|马迪|*
Бейбіт|Beibit|Beybit|Бейбит|拜比提|*
Бағдат|Bagdat|Baghdat|Багдат|巴合达提|*
Ғабит|Gabit|Ghabit|Габит|哈比提|*
Қайсар|Kaisar|Qaisar;Kaysar|Кайсар|凯萨尔|*
Мұхтар|Mukhtar|Muhtar|Мухтар|木合塔尔|*
Сәкен|Saken|Säken|Сакен|沙肯|*
"""

_KAZAKH_F_TAILS = """
гүл|gul|gül;gyl|гуль|古丽
нұр|nur|nour|нур|努尔
жан|zhan|jan;dzhan|жан|江
сұлу|sulu|soulou;suluu|сулу|苏鲁
жамал|zhamal|jamal;dzhamal|жамал|加玛丽
нар|nar|nara|нар|娜尔
мира|mira|myra|мира|米拉
сара|sara|sarah|сара|沙拉
зира|zira|zyra|зира|孜拉
бану|banu|banou|бану|巴努
шат|shat|chat|шат|夏提
сім|sim|sym|сим|斯木
зат|zat|sat|зат|扎提
дана|dana||дана|达娜
жанат|zhanat|janat|жанат|加娜提
бота|bota|botta|бота|波塔
марал|maral|marall|марал|玛拉勒
тоты|toty|toti|тоты|托提
зада|zada|zadah|зада|扎达
сәуле|saule|säule;sawle|сауле|沙吾列
ниса|nisa|nissa|ниса|尼沙
ай|ai|ay|ай|阿依
"""

_KAZAKH_F_HEADS = """
Гүл|Gul|Gül|Гуль|古丽|жан жамал жанат зада сұлу дана ниса нар мира нұр сара зира бану шат сім зат
Ай|Ai|Ay|Ай|阿依|гүл нұр жан сұлу жамал зада сәуле жанат бота зат бану нар зира мира сара дана марал ниса
Нұр|Nur|Nour|Нур|努尔|гүл сұлу жамал жанат бану дана зада ниса сара зира шат
Ақ|Ak|Aq|Ак|阿克|гүл бота нұр жан марал тоты сұлу бану
Бибі|Bibi|Biby|Биби|比比|гүл жан сара жамал нұр
Айша|Aisha|Aysha|Айша|阿依夏|гүл
Күн|Kun|Kün|Кун|昆|сұлу гүл жан
Тұрсын|Tursyn|Tursun;Tursin|Турсын|吐尔逊|гүл ай жан
Жұма|Zhuma|Juma|Жума|居马|гүл жан
Жан|Zhan|Jan|Жан|江|гүл сұлу
Алтын|Altyn|Altin|Алтын|阿勒腾|гүл ай
Шынар|Shynar|Shinar|Шынар|西娜尔|гүл
Жанар|Zhanar|Janar|Жанар|加娜尔|гүл
Сәуле|Saule|Säule|Сауле|沙吾列|гүл
Үміт|Umit|Ümit|Умит|吾米提|гүл
Есен|Esen|Yesen|Есен|叶森|гүл
Кенже|Kenzhe|Kenje|Кенже|肯杰|гүл
"""

_KYRGYZ_M_TAILS = """
бек|bek|beck|бек|别克
жан|jan|zhan;dzhan|жан|江
бай|bai|bay|бай|拜
бол|bol||бол|波力
кан|kan|khan;qan|кан|坎
султан|sultan|soultan|султан|苏力坦
мурат|murat|murad|мурат|木拉提
нур|nur|nour|нур|努尔
"""

_KYRGYZ_M_HEADS = """
Нур|Nur|Nour|Нур|努尔|бек жан бол султан бай кан мурат
Эр|Er||Эр|艾尔|бол жан нур мурат кан
Бек|Bek|Beck|Бек|别克|жан бол султан мурат нур
Ай|Ai|Ay|Ай|艾|бек бол
Асыл|Asyl|Asil|Асыл|阿斯力|* кан
Алтын|Altyn|Altin|Алтын|阿勒腾|* кан
Канат|Kanat|Qanat|Канат|哈纳提|*
Бакыт|Bakyt|Bakit;Baqyt|Бакыт|巴合提|*
Мурат|Murat|Murad|Мурат|木拉提|* кан
Турсун|Tursun|Tursoun|Турсун|吐尔逊|* кан
Жума|Juma|Zhuma;Dzhuma|Жума|居马|* кан
Сапар|Sapar|Safar|Сапар|沙帕尔|*
Максат|Maksat|Maqsat|Максат|马合沙提|*
Темир|Temir|Temyr|Темир|铁木尔|* кан
Азамат|Azamat|Asamat|Азамат|阿扎马提|*
Улан|Ulan|Oulan|Улан|乌兰|*
Асан|Asan|Hasan|Асан|阿山|* кан
Кадыр|Kadyr|Kadir|Кадыр|卡德尔|*
Садык|Sadyk|Sadik|Садык|沙迪克|*
Алым|Alym|Alim|Алым|阿里木|* кан
Курбан|Kurban|Qurban|Курбан|库尔班|*
Жусуп|Jusup|Zhusup;Yusup|Жусуп|玉素甫|*
Азиз|Aziz|Asis|Азиз|阿孜孜|*
Урмат|Urmat|Ourmat|Урмат|吾尔玛提|бек
Эркин|Erkin|Erken|Эркин|艾尔肯|*
Эсен|Esen|Essen|Эсен|艾森|*
Сейит|Seyit|Seit;Seiit|Сейит|赛依提|*
Мирлан|Mirlan|Myrlan|Мирлан|米尔兰|бек
Дастан|Dastan|Dostan|Дастан|达斯坦|бек
Абды|Abdy|Abdu;Abdi|Абды|阿不都|кадыр рашит жапар салам карим малик
"""

_KYRGYZ_M_EXTRA_TAILS = """
кадыр|kadyr|kadir|кадыр|卡德尔
рашит|rashit|rashid|рашит|热西提
жапар|japar|zhapar|жапар|加帕尔
салам|salam|salom|салам|沙拉木
карим|karim|kerim|карим|克里木
малик|malik|malyk|малик|马力克
"""

_KYRGYZ_F_TAILS = """
гүл|gul|gül;gyl|гуль|古丽
жан|jan|zhan|жан|江
сулуу|suluu|sulu|сулуу|苏鲁
нур|nur|nour|нур|努尔
жамал|jamal|zhamal|жамал|加玛丽
зат|zat|sat|зат|扎提
зада|zada|zadah|зада|扎达
мира|mira|myra|мира|米拉
сара|sara|sarah|сара|沙拉
ай|ai|ay|ай|阿依
"""

_KYRGYZ_F_HEADS = """
Гүл|Gul|Gül|Гуль|古丽|жан жамал нур сулуу зада
Ай|Ai|Ay|Ай|阿依|жан жамал зат нур зада мира сара
Нур|Nur|Nour|Нур|努尔|сулуу жамал зада
Алтын|Altyn|Altin|Алтын|阿勒腾|ай гүл
Турсун|Tursun|Tursoun|Турсун|吐尔逊|ай гүл
Жума|Juma|Zhuma|Жума|居马|гүл
Биби|Bibi|Biby|Биби|比比|жан сара жамал
Күн|Kun|Kün|Кун|昆|сулуу
Анар|Anar||Анар|阿娜尔|жан
"""

_UYGHUR_M_TAILS = """
jan|zhan;djan|жан|江
niyaz|niyas;nijaz|нияз|尼亚孜
memet|mamat;mehmet|мамет|买买提
tursun|tursoun;tursin|турсун|吐尔逊
rozi|rozy;rouzi|рози|肉孜
muhemmet|muhammad;mukhammed|мухаммед|木哈买提
rehim|rahim;rakhim|рахим|热依木
kérim|kerim;karim|керим|克里木
qadir|kadir;kadyr|кадыр|卡德尔
weli|vali;wali|вали|外力
sattar|satar;sattor|саттар|沙塔尔
xaliq|khalik;halik|халик|哈力克
reshit|rashid;reshid|рашит|热西提
ghopur|gopur;gafur|гопур|吾甫尔
rehman|rahman;rakhman|рахман|热合曼
salam|salom;selam|салам|沙拉木
shükür|shukur;shukir|шукур|秀库尔
mijit|mejit;majid|мижит|米吉提
hamit|hamid;khamit|хамит|哈米提
qahar|kahar;kakhar|кахар|卡哈尔
sémet|semet;samat|семет|赛买提
rézaq|rezak;razak|разак|热扎克
wahap|vahap;wahab|вахап|瓦哈甫
latip|latif;latyp|латип|拉提甫
ghéni|geni;gani|гани|艾尼
qeyyum|kayum;qayum|каюм|克尤木
eziz|aziz;ezis|азиз|艾则孜
jélil|jelil;jalil|жалил|吉力力
xélil|khalil;halil|халил|哈力力
nasir|nassir;nasyr|насир|纳斯尔
basit|basyt;bosit|басит|巴斯提
hakim|khakim;hakym|хаким|哈克木
malik|malyk;melik|малик|马力克
waris|varis;wares|варис|瓦力斯
wahit|vahit;wakhit|вахит|瓦依提
jappar|japar;zhappar|жаппар|加帕尔
ghappar|gappar;gaffar|гаппар|哈帕尔
mutellip|mutallip;mutalif|муталлип|木塔力甫
"""

_UYGHUR_M_HEADS = """
Abdu|Abdul;Abdi|Абду|阿不都|rehim kérim qadir weli sattar xaliq reshit ghopur rehman salam shükür mijit hamit qahar sémet rézaq wahap latip ghéni qeyyum eziz jélil xélil nasir basit hakim malik waris wahit jappar ghappar mutellip niyaz
Memet|Mamat;Mehmet|Мамет|买买提|jan tursun rozi niyaz
Tursun|Tursoun;Tursin|Турсун|吐尔逊|jan memet niyaz
Rozi|Rozy;Rouzi|Рози|肉孜|memet niyaz
Qurban|Kurban;Gurban|Курбан|库尔班|jan niyaz
Turdi|Turdy;Tourdi|Турди|吐尔地|memet niyaz
Nur|Nour|Нур|努尔|muhemmet niyaz
Eli|Ali;Ely|Али|艾力|jan
Imin|Emin;Iymin|Имин|依明|jan
Qasim|Kasim;Kasym|Касым|哈斯木|jan
Hesen|Hasan;Hasen|Хасан|艾山|jan
Osman|Usman;Osmon|Осман|吾斯曼|jan
Ilham|Ilkham;Elham|Ильхам|伊力哈木|jan
Erkin|Arkin;Erken|Эркин|艾尔肯|jan
Adil|Adyl;Odil|Адиль|阿迪力|jan
Yasin|Yassin;Yasen|Ясин|亚森|jan
Tahir|Takhir;Tayir|Тахир|塔依尔|jan
Kamil|Kamel|Камиль|卡米力|jan
Yüsüp|Yusup;Yusuf|Юсуп|玉素甫|jan
Yaqup|Yakup;Yakub|Якуп|亚库甫|jan
Turghun|Turgun;Tourgoun|Тургун|吐尔洪|jan
Ismayil|Ismail;Ismayl|Исмаил|司马义|jan
Ibrahim|Ibragim;Ibrahym|Ибрагим|依布拉音|jan
Muhemmet|Muhammad;Mukhammed|Мухаммед|木哈买提|jan
Shöhret|Shohrat;Shuhrat|Шухрат|肖开提|jan
Ekber|Akbar;Ekbar|Акбар|艾克拜尔|jan
Sadiq|Sadik;Sadyk|Садык|沙迪克|jan
Ömer|Omer;Umar|Омер|吾买尔|jan
Yunus|Younus;Yunis|Юнус|玉努斯|jan
Dawut|Davut;Dawud|Давут|达吾提|jan
Musa|Mussa;Mosa|Муса|木沙|jan
Isa|Issa;Eisa|Иса|依沙|jan
Qadir|Kadir;Kadyr|Кадыр|卡德尔|jan
Kérim|Kerim;Karim|Керим|克里木|jan
Eziz|Aziz;Ezis|Азиз|艾则孜|jan
Rehman|Rahman;Rakhman|Рахман|热合曼|jan
Reshit|Rashid;Reshid|Рашит|热西提|jan
Perhat|Parhat;Ferhat|Пархат|帕尔哈提|jan
Dilshat|Dilshad;Dilchat|Дильшат|迪力夏提|jan
Ilshat|Ilshad;Elshat|Ильшат|伊力夏提|jan
Ablet|Ablat|Аблет|阿不来提|jan
Abliz|Ablez;Ablis|Аблиз|阿不力孜|jan
Ablimit|Ablimet;Ablemit|Аблимит|阿布力米提|jan
Mijit|Mejit;Majid|Мижит|米吉提|jan
Ghopur|Gopur;Gafur|Гопур|吾甫尔|jan
Sawut|Savut;Sawud|Савут|沙吾提|jan
Mehmut|Mahmut;Mahmud|Махмут|买合木提|jan
Islam|Eslam;Islom|Ислам|斯拉木|jan
Ghalip|Galip;Ghalib|Галип|哈力甫|jan
Sabir|Sabyr;Sobir|Сабир|沙比尔|jan
Talip|Talib;Tallip|Талип|塔力甫|jan
Enwer|Anwar;Enver|Анвар|艾尼瓦尔|jan
Zakir|Zakyr;Zaqir|Закир|扎克尔|jan
Emet|Amat;Emmet|Эмет|艾买提|jan
Ghayret|Gayrat;Ghayrat|Гайрат|海拉提|jan
"""

_UYGHUR_F_TAILS = """
gül|gul;gyl|гуль|古丽
nisa|nissa;nisso|ниса|尼沙
xan|khan;han|хан|汗
nur|nour|нур|努尔
jamal|zhamal;djamal|жамал|加玛丽
ay|ai|ай|阿依
"""

_UYGHUR_F_HEADS = """
Gül|Gul|Гуль|古丽|nur jamal
Nur|Nour|Нур|努尔|jamal
Mihri|Mehri;Mikhri|Михри|米热|nisa nur
Pati|Fati;Patti|Пати|帕提|xan
Tur|Tour|Тур|吐尔|nisa
Tursun|Tursoun;Tursin|Турсун|吐尔逊|ay nisa xan
Rozi|Rozy;Rouzi|Рози|肉孜|gül nisa xan
Bibi|Biby;Bibbi|Биби|比比|gül xan nisa jamal
Anar|Anor;Annar|Анар|阿娜尔|xan
Awa|Ava;Avva|Ава|阿瓦|gül xan
Rena|Rana;Reno|Рена|热娜|gül
Taji|Tadji;Tazhi|Таджи|塔吉|gül nisa
Pasha|Pasa;Pacha|Паша|帕夏|gül
Nazu|Nazi;Nasu|Назу|娜孜|gül
Shirin|Chirin;Shireen|Ширин|西仁|gül
Ayshem|Aysham;Aishem|Айшам|阿依谢姆|gül
Reyhan|Rayhan;Reihan|Райхан|热依汗|gül
Meryem|Maryam;Meriem|Марьям|麦尔耶姆|gül
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
俊|jun|цзюнь
峰|feng|фэн
辉|hui|хуэй
淑|shu|шу
翠|cui|цуй
香|xiang|сян
玲|ling|лин
素|su|су
亚|ya|я
琳|lin|линь
洁|jie|цзе
倩|qian|цянь
菊|ju|цзюй
"""

# Hand-listed Hui given names (below), the common ones, rank first. After them come the one-
# and two-character names built from these syllables, the male and female sets kept apart: a
# one-character name is any syllable of the second set, a two-character name one of the first
# set followed by one of the second (建 + 华, 秀 + 兰), the usual places of these characters in
# a given name; no character twice, and no pair whose pinyin another name already has.
_HUI_M_FIRST = "学文国志建海永福成伟忠小云平东新正宝春明德金玉清祥有俊"
_HUI_M_SECOND = "文强国军华福成伟忠龙云平斌勇林刚杰涛鹏亮东山民义仁才宝生明德祥海新清峰辉"
_HUI_F_FIRST = "玉秀桂丽春金海晓雪月凤红淑翠小艳素亚"
_HUI_F_SECOND = "兰梅芳英花霞红丽萍燕娟珍凤琴莲月慧静敏婷雪丹娜荣香玲琳洁倩菊"

_HUI_M = """
学文 国强 志强 建国 海军 文华 永福 成 伟 忠 小龙 云 平 斌 勇 林 刚 杰 涛 鹏 亮 东 海山 新民
正义 仁 有才 宝山 春生 明 德明 志明 金山 玉福 国华 建华 清海 祥
"""

_HUI_F = """
玉兰 梅 芳 秀英 桂花 霞 红 丽 萍 燕 娟 秀珍 凤英 琴 秀莲 月梅 桂兰 慧 静 敏 婷 雪梅 雪莲
金花 玉梅 丽娟 海燕 晓燕 丹 娜 秀兰 玉珍 春花 荣
"""

# Hanyu Pinyin of every character the Turkic pools' Chinese renderings use, as read in
# personal names (阿 a, not e; 都 du, not dou; 提 ti, not di; 合 he, not ge; 卡 ka, not qia), for
# the passport romanisation of those renderings (古丽娜尔·赛力克 -> Gulinaer Sailike). Pairs
# character|pinyin, separated by spaces. The Hui characters are in _HAN_SYLLABLES.
_HAN_PINYIN = """
丁|ding 不|bu 丽|li 乃|nai 义|yi 乌|wu 买|mai 亚|ya 仁|ren 仙|xian
伊|yi 依|yi 克|ke 兰|lan 再|zai 凯|kai 切|qie 列|lie 则|ze 别|bie
力|li 加|jia 努|nu 勒|le 包|bao 卡|ka 古|gu 叶|ye 司|si 合|he
吉|ji 吐|tu 吾|wu 哈|ha 图|tu 地|di 坎|kan 坦|tan 塔|ta 夏|xia
外|wai 多|duo 如|ru 姆|mu 娅|ya 娜|na 孜|zi 宛|wan 尔|er 尤|you
尼|ni 居|ju 山|shan 巴|ba 布|bu 帕|pa 库|ku 开|kai 德|de 扎|zha
托|tuo 拉|la 拜|bai 提|ti 敦|dun 斯|si 日|ri 昆|kun 明|ming 曼|man
木|mu 来|lai 杰|jie 格|ge 桑|sang 森|sen 比|bi 汗|han 江|jiang 沙|sha
法|fa 波|bo 泰|tai 洪|hong 海|hai 满|man 热|re 玉|yu 玛|ma 班|ban
瓦|wa 甫|fu 皮|pi 祖|zu 秀|xiu 米|mi 素|su 纳|na 耶|ye 肉|rou
肖|xiao 肯|ken 胡|hu 腾|teng 艾|ai 苏|su 茹|ru 莱|lai 菲|fei 萨|sa
蒂|di 西|xi 谢|xie 赛|sai 达|da 迪|di 逊|xun 都|du 里|li 铁|tie
阿|a 音|yin 马|ma 高|gao 鲁|lu 麦|mai 农|nong 卓|zhuo 坤|kun 守|shou
"""

# Public figures: people named in public reporting on Xinjiang (camp survivors who testified
# in public, activists, journalists, scholars). Only their names are here, as the press spells
# them: given name spellings | father's name (or the surname made from it) spellings. The
# generator never pairs a given name matching the first field with a father's name matching
# the second (see _blocked_pairs), so that no synthetic person carries such a name.
_PUBLIC_FIGURES = """
Sayragul;Sairagul|Sauytbay;Sauytbai;Sawitbay
Serikzhan;Serikjan|Bilash;Bilyash
Qalida;Kalida;Khalida;Xalide|Akytkhan;Aqytkhan;Akythan
Gulzhan;Guljan|Tokhtasyn;Toqtasyn;Tokhtasin
Mihrigul;Mihrigül;Mehrigul|Tursun;Tursyn
Rebiya;Rabiya;Rabiye|Kadeer;Qadir;Kadir
Perhat;Parhat|Tursun;Tursyn
Sanubar|Tursun;Tursyn
Ilham|Tohti;Toxti;Tokhti
Enwer;Enver;Anwar|Tohti;Toxti
Memet;Mehmet|Tohti;Toxti
Nurmuhemmet;Nurmuhammad|Tohti;Toxti
Erzhan;Yerzhan|Qurban;Kurban
Anar|Sabit
Tahir|Imin;Hamut
Ilshat|Hesen;Hassan;Hasan
Gulbahar;Gulbakhar|Jalil;Jalilova;Haitiwaji
Gulmira;Gulmire|Imin
Omir|Bekali
Zumret;Zumrat|Dawut;Davut
Jewher|Ilham
Dolkun;Dolqun|Isa
Kalbinur;Qelbinur|Sidik;Sidiq;Sadiq
Erkin|Sidick;Sidiq;Sadiq
Gulzira|Auelkhan;Awelkhan
Zhanargul|Zhumatai;Zhumatay
Bakitali;Bakytali|Nur
Erbakit;Erbakyt|Otarbay;Otarbai
Kairat;Qairat|Samarkan;Samarqan
Orynbek|Koksebek
Tursunay;Tursunai|Ziyawudun
Gulchehra;Gulchehre|Hoja
Abduweli|Ayup
Abdurehim;Abdurahim|Gheni;Geni;Heyit
Rushan|Abbas
Nury;Nuri|Turkel
Omer;Ömer|Kanat;Qanat
Memetjan;Mamatjan|Jume;Juma;Abdulla
Shöhret;Shohret;Shohrat|Hoshur
Halmurat;Xalmurat|Ghopur;Gopur
Yalqun;Yalkun|Rozi
Gheyret;Ghayret;Gayrat|Niyaz
Zunun|Qadir;Kadir;Kadiri
Tashpolat|Tiyip
Dina|Nurdybay;Nurdybai
Rakhima|Senbay;Senbai
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


def chinese_pinyin(chinese: str) -> str:
    """Hanyu Pinyin of a Chinese rendering as printed in Chinese passports: syllables run
    together, no tone marks, no apostrophes, first letter capitalised (古丽娜尔 -> Gulinaer).
    From the hand-written table ``_HAN_PINYIN`` (and the Hui syllable table), never from a
    transliteration library, so that queries built from it test a search engine honestly."""
    return "".join(_PINYIN[ch] for ch in chinese).capitalize()


def _entry(
    eth: str,
    gender: str,
    lang: str,
    native: str,
    latin: str,
    variants: tuple[str, ...],
    russian: str,
    chinese: str,
    arabic: str,
) -> NameEntry:
    return NameEntry(
        key=f"{eth}.{gender}.{_slug(latin)}",
        ethnicity=eth,
        gender=gender,
        native=native,
        native_lang=lang,
        latin=latin,
        latin_variants=variants,
        russian=russian,
        chinese=chinese,
        arabic=arabic,
        plain=plain_cyrillic(native, lang) if lang != "zh" else russian,
        pinyin=chinese_pinyin(chinese),
    )


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
            _entry(
                ethnicity,
                gender,
                lang,
                native,
                latin,
                _variants(variants, latin),
                russian,
                chinese,
                arabic,
            )
        )
    return out


def _uyghur_rows(gender: str, table: str) -> list[NameEntry]:
    out = []
    for uly, variants, russian, chinese in _rows(table):
        latin = uly.replace("'", "")
        out.append(
            _entry(
                "uyghur",
                gender,
                "ug",
                uly_to_cyrillic(uly),
                latin,
                _variants(variants, latin),
                russian,
                chinese,
                uly_to_arabic(uly),
            )
        )
    return out


# --- compounds -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Morpheme:
    """One part of a compound given name: a head (Тұрсын-, Abdu-) or a tail (-бек, -rehim)."""

    native: str  # Cyrillic (kk, ky) or ULY (ug); heads capitalised, tails in lower case
    latin: str
    variants: tuple[str, ...]
    russian: str
    chinese: str
    tails: tuple[str, ...] = ()  # heads only: the tails this head takes, most usual first


def _morphemes(table: str, uly: bool) -> list[_Morpheme]:
    out = []
    for row in _rows(table):
        if uly:  # ULY | variants | Russian | Chinese [| tails]
            native, variants, russian, chinese, *rest = row
            latin = native.replace("'", "")
        else:  # Cyrillic | Latin | variants | Russian | Chinese [| tails]
            native, latin, variants, russian, chinese, *rest = row
        tails = tuple(rest[0].split()) if rest else ()
        out.append(_Morpheme(native, latin, _variants(variants, latin), russian, chinese, tails))
    return out


_VOICELESS = frozenset("кқпстфхһшщцч")
# The tails every male name root takes ("*" in the head tables).
_DEFAULT_TAILS = {"kk": ("бек", "жан", "хан", "бай", "ғали"), "ky": ("бек", "жан", "бай")}


def _tails_of(head: _Morpheme, lang: str) -> list[str]:
    """The head's tail list with "*" expanded and "-x" removals applied. Kazakh ғ of -ғали
    turns to қ after a voiceless consonant (Жұмағали, Серікқали), as the spelling has it."""
    out: list[str] = []
    removed = {t[1:] for t in head.tails if t.startswith("-")}
    for tok in head.tails:
        if tok == "*":
            out.extend(_DEFAULT_TAILS[lang])
        elif not tok.startswith("-"):
            out.append(tok)
    if lang == "kk" and head.native[-1].lower() in _VOICELESS:
        out = ["қали" if t == "ғали" else t for t in out]
    return [t for t in dict.fromkeys(out) if t not in removed]


def _compound_variants(head: _Morpheme, tail: _Morpheme, standard: str) -> tuple[str, ...]:
    """At most 3 Latin variants of head + tail, chosen deterministically from the morphemes'
    variants: the first variant of the head with the standard tail (Tursun + bek), the standard
    head with the first variant of the tail (Bakyt + jan), both first variants (one spelling
    system throughout: Juma + jan), then the same with the second variants, and so on."""
    hv, tv = head.variants, tail.variants
    pairs: list[tuple[str, str]] = []
    for i in range(max(len(hv), len(tv))):
        h = hv[i] if i < len(hv) else ""
        t = tv[i] if i < len(tv) else ""
        if h:
            pairs.append((h, tail.latin))
        if t:
            pairs.append((head.latin, t))
        if h and t:
            pairs.append((h, t))
    out = dict.fromkeys(h + t for h, t in pairs)
    out.pop(standard, None)
    return tuple(out)[:3]


_ULY_DIGRAPHS = frozenset({"ch", "gh", "ng", "sh", "zh"})


def _compound(eth: str, gender: str, lang: str, head: _Morpheme, tail: _Morpheme) -> NameEntry:
    if lang == "ug":
        # ULY: an apostrophe keeps n + g apart at the seam (Tursun'gül, not Tursungül).
        seam = (head.native[-1] + tail.native[0]).lower()
        uly = head.native + ("'" if seam in _ULY_DIGRAPHS else "") + tail.native
        native, latin, arabic = uly_to_cyrillic(uly), uly.replace("'", ""), uly_to_arabic(uly)
    else:
        native, latin = head.native + tail.native, head.latin + tail.latin
        arabic = kazakh_arabic(native) if lang == "kk" else kyrgyz_arabic(native)
    variants = _compound_variants(head, tail, latin)
    return _entry(
        eth,
        gender,
        lang,
        native,
        latin,
        variants,
        head.russian + tail.russian,
        head.chinese + tail.chinese,
        arabic,
    )


def _compounds(
    eth: str, gender: str, lang: str, heads: str, tails: str, taken: dict[str, set[str]]
) -> list[NameEntry]:
    """The compounds of a head table and a tail table, ordered so that every head's most usual
    tail comes before any head's second one (the frequency ranking follows this order).

    Skipped: doubles (Гүлгүл) and a doubled letter at the seam (Жан + нұр); a compound whose
    key, native spelling or standard Latin spelling some entry of the same ethnicity already
    has (the hand-written entry, or the compound of the other sex built first, wins: Нұржан
    stays a man's name). Variants that another entry already has as a spelling are dropped."""
    uly = lang == "ug"
    by_native = {t.native: t for t in _morphemes(tails, uly)}
    cands = []
    for h_idx, head in enumerate(_morphemes(heads, uly)):
        for t_pos, t_native in enumerate(_tails_of(head, lang)):
            cands.append((t_pos, h_idx, head, by_native[t_native]))
    cands.sort(key=lambda c: (c[0], c[1]))
    out = []
    for _pos, _idx, head, tail in cands:
        h, t = head.native.lower(), tail.native.lower()
        if h == t or h[-1] == t[0]:
            continue
        e = _compound(eth, gender, lang, head, tail)
        if e.key in taken["keys"] or e.native.lower() in taken["natives"]:
            continue
        if _slug(e.latin) in taken["latin"]:
            continue
        variants = tuple(v for v in e.latin_variants if _slug(v) not in taken["latin"])
        if not variants:
            continue
        e = dataclasses.replace(e, latin_variants=variants)
        _take(taken, e)
        out.append(e)
    return out


def _take(taken: dict[str, set[str]], e: NameEntry) -> None:
    taken["keys"].add(e.key)
    taken["natives"].add(e.native.lower())
    taken["latin"].update(_slug(v) for v in e.latin_all)


# --- Hui -------------------------------------------------------------------------------------


_SYLLABLES = {han: (py, ru) for han, py, ru in _rows(_HAN_SYLLABLES)}
_PINYIN = {han: py for han, (py, _ru) in _SYLLABLES.items()}
for _pair in _HAN_PINYIN.split():
    _han, _py = _pair.split("|")
    _PINYIN[_han] = _py


def _hui_entry(gender: str, given: str) -> NameEntry:
    pys = [_SYLLABLES[ch][0] for ch in given]
    rus = [_SYLLABLES[ch][1] for ch in given]
    pinyin = "".join(pys).capitalize()
    russian = "".join(rus).capitalize()
    variants: list[str] = []
    if len(pys) > 1:
        variants.append(" ".join(p.capitalize() for p in pys))  # Xue Wen
        variants.append(pys[0].capitalize() + "-" + "".join(pys[1:]))  # Xue-wen
    return NameEntry(
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
        pinyin=pinyin,
    )


def _hui_rows(gender: str, table: str, first: str, second: str) -> list[NameEntry]:
    """The hand-listed names, then the one-character names of ``second``, then the
    two-character names ``first`` + ``second`` in order of the sum of the two characters'
    places (the commoner characters of each set are listed first)."""
    names = table.split()
    names += list(second)
    pairs = [(i + j, i, a + b) for i, a in enumerate(first) for j, b in enumerate(second)]
    names += [name for _s, _i, name in sorted(pairs) if name[0] != name[1]]
    out: list[NameEntry] = []
    keys: set[str] = set()
    for given in dict.fromkeys(names):
        e = _hui_entry(gender, given)
        if e.key not in keys:  # 永 + 勇 and other homophones: the first one wins
            keys.add(e.key)
            out.append(e)
    return out


# --- all pools -------------------------------------------------------------------------------


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
        "hui": {
            "m": _hui_rows("m", _HUI_M, _HUI_M_FIRST, _HUI_M_SECOND),
            "f": _hui_rows("f", _HUI_F, _HUI_F_FIRST, _HUI_F_SECOND),
        },
        "uzbek": {
            "m": _cyrillic_rows("uzbek", "m", "uz", _UZBEK_M, "ug"),
            "f": _cyrillic_rows("uzbek", "f", "uz", _UZBEK_F, "ug"),
        },
        "tatar": {
            "m": _cyrillic_rows("tatar", "m", "tt", _TATAR_M, "ug"),
            "f": _cyrillic_rows("tatar", "f", "tt", _TATAR_F, "ug"),
        },
    }
    compounds = {
        # ethnicity: (lang, male heads, male tails, female heads, female tails)
        "kazakh": ("kk", _KAZAKH_M_HEADS, _KAZAKH_M_TAILS, _KAZAKH_F_HEADS, _KAZAKH_F_TAILS),
        "kyrgyz": (
            "ky",
            _KYRGYZ_M_HEADS,
            _KYRGYZ_M_TAILS + _KYRGYZ_M_EXTRA_TAILS,
            _KYRGYZ_F_HEADS,
            _KYRGYZ_F_TAILS,
        ),
        "uyghur": ("ug", _UYGHUR_M_HEADS, _UYGHUR_M_TAILS, _UYGHUR_F_HEADS, _UYGHUR_F_TAILS),
    }
    for eth, (lang, m_heads, m_tails, f_heads, f_tails) in compounds.items():
        taken: dict[str, set[str]] = {"keys": set(), "natives": set(), "latin": set()}
        for entries in pools[eth].values():
            for e in entries:
                _take(taken, e)
        pools[eth]["m"] += _compounds(eth, "m", lang, m_heads, m_tails, taken)
        pools[eth]["f"] += _compounds(eth, "f", lang, f_heads, f_tails, taken)
    return {eth: {g: tuple(v) for g, v in by_g.items()} for eth, by_g in pools.items()}


POOLS: dict[str, dict[str, tuple[NameEntry, ...]]] = _build()
ENTRIES: dict[str, NameEntry] = {}
for _by_gender in POOLS.values():
    for _entries in _by_gender.values():
        for _e in _entries:
            if _e.key in ENTRIES:
                raise RuntimeError(f"duplicate name key in the demo pools: {_e.key}")
            ENTRIES[_e.key] = _e

HUI_SURNAMES: tuple[Surname, ...] = tuple(
    Surname(f"hui.surname.{py.lower()}", han, py, ru, float(w))
    for han, py, ru, w in _rows(_HUI_SURNAMES)
)

ISLAMIC_NAMES: tuple[IslamicName, ...] = tuple(
    IslamicName(f"islamic.{g}.{lat.lower()}", g, lat, ru, zh, ar)
    for g, lat, ru, zh, ar in _rows(_ISLAMIC)
)


# --- public figures --------------------------------------------------------------------------


def _blocked_pairs() -> frozenset[tuple[str, str]]:
    """(given key, father key) for every pair of pool entries that would spell the name of a
    public figure in ``_PUBLIC_FIGURES``: the given name and the father's name each match one
    of the figure's spellings on any Latin spelling of the entry (case and diacritics folded),
    within one ethnicity."""
    forms: dict[str, list[NameEntry]] = {}
    for e in ENTRIES.values():
        if e.ethnicity == "hui":
            continue
        for v in {_slug(v) for v in (*e.latin_all, e.pinyin)}:
            forms.setdefault(v, []).append(e)
    out: set[tuple[str, str]] = set()
    for given_field, father_field in _rows(_PUBLIC_FIGURES):
        givens = {e for v in given_field.split(";") for e in forms.get(_slug(v), ())}
        fathers = {
            e for v in father_field.split(";") for e in forms.get(_slug(v), ()) if e.gender == "m"
        }
        out.update((g.key, f.key) for g in givens for f in fathers if g.ethnicity == f.ethnicity)
    return frozenset(out)


# (given name key, father's name key) combinations that would reproduce the names of
# well-known public figures; the generator never produces them.
BLOCKED_PAIRS: frozenset[tuple[str, str]] = _blocked_pairs()
