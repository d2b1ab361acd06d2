"""Shares of the database key (SLIP-39 through shamir-mnemonic): any two of three rebuild it,
one alone does not, and each mistake with a paper share gets its own sentence."""

from __future__ import annotations

import itertools
import secrets
from pathlib import Path

import pytest
import shamir_mnemonic
from shamir_mnemonic import wordlist

from aigaq.custody.shares import (
    CustodyError,
    key_check,
    shares_combine,
    shares_exist_for,
    shares_make,
    shares_record,
)

KEY = "5e" * 32


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIGAQ_DATA_DIR", str(tmp_path / "data"))


def test_any_two_of_three_shares_rebuild_the_key() -> None:
    shares = shares_make(key=KEY, threshold=2, count=3)
    assert len(shares) == 3 and len(set(shares)) == 3
    for pair in itertools.permutations(shares, 2):
        assert shares_combine(list(pair)) == KEY
    assert shares_combine(shares) == KEY  # all three are fine too


def test_three_of_five_rebuild_and_two_do_not() -> None:
    shares = shares_make(key=KEY, threshold=3, count=5)
    for trio in itertools.combinations(shares, 3):
        assert shares_combine(list(trio)) == KEY
    with pytest.raises(CustodyError, match="needs 3 shares"):
        shares_combine(shares[:2])


def test_one_share_alone_cannot_be_combined_to_the_key() -> None:
    shares = shares_make(key=KEY, threshold=2, count=3)
    for share in shares:
        with pytest.raises(CustodyError, match="needs 2 shares .* 1 was given"):
            shares_combine([share])
        # Nor through the library itself: it refuses rather than return a wrong key.
        with pytest.raises(shamir_mnemonic.MnemonicError):
            shamir_mnemonic.combine_mnemonics([share])
        # The key's bytes appear nowhere in the share's words.
        assert KEY not in share and bytes.fromhex(KEY).hex() not in share


def test_one_share_reveals_nothing_shares_of_two_keys_look_alike_in_form() -> None:
    """Shamir's scheme: with fewer shares than the threshold every key is equally likely. What
    a test can show: a share of one key and a share of another have the same form (33 words of
    the same list, same threshold and set fields), and the share at the same position in two
    sets of the same key differs completely (a share carries no fixed function of the key)."""
    other = secrets.token_hex(32)
    a = shares_make(key=KEY, threshold=2, count=3)
    b = shares_make(key=other, threshold=2, count=3)
    again = shares_make(key=KEY, threshold=2, count=3)
    for x, y in zip(a, b, strict=True):
        wx, wy = x.split(), y.split()
        assert len(wx) == len(wy) == 33
        assert all(w in wordlist.WORD_INDEX_MAP for w in wx + wy)
    # The value part of the first share (after the 4 words of set metadata) of two sets of
    # the same key shares no more words than chance allows.
    same_position = sum(u == v for u, v in zip(a[0].split()[4:], again[0].split()[4:], strict=True))
    assert same_position <= 5
    assert shares_combine([a[0], a[1]]) == KEY and shares_combine(b[:2]) == other


def test_a_mistyped_word_is_named() -> None:
    shares = shares_make(key=KEY, threshold=2, count=3)
    words = shares[1].split()
    words[7] = "academic" if words[7] != "academic" else "acid"
    with pytest.raises(CustodyError, match="Share 2 has a mistyped or missing word"):
        shares_combine([shares[0], " ".join(words)])
    words = shares[1].split()
    words[3] = "zebrafish"
    with pytest.raises(CustodyError, match="Share 2: “zebrafish” is not a word"):
        shares_combine([shares[0], " ".join(words)])
    with pytest.raises(CustodyError, match="Share 1 has 32 words"):
        shares_combine([" ".join(shares[0].split()[:-1]), shares[1]])


def test_the_same_share_twice_is_refused() -> None:
    shares = shares_make(key=KEY, threshold=2, count=3)
    with pytest.raises(CustodyError, match="Share 2 is the same as share 1"):
        shares_combine([shares[0], "  " + shares[0].upper() + " "])


def test_shares_from_different_sets_are_refused() -> None:
    first = shares_make(key=KEY, threshold=2, count=3)
    second = shares_make(key=KEY, threshold=2, count=3)
    with pytest.raises(CustodyError, match="different sets"):
        shares_combine([first[0], second[1]])


def test_no_share_and_bad_thresholds_are_refused() -> None:
    with pytest.raises(CustodyError, match="No share was given"):
        shares_combine(["", "  "])
    for threshold, count in [(1, 3), (3, 2), (2, 17)]:
        with pytest.raises(CustodyError, match="threshold"):
            shares_make(key=KEY, threshold=threshold, count=count)


def test_a_passphrase_key_has_no_shares() -> None:
    with pytest.raises(CustodyError, match="passphrase"):
        shares_make(key="correct horse battery staple", threshold=2, count=3)


def test_the_data_folder_records_that_shares_exist_never_the_shares() -> None:
    assert shares_record() is None and not shares_exist_for(KEY)
    shares = shares_make(key=KEY, threshold=2, count=3)
    record = shares_record()
    assert record is not None
    assert (record.threshold, record.count, record.check) == (2, 3, key_check(KEY))
    assert shares_exist_for(KEY) and not shares_exist_for("77" * 32)
    for path in Path(__import__("os").environ["AIGAQ_DATA_DIR"]).rglob("*"):
        text = path.read_text()
        assert KEY not in text and not any(s.split()[5] in text for s in shares)


def test_key_shares_command_prints_text_json_and_writes_qr_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import json

    from django.core.management import call_command

    monkeypatch.setenv("AIGAQ_DB_KEY", KEY)
    out = io.StringIO()
    call_command("key", "shares", "--qr", str(tmp_path / "qr"), stdout=out)
    text = out.getvalue()
    assert "any 2 of them rebuild" in text and "Share 3 of 3:" in text
    printed = [line for line in text.splitlines() if len(line.split()) == 33]
    assert len(printed) == 3 and shares_combine(printed[1:]) == KEY
    svgs = sorted((tmp_path / "qr").iterdir())
    assert [p.name for p in svgs] == [f"share-{n}-of-3.svg" for n in (1, 2, 3)]
    assert all(p.read_text().lstrip().startswith(("<?xml", "<svg")) for p in svgs)

    out = io.StringIO()
    call_command("key", "shares", "--json", "--split", "5", "--threshold", "3", stdout=out)
    document = json.loads(out.getvalue())
    assert list(document) == ["shares"] and len(document["shares"]) == 5
    assert shares_combine(document["shares"][2:]) == KEY
