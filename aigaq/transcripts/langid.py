"""Which language a transcript is in, when the interviewer did not say: Kazakh, Russian or
Chinese, else "unknown".

lingua (offline; its models ship in the wheel) tells these three apart well, but it knows no
Uyghur and no Kyrgyz, and would call Kyrgyz Kazakh and Uyghur anything written in the Arabic
script. So the answer is "unknown" for any text not in Cyrillic or Chinese characters, for
Cyrillic text that has none of the letters only Kazakh uses (ә ғ қ ұ һ і: Kyrgyz shares
ң ө ү with it), and whenever lingua is not clearly sure. Never a guess of Uyghur or Kyrgyz.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Final

from aigaq.names.scripts import CYRILLIC, HAN, detect_script

UNKNOWN: Final = "unknown"
KAZAKH_ONLY: Final = frozenset("әғқұһіӘҒҚҰҺІ")
#: lingua's top language must lead the next by at least this much (its relative distance).
MIN_DISTANCE: Final = 0.15
#: Fewer letters than this say too little.
MIN_LETTERS: Final = 8


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    # Cyrillic languages beside the two we answer, so that Ukrainian or Mongolian text is not
    # taken for Russian or Kazakh; Japanese for Chinese characters with kana.
    return (
        LanguageDetectorBuilder.from_languages(
            Language.KAZAKH,
            Language.RUSSIAN,
            Language.CHINESE,
            Language.JAPANESE,
            Language.UKRAINIAN,
            Language.BELARUSIAN,
            Language.BULGARIAN,
            Language.MACEDONIAN,
            Language.SERBIAN,
            Language.MONGOLIAN,
        )
        .with_minimum_relative_distance(MIN_DISTANCE)
        .build()
    )


def identify(text: str) -> str:
    """ "kk", "ru", "zh_Hans" or "unknown"."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < MIN_LETTERS and detect_script(text) != HAN:
        return UNKNOWN
    script = detect_script(" ".join(w for w in text.split() if any(c.isalpha() for c in w)))
    if script not in (CYRILLIC, HAN):
        return UNKNOWN
    from lingua import Language

    found = _detector().detect_language_of(text)
    if found == Language.CHINESE and script == HAN:
        return "zh_Hans"
    if found == Language.RUSSIAN and script == CYRILLIC:
        return "ru"
    if found == Language.KAZAKH and script == CYRILLIC and KAZAKH_ONLY & set(text):
        return "kk"
    return UNKNOWN


def identify_transcript(transcript: Any, *, sample: int = 40) -> str:
    """The language of a transcript's first `sample` segments together."""
    texts = list(transcript.segments.order_by("position").values_list("text", flat=True)[:sample])
    return identify(" ".join(t for t in texts if t))
