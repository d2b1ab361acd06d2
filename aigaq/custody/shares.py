"""Shares of the database key: SLIP-39 (Shamir's secret sharing), through Trezor's reference
implementation `shamir-mnemonic` (docs/decisions/0010-key-custody.md).

A share is a line of 33 words from SLIP-39's list of 1,024; any `threshold` shares of one set
rebuild the key, fewer reveal nothing of it (Shamir's scheme over GF(256): every possible key
is equally likely given threshold − 1 shares). Each share carries a checksum (RS1024) that
catches a mistyped word, and the set's identifier, so shares of two sets are told apart.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import shamir_mnemonic
from shamir_mnemonic.share import Share

from aigaq.core import keys

SHARES_RECORD = "key-shares.json"
MAX_SHARES = 16
_WORD = re.compile(r"[a-z]+")


class CustodyError(Exception):
    """A key-custody problem, in one sentence a volunteer can act on. Nothing was changed."""


def key_bytes(key: str) -> bytes:
    """The 256 bits of a 64-hex database key. A passphrase has no shares: it is remembered."""
    if not keys.HEX_KEY.match(key):
        raise CustodyError(
            "The database key is a passphrase, not a 64-hex key: shares are made of a random "
            "key only. Keep the passphrase as you would a key, or move to a random key first."
        )
    return bytes.fromhex(key)


def key_check(key: str) -> str:
    """A short fingerprint of a key (64 bits of a labelled SHA-256): tells whether shares
    belong to the key in use. Reveals nothing usable of a random 256-bit key."""
    return hashlib.sha256(b"aigaq key check v1\0" + key_bytes(key)).hexdigest()[:16]


def shares_record_path() -> Path:
    """In the data folder: when shares were made, how many, for which key (its fingerprint)."""
    return keys.data_dir() / SHARES_RECORD


@dataclass(frozen=True)
class SharesRecord:
    check: str
    threshold: int
    count: int
    made: str


def shares_record() -> SharesRecord | None:
    try:
        raw = json.loads(shares_record_path().read_text(encoding="utf-8"))
        return SharesRecord(
            check=str(raw["check"]),
            threshold=int(raw["threshold"]),
            count=int(raw["count"]),
            made=str(raw["made"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def shares_exist_for(key: str) -> bool:
    record = shares_record()
    return record is not None and record.check == key_check(key)


def shares_make(*, key: str, threshold: int, count: int) -> list[str]:
    """Split ``key`` into ``count`` shares, any ``threshold`` of which rebuild it, and note in
    the data folder that shares exist for this key (never the shares themselves)."""
    if not 2 <= threshold <= count <= MAX_SHARES:
        raise CustodyError(
            f"Give 2 ≤ threshold ≤ split ≤ {MAX_SHARES} (for example --split 3 --threshold 2): "
            "a threshold of one would make every share the key itself."
        )
    secret = key_bytes(key)
    groups = shamir_mnemonic.generate_mnemonics(
        group_threshold=1, groups=[(threshold, count)], master_secret=secret
    )
    shares = list(groups[0])
    path = shares_record_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps(
            {
                "check": key_check(key),
                "threshold": threshold,
                "count": count,
                "made": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        ),
        encoding="utf-8",
    )
    os.replace(tmp, path)
    return shares


def normalise(share: str) -> str:
    return " ".join(_WORD.findall(share.lower()))


def shares_combine(given: list[str]) -> str:
    """The 64-hex key rebuilt from shares (one per item; blank items ignored). Each problem is
    a CustodyError naming the share it concerns."""
    shares = [normalise(s) for s in given if normalise(s)]
    if not shares:
        raise CustodyError("No share was given: type two shares, one per line.")
    seen: dict[str, int] = {}
    parsed: list[Share] = []
    for number, share in enumerate(shares, start=1):
        if share in seen:
            raise CustodyError(
                f"Share {number} is the same as share {seen[share]}: give shares that differ "
                "(each paper has its own words)."
            )
        seen[share] = number
        try:
            parsed.append(Share.from_mnemonic(share))
        except shamir_mnemonic.MnemonicError as exc:
            raise CustodyError(_share_problem(number, share, str(exc))) from None
    if len({(p.identifier, p.group_threshold, p.member_threshold) for p in parsed}) > 1:
        raise CustodyError(
            "The shares come from different sets (made at different times or for different "
            "keys): give shares that were printed together."
        )
    needed = parsed[0].member_threshold
    if len({p.index for p in parsed}) < len(parsed):
        raise CustodyError("Two of the shares carry the same number: give shares that differ.")
    if len(parsed) < needed:
        raise CustodyError(
            f"This set needs {needed} shares to rebuild the key and {len(parsed)} was given: "
            "one share alone reveals nothing of the key."
        )
    try:
        # The library takes exactly the threshold; more shares than needed are fine to give.
        secret = shamir_mnemonic.combine_mnemonics(shares[:needed])
    except shamir_mnemonic.MnemonicError as exc:
        raise CustodyError(
            f"The shares do not rebuild a key ({exc}): check each word against the paper."
        ) from None
    return secret.hex()


def _share_problem(number: int, share: str, reason: str) -> str:
    words = share.split()
    if reason.startswith("Invalid mnemonic word"):
        bad = next((w for w in words if not _known_word(w)), "?")
        return (
            f"Share {number}: “{bad}” is not a word of the share list; check it against the paper."
        )
    if "checksum" in reason:
        return (
            f"Share {number} has a mistyped or missing word (its checksum does not match); "
            "check each word against the paper."
        )
    if "length" in reason:
        return (
            f"Share {number} has {len(words)} words, which no share has; "
            "check that no line was cut or joined."
        )
    return f"Share {number} cannot be read ({reason})."


def _known_word(word: str) -> bool:
    from shamir_mnemonic import wordlist

    return word in wordlist.WORD_INDEX_MAP
