"""Chinese characters to Latin, aware of how Turkic names are written in Chinese.

Kazakh, Uyghur and Kyrgyz names are written in Chinese with a fixed stock of
characters read for their sound: 古丽娜尔·赛力克 is Gülnar Serik. Plain pinyin
(gu li na er) hides that, because Chinese syllables must end in a vowel or a
nasal. A Turkic final consonant is written with a whole syllable: -k with 克,
-t with 特 or 提, -r with 尔, -l with 丽 or 勒, -m with 木 or 姆, -p with 甫,
-s with 斯, -h with 合 or 赫. This module reads such characters either with
their vowel or as a bare consonant, and offers both readings as variants when
the choice is unsure (提 is bare in 买买提 Memet but not in 土赫提 Tohti).
Syllables are joined per name part, never per character.

Names that look Chinese (a common surname followed by one or two characters,
with none of the transcription characters above, such as 马明) are read as
pinyin surname and given name.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Final

from pypinyin import Style, lazy_pinyin

__all__ = ["HAN_READINGS", "han_parts", "transcribe"]

_RULE: Final = "rule"  # bare when not first and last or before a consonant
_END: Final = "end"  # bare only when last
_NEVER: Final = "never"  # bare only as a variant
_ALWAYS: Final = "always"  # bare whenever not first, no variant

#: char -> (usual reading, other reading or "", when the other reading is the best guess).
#: The other reading is mostly the bare final consonant; for 哈 it is qa.
HAN_READINGS: Final[dict[str, tuple[str, str, str]]] = {
    "阿": ("a", "", _NEVER),
    "艾": ("e", "he", _NEVER),  # 艾比布拉 Hebibulla: Chinese drops a first h
    "爱": ("e", "", _NEVER),
    "埃": ("e", "", _NEVER),
    "奥": ("o", "", _NEVER),
    "巴": ("ba", "", _NEVER),
    "拜": ("bay", "", _NEVER),
    "白": ("bay", "", _NEVER),
    "别": ("be", "", _NEVER),
    "波": ("bo", "", _NEVER),
    "博": ("bo", "", _NEVER),
    "布": ("bu", "b", _NEVER),
    "不": ("bu", "b", _NEVER),
    "代": ("de", "", _NEVER),
    "德": ("de", "d", _RULE),
    "迪": ("di", "", _NEVER),
    "都": ("du", "", _NEVER),
    "多": ("do", "", _NEVER),
    "尔": ("er", "r", _ALWAYS),
    "夫": ("fu", "f", _RULE),
    "甫": ("pu", "p", _RULE),
    "盖": ("ge", "", _NEVER),
    "哈": ("ha", "qa", _NEVER),  # 哈 writes h and Kazakh қ (哈萨克 = Qazaq)
    "海": ("hay", "qay", _NEVER),  # 海拉提 Qairat: 海 writes Kazakh қай as well
    "罕": ("han", "", _NEVER),
    "汗": ("han", "", _NEVER),
    "合": ("he", "h", _RULE),
    "赫": ("he", "h", _RULE),
    "加": ("ja", "", _NEVER),
    "佳": ("ja", "", _NEVER),
    "江": ("jan", "", _NEVER),
    "杰": ("je", "", _NEVER),
    "凯": ("ke", "", _NEVER),
    "开": ("ke", "", _NEVER),
    "克": ("ke", "k", _RULE),
    "肯": ("ken", "kin", _NEVER),  # 艾尔肯 Erkin
    "逊": ("sun", "", _NEVER),
    "勒": ("le", "l", _RULE),
    "列": ("le", "l", _NEVER),
    "里": ("li", "l", _NEVER),
    "力": ("li", "l", _NEVER),
    "利": ("li", "l", _NEVER),
    "丽": ("li", "l", _RULE),
    "莉": ("li", "l", _RULE),
    "罗": ("lo", "", _NEVER),
    "洛": ("lo", "", _NEVER),
    "买": ("me", "", _NEVER),
    "麦": ("me", "", _NEVER),
    "米": ("mi", "m", _NEVER),
    "姆": ("mu", "m", _RULE),
    "木": ("mu", "m", _END),
    "默": ("me", "", _NEVER),
    "乃": ("ne", "", _NEVER),
    "尼": ("ni", "n", _NEVER),
    "诺": ("no", "", _NEVER),
    "帕": ("pa", "", _NEVER),
    "佩": ("pe", "", _NEVER),
    "普": ("pu", "p", _RULE),
    "齐": ("chi", "", _NEVER),
    "其": ("chi", "", _NEVER),
    "恰": ("cha", "", _NEVER),
    "切": ("che", "", _NEVER),
    "若": ("ro", "", _NEVER),
    "赛": ("se", "", _NEVER),
    "塞": ("se", "", _NEVER),
    "舍": ("she", "", _NEVER),
    # 沙, 莎 and 山 write Turkic s (沙帕尔 Sapar, 木沙 Musa, 阿山 Asan) more often than sh.
    "沙": ("sa", "sha", _NEVER),
    "莎": ("sa", "sha", _NEVER),
    "山": ("san", "shan", _NEVER),
    "什": ("shi", "sh", _RULE),
    "斯": ("si", "s", _RULE),
    "索": ("so", "", _NEVER),
    "太": ("tay", "", _NEVER),
    "泰": ("tay", "", _NEVER),
    "特": ("te", "t", _RULE),
    "提": ("ti", "t", _END),
    "托": ("to", "", _NEVER),
    "吾": ("w", "", _NEVER),
    "外": ("we", "", _NEVER),
    "希": ("shi", "sh", _END),
    "夏": ("sha", "", _NEVER),
    "谢": ("she", "", _NEVER),
    "叶": ("ye", "", _NEVER),
    "耶": ("ye", "", _NEVER),
    "伊": ("i", "", _NEVER),
    "依": ("y", "", _NEVER),
    "玉": ("yu", "", _NEVER),
    "尤": ("yu", "", _NEVER),
    "孜": ("zi", "z", _RULE),
    "兹": ("zi", "z", _RULE),
    "则": ("ze", "", _NEVER),
    "扎": ("za", "zha", _NEVER),  # 扎丽娜 Zarina, 扎克尔 Zakir: za, not pinyin zha
}

# Characters that give a word away as a transcription of a non-Chinese name.
_TRANSCRIPTION_MARKERS: Final = frozenset(
    "尔丽克提买艾依古娜热吐孜斯罕汗别拜努娅迪帕甫夫合赫勒姆特麦阿哈米木穆萨塞赛拉巴吾乌伊叶玛莎扎"
)
_SURNAMES: Final = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤"
)
_MAX_VARIANT_POSITIONS: Final = 5
_VOWELS: Final = frozenset("aeiouyw")


def _pinyin_to_rough(syllable: str) -> str:
    """Generic pinyin syllable to rough Latin (folded later with everything else)."""
    syllable = syllable.replace("v", "u").replace("ü", "u")
    if syllable == "yi":
        return "i"
    if syllable.startswith("wu"):
        return syllable[1:]
    if syllable == "you":
        return "yu"
    return syllable


def _turkic_sound(syllable: str) -> str:
    """A generic pinyin syllable as the sound it stands for in a transcription."""
    syllable = _pinyin_to_rough(syllable)
    if syllable[:1] == "x":
        return "sh" + syllable[1:]
    if syllable[:1] == "q":
        return "ch" + syllable[1:]
    if syllable[:1] == "c" and syllable[:2] != "ch":
        return "ts" + syllable[1:]
    return syllable


def _syllables(chunk: str) -> list[str]:
    syllables = lazy_pinyin(chunk, style=Style.NORMAL, errors="default")
    if len(syllables) != len(chunk):  # should not happen; read char by char
        syllables = [lazy_pinyin(ch, style=Style.NORMAL)[0] for ch in chunk]
    return syllables


def _readings(chunk: str, syllables: list[str]) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for ch, syl in zip(chunk, syllables, strict=True):
        known = HAN_READINGS.get(ch)
        if known is not None:
            out.append(known)
        else:
            out.append((_turkic_sound(syl), "", _NEVER))
    return out


def transcribe(readings: Sequence[tuple[str, str, str]]) -> tuple[str, tuple[str, ...]]:
    """Best-guess rough Latin of one transcribed name part from its syllables' readings, and
    the other readings (sorted) that the bare-consonant choices allow.

    *readings* holds one :data:`HAN_READINGS`-style triple per syllable. Shared with
    :mod:`aigaq.names.pinyin`, which reads Latin pinyin syllables by the same rules, so that a
    name written 买买提 and one written Maimaiti are read alike.
    """
    last = len(readings) - 1
    best: list[str] = []
    choices: list[int] = []
    for i, (full, bare, mode) in enumerate(readings):
        use_bare = False
        if mode == _ALWAYS:
            use_bare = i > 0
        elif bare and (i > 0 or bare[-1] in _VOWELS):
            if len(choices) < _MAX_VARIANT_POSITIONS:
                choices.append(i)
            if mode == _END:
                use_bare = i == last
            elif mode == _RULE:
                use_bare = i == last or readings[i + 1][0][:1] not in _VOWELS
        best.append(bare if use_bare else full)
    best_text = "".join(best)
    variants: set[str] = {best_text}
    for mask in range(1 << len(choices)):
        pieces = [
            bare if mode == _ALWAYS and i > 0 else full
            for i, (full, bare, mode) in enumerate(readings)
        ]
        for bit, position in enumerate(choices):
            if mask >> bit & 1:
                pieces[position] = readings[position][1]
        variants.add("".join(pieces))
    variants.discard(best_text)
    return best_text, tuple(sorted(variants))


def _transcription(chunk: str) -> tuple[str, tuple[str, ...]]:
    """Best-guess rough Latin of one transcribed name part, plus alternative readings.

    The alternatives include plain pinyin, so that a pinyin spelling in Latin
    letters (Nileke for 尼勒克) finds the characters.
    """
    syllables = _syllables(chunk)
    best_text, variants = transcribe(_readings(chunk, syllables))
    pinyin = "".join(_pinyin_to_rough(s) for s in syllables)
    ordered = [best_text, *variants]
    if pinyin not in ordered:
        ordered.append(pinyin)
    return best_text, tuple(ordered)


def _looks_chinese(chunk: str) -> bool:
    return (
        2 <= len(chunk) <= 3
        and chunk[0] in _SURNAMES
        and not any(ch in _TRANSCRIPTION_MARKERS for ch in chunk[1:])
    )


@lru_cache(maxsize=1 << 17)
def han_parts(word: str, transcribed: bool = False) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Name parts of one Han word: ``(best rough Latin, all readings)`` per part.

    ``transcribed``: the word is known to be a transcribed name, one of several written
    apart (赛力克·苏力坦): it is never read as a Chinese surname and given name (苏力坦 is
    Sultan, not 苏 + 力坦).

    >>> [best for best, _ in han_parts("古丽娜尔")]
    ['gulnar']
    >>> [best for best, _ in han_parts("马明")]
    ['ma', 'ming']
    """
    parts: list[tuple[str, tuple[str, ...]]] = []
    for chunk in word.split("-"):
        if not chunk:
            continue
        if not transcribed and _looks_chinese(chunk):
            for piece in (chunk[0], chunk[1:]):
                text = "".join(_pinyin_to_rough(s) for s in lazy_pinyin(piece, style=Style.NORMAL))
                parts.append((text, (text,)))
        else:
            parts.append(_transcription(chunk))
    return tuple(parts)
