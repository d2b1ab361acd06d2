"""Names in many scripts: detection, transliteration, match keys, similarity.

Pure Python, no Django. The same woman may be recorded as Гүлнар Серікқызы,
Gulnar Serikkyzy, Gulnar Serikqizi and 古丽娜尔·赛力克; this package brings
all of them to one folded ASCII comparison form (``gulnar serikkizi``) and
scores how alike two names are. A name in the pinyin of its Chinese rendering (Gulinaer
Sailike, as Chinese passports print it) is also read as the Turkic name it transcribes
(:mod:`aigaq.names.pinyin`), and a Chinese name in Russian Palladius spelling (Хэ Синьминь)
as its pinyin (:mod:`aigaq.names.palladius`).

Public API:

* :func:`normalize` - Unicode clean-up (NFKC, case fold, invisible characters,
  emoji and punctuation out).
* :func:`detect_script`, :func:`token_scripts` - latin, cyrillic, arabic, han,
  mixed, other.
* :func:`to_comparison`, :func:`name_parts`, :func:`stem` - folded forms.
* :func:`match_keys` - index keys (``x:``, ``n:``, ``s:``, ``p:``, ``t:``, ``j:``).
* :func:`bridge_keys` - duplicate blocking across Chinese characters (``c:``, ``h:``).
* :func:`similarity`, :func:`best_similarity`, :data:`SAME_PERSON_THRESHOLD`.
* :func:`role_relation` - the same own and father's name whatever the
  order and suffixes, or the two swapped (a son and his father).
"""

from aigaq.names.keys import BRIDGE_KINDS, KEY_KINDS, KEYS_VERSION, bridge_keys, match_keys
from aigaq.names.normalize import MAX_NAME_CHARS, normalize
from aigaq.names.parts import name_parts, phonetic, stem, to_comparison
from aigaq.names.scripts import detect_script, token_scripts
from aigaq.names.similarity import (
    SAME_PERSON_THRESHOLD,
    best_similarity,
    role_relation,
    similarity,
)

__all__ = [
    "BRIDGE_KINDS",
    "KEY_KINDS",
    "KEYS_VERSION",
    "MAX_NAME_CHARS",
    "SAME_PERSON_THRESHOLD",
    "best_similarity",
    "bridge_keys",
    "detect_script",
    "match_keys",
    "name_parts",
    "normalize",
    "phonetic",
    "role_relation",
    "similarity",
    "stem",
    "to_comparison",
    "token_scripts",
]
