"""The static edition's search: the browser computes a query's keys as aigaq.names.keys does.

static/public/static_search.js ports the per-part key rules and reads its tables from
aigaq.public.static_search.tables(); here it runs under Node on a sample of generated names in
Cyrillic, Latin and Arabic script (and a few by hand) and must give Python's t: and p: keys.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from aigaq.demo.namegen import generate_people
from aigaq.names import keys as name_keys
from aigaq.names.normalize import normalize, truncate
from aigaq.names.parts import _palladius_parts, parse, turkic_variant
from aigaq.names.scripts import HAN, token_scripts
from aigaq.public import static_search

ROOT = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).with_name("static_search_harness.js")
NODE = shutil.which("node") or shutil.which("nodejs")

BY_HAND = [
    "Серік Оспанов",
    "Serik Ospanov",
    "Гүлнар Серікқызы",
    "Gulnar Serikqyzy",
    "Gülnar Serıkqyzy",
    "گۈلنار سەرىك",
    "Ибрагим Абдулмаликов",
    "Abdulmalik Ibrahim",
    "Оспанхан Жүсіпбекұлы",
    "Asan uly Nurlan",
    "Асан уулу Бакыт",
    "Qaırat Tóleubaı",
    "s'ynar a'li",
    "  Ержан—Тоқаев 🌸 ",
    "Cерік Oспанов",  # Latin letters typed among Cyrillic ones
]


def python_keys(name: str) -> set[str]:
    return {k for k in name_keys.match_keys(name) if k.startswith(static_search.INDEX_KINDS)}


def ported(name: str) -> bool:
    """Names the JS port reads as Python does: not a name wholly in pinyin (read also as the
    Turkic name it transcribes) nor a Chinese name in Russian spelling."""
    words = token_scripts(truncate(normalize(name)))
    if any(script == HAN for _w, script in words) or _palladius_parts(words) is not None:
        return False
    return turkic_variant(parse(name)) is None


def sample_names(count: int = 400) -> list[str]:
    names = list(BY_HAND)
    for person in generate_people(7, count):
        names.extend(form.full_name for form in person.names)
    random.Random(3).shuffle(names)
    return [n for n in names if ported(n)]


def js_keys(
    names: list[str], tmp_path: Path, data_names: list[str] | None = None
) -> list[set[str]]:
    """The JS keys of `names`, with the tables an edition of `data_names` (default: the
    names themselves) would hold."""
    data = tmp_path / "search"
    data.mkdir()
    table = static_search.HanTable()
    for name in names if data_names is None else data_names:
        table.add(name)
    tables = {**static_search.tables(), "pinyinShards": sorted(table.pinyin)}
    (data / "tables.js").write_bytes(static_search.script_file("aigaqData", "tables", tables))
    (data / "han.js").write_bytes(static_search.script_file("aigaqData", "han", table.as_json()))
    for shard, words in table.pinyin.items():
        (data / shard).parent.mkdir(exist_ok=True)
        (data / f"{shard}.js").write_bytes(static_search.script_file("aigaqData", shard, words))
    names_file = tmp_path / "names.json"
    names_file.write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
    assert NODE is not None
    out = subprocess.run(
        [
            NODE,
            str(HARNESS),
            str(ROOT / "static/public/static_search.js"),
            str(data),
            str(names_file),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        stdin=subprocess.DEVNULL,
    )
    return [set(keys) for keys in json.loads(out.stdout)]


@pytest.mark.skipif(NODE is None, reason="Node is not installed (the browser test runs the script)")
def test_the_browser_computes_the_same_keys_as_python(tmp_path: Path) -> None:
    names = sample_names()
    assert len(names) > 500
    got = js_keys(names, tmp_path)
    wrong = [
        (n, sorted(python_keys(n) ^ k))
        for n, k in zip(names, got, strict=True)
        if python_keys(n) != k
    ]
    assert not wrong, f"{len(wrong)} of {len(names)} differ, e.g. {wrong[:5]}"


@pytest.mark.skipif(NODE is None, reason="Node is not installed")
def test_chinese_words_of_the_data_are_read_from_the_table(tmp_path: Path) -> None:
    names = ["古丽娜尔·赛力克", "马明", "哈比提·铁木尔别克"]
    got = js_keys(names, tmp_path)
    assert got == [python_keys(n) for n in names]


@pytest.mark.skipif(NODE is None, reason="Node is not installed")
def test_a_query_in_pinyin_is_read_as_the_turkic_name_it_transcribes(tmp_path: Path) -> None:
    """A query written wholly in pinyin gets the keys of its Turkic reading too, as the
    server's match keys do (Maimaiti Tuerxun = Memet Tursun), for the words in Chinese
    characters the edition holds; a name that is not wholly pinyin of two syllables or more a
    part (Kamile Tursun, Ma Ming) is read letter by letter only, there as on the server."""
    data = ["买买提·吐尔逊", "古丽娜尔·赛力克", "马明", "Memet Tursun"]
    queries = [
        "Maimaiti Tuerxun",
        "GULINAER SAILIKE",
        "maimaiti",
        "Tuerhun Maimaiti",  # the folded spelling, the other order
        "Ma Ming",
        "Kamile Tursun",
        "Maimaiti Nurlan",  # a word not in the table: not read
    ]
    got = js_keys(queries, tmp_path, data)
    for query, keys in zip(queries, got, strict=True):
        assert keys == python_keys(query), (query, sorted(keys ^ python_keys(query)))
    memet, tursun = got[0], python_keys("Memet Tursun")
    assert {"t:memet", "t:tursun"} <= memet and memet & tursun
    assert "t:memet" not in got[6]  # Maimaiti Nurlan: letter by letter, as on the server


def test_a_cyrillic_query_shares_keys_with_the_latin_entry() -> None:
    assert python_keys("Серік Оспанов") & python_keys("Serik Ospanov")
    assert static_search.shard_of("p:kurnar") == "p/ku"
    assert static_search.shard_of("t:a") == "t/a_"
