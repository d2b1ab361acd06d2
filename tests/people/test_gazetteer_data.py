"""Checks on the static gazetteer file (pure pytest, no Django needed)."""

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "aigaq" / "people" / "data" / "gazetteer.json"

KINDS = {"country", "region", "prefecture", "county", "city", "district", "town", "village"}
NAME_KEYS = {"zh", "pinyin", "ug_arab", "ug_latn", "kk_cyrl", "kk_arab", "kk_latn", "ru", "en"}
XJ_REQUIRED = {"zh", "pinyin", "kk_cyrl", "ru", "en"}
XJ_ROOT = "cn-xj"
# Prefecture-level cities: kind "city" but not county-level.
XJ_PREFECTURE_CITIES = {"cn-xj-urumqi", "cn-xj-karamay", "cn-xj-turpan", "cn-xj-hami"}
CODE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")
# Letters allowed in Latin-script fields: ASCII plus Latin-1 / Latin Extended-A/B and combining marks.
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


@pytest.fixture(scope="module")
def data():
    with DATA.open(encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def places(data):
    return data["places"]


@pytest.fixture(scope="module")
def by_code(places):
    return {p["code"]: p for p in places}


def ancestors(code, by_code):
    seen = []
    cur = by_code[code]["parent"]
    while cur is not None:
        if cur in seen:
            raise AssertionError(f"cycle through {cur} from {code}")
        seen.append(cur)
        cur = by_code[cur]["parent"]
    return seen


def in_xinjiang(code, by_code):
    return code == XJ_ROOT or XJ_ROOT in ancestors(code, by_code)


def test_file_is_utf8_json_with_meta(data):
    raw = DATA.read_bytes()
    raw.decode("utf-8")
    assert set(data) == {"meta", "places"}
    meta = data["meta"]
    assert isinstance(meta["sources"], list) and meta["sources"]
    assert isinstance(meta["generated"], str) and meta["generated"]
    assert isinstance(meta["notes"], str)


def test_row_shape(places):
    for p in places:
        assert set(p) <= {"code", "kind", "parent", "names", "alt_names", "lat", "lon"}, p["code"]
        assert {"code", "kind", "parent", "names", "alt_names"} <= set(p), p
        assert p["kind"] in KINDS, p["code"]
        assert set(p["names"]) <= NAME_KEYS, p["code"]
        assert p["names"], p["code"]
        assert isinstance(p["alt_names"], list), p["code"]
        assert ("lat" in p) == ("lon" in p), p["code"]
        if "lat" in p:
            assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180, p["code"]
            assert round(p["lat"], 2) == p["lat"] and round(p["lon"], 2) == p["lon"], p["code"]


def test_codes_unique_and_well_formed(places):
    codes = [p["code"] for p in places]
    dupes = [c for c, n in Counter(codes).items() if n > 1]
    assert not dupes
    for c in codes:
        assert CODE_RE.match(c), c


def test_parents_exist_and_no_cycles(places, by_code):
    for p in places:
        if p["parent"] is None:
            assert p["kind"] == "country", p["code"]
        else:
            assert p["parent"] in by_code, (p["code"], p["parent"])
            assert p["parent"] != p["code"]
        ancestors(p["code"], by_code)  # raises on cycle


def test_countries_and_regions_present(by_code):
    for code in ("cn", "kz", "kg"):
        assert by_code[code]["kind"] == "country"
    assert by_code[XJ_ROOT]["kind"] == "region"
    assert by_code[XJ_ROOT]["parent"] == "cn"
    kz_regions = [p for p in by_code.values() if p["kind"] == "region" and p["parent"] == "kz"]
    kg_regions = [p for p in by_code.values() if p["kind"] == "region" and p["parent"] == "kg"]
    assert len(kz_regions) >= 14
    assert len(kg_regions) >= 7


def test_names_are_clean(places):
    for p in places:
        for key, value in list(p["names"].items()) + [("alt", a) for a in p["alt_names"]]:
            assert isinstance(value, str) and value, (p["code"], key)
            assert value == value.strip(), (p["code"], key, value)
            assert "  " not in value, (p["code"], key, value)
            assert unicodedata.normalize("NFC", value) == value, (p["code"], key, value)
        assert len(set(p["alt_names"])) == len(p["alt_names"]), p["code"]


def test_scripts_match_keys(places):
    for p in places:
        n = p["names"]
        if "zh" in n:
            assert HAN.search(n["zh"]) and not CYRILLIC.search(n["zh"]), (p["code"], n["zh"])
        if "kk_cyrl" in n:
            assert CYRILLIC.search(n["kk_cyrl"]), (p["code"], n["kk_cyrl"])
            assert not LATIN_LETTER.search(n["kk_cyrl"]) and not ARABIC.search(n["kk_cyrl"]), (
                p["code"],
                n["kk_cyrl"],
            )
        if "ru" in n:
            assert CYRILLIC.search(n["ru"]) and not LATIN_LETTER.search(n["ru"]), (
                p["code"],
                n["ru"],
            )
        for key in ("ug_arab", "kk_arab"):
            if key in n:
                assert ARABIC.search(n[key]), (p["code"], n[key])
                assert not LATIN_LETTER.search(n[key]) and not CYRILLIC.search(n[key]), (
                    p["code"],
                    n[key],
                )
        if "ug_arab" in n:
            assert ARABIC.search(n["ug_arab"]), (p["code"], n["ug_arab"])
            assert not LATIN_LETTER.search(n["ug_arab"]) and not CYRILLIC.search(n["ug_arab"]), (
                p["code"],
                n["ug_arab"],
            )
        for key in ("pinyin", "en", "kk_latn", "ug_latn"):
            if key in n:
                v = n[key]
                assert LATIN_LETTER.search(v), (p["code"], key, v)
                assert not (HAN.search(v) or CYRILLIC.search(v) or ARABIC.search(v)), (
                    p["code"],
                    key,
                    v,
                )


def test_xinjiang_rows_have_required_names(places, by_code):
    for p in places:
        if not in_xinjiang(p["code"], by_code):
            continue
        missing = XJ_REQUIRED - set(p["names"])
        assert not missing, (p["code"], missing)
        assert "ug_arab" in p["names"] or "ug_latn" in p["names"], p["code"]


def test_xinjiang_county_level_count(places, by_code):
    county_level = [
        p
        for p in places
        if p["kind"] in {"county", "city", "district"}
        and p["code"] not in XJ_PREFECTURE_CITIES
        and in_xinjiang(p["code"], by_code)
    ]
    assert len(county_level) >= 100


def test_xinjiang_prefecture_level_complete(by_code):
    expected = {
        "cn-xj-urumqi",
        "cn-xj-karamay",
        "cn-xj-turpan",
        "cn-xj-hami",
        "cn-xj-changji",
        "cn-xj-bortala",
        "cn-xj-bayingolin",
        "cn-xj-aksu",
        "cn-xj-kizilsu",
        "cn-xj-kashgar",
        "cn-xj-hotan",
        "cn-xj-ili",
        "cn-xj-tacheng",
        "cn-xj-altay",
    }
    assert expected <= set(by_code)
    assert by_code["cn-xj-tacheng"]["parent"] == "cn-xj-ili"
    assert by_code["cn-xj-altay"]["parent"] == "cn-xj-ili"


@pytest.mark.parametrize(
    "prefecture,count",
    [
        ("cn-xj-ili", 11 + 2),  # 3 cities, 8 counties, plus the Tacheng and Altay prefectures
        ("cn-xj-tacheng", 7),
        ("cn-xj-altay", 7),
    ],
)
def test_kazakh_prefectures_complete(by_code, prefecture, count):
    children = [p for p in by_code.values() if p["parent"] == prefecture and p["kind"] != "town"]
    assert len(children) == count
    for child in children:
        assert "kk_cyrl" in child["names"]


@pytest.mark.parametrize("prefecture", ["cn-xj-ili", "cn-xj-tacheng", "cn-xj-altay"])
def test_kazakh_prefectures_have_their_names_in_arabic_script_kazakh(by_code, prefecture):
    # Kazakhs in China and the Kazakh papers in Arabic script (төте жазу) write these daily.
    places = [by_code[prefecture]] + [
        p for p in by_code.values() if p["parent"] == prefecture and p["kind"] != "town"
    ]
    for place in places:
        if place["kind"] == "prefecture" and place["parent"] == "cn-xj-ili":
            continue  # Tacheng and Altay: checked as prefectures of their own
        assert "kk_arab" in place["names"], place["code"]


def test_known_kazakh_arabic_script_names(by_code):
    kk = {code: p["names"].get("kk_arab", "") for code, p in by_code.items()}
    # Kazakh Wikipedia's төте жазу form, and the Arabic-script Kazakh press.
    assert kk["cn-xj-ili"] == "ىلە قازاق اۆتونوميالىق وبلىسى"
    assert kk["cn-xj-urumqi"] == "ٴۇرىمجى قالاسى"
    assert kk["cn-xj-tacheng"] == "تارباعاتاي ايماعى"
    assert kk["cn-xj-tacheng-yumin"] == "شاعانتوعاي اۋدانى"
    assert kk["cn-xj-tacheng-wusu"].startswith("شيحۋ")


def test_known_kazakh_names(by_code):
    kk = {code: p["names"]["kk_cyrl"] for code, p in by_code.items() if "kk_cyrl" in p["names"]}
    assert kk["cn-xj-ili-yining-city"].startswith("Құлжа")
    assert kk["cn-xj-tacheng-tacheng"].startswith("Шәуешек")
    assert kk["cn-xj-tacheng-emin"].startswith("Дөрбілжін")
    assert kk["cn-xj-tacheng-yumin"].startswith("Шағантоғай")
    assert kk["cn-xj-tacheng-shawan"].startswith("Сауан")
    assert kk["cn-xj-urumqi"].startswith("Үрімжі")


def test_common_exonyms_findable(places):
    every_name = set()
    for p in places:
        every_name.update(p["names"].values())
        every_name.update(p["alt_names"])
    for name in (
        "Kuldja",
        "Ghulja",
        "Chuguchak",
        "Chöchek",
        "Qumul",
        "Kumul",
        "Urumchi",
        "Tihwa",
        "Kashgar",
        "Kashi",
        "Yarkand",
        "Shache",
        "Khotan",
        "Karashahr",
        "Korla",
        "Kucha",
        "Altai",
        "Aletai",
        "Sharasume",
        "Manas",
        "Shihezi",
        "Alma-Ata",
        "Kapshagay",
        "Ust-Kamenogorsk",
        "Semipalatinsk",
    ):
        assert name in every_name, name
