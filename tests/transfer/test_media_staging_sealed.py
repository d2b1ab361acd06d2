"""A field bundle's media are staged sealed: no clear byte of a video in DATA_DIR/tmp."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from aigaq.media import crypto
from aigaq.media.keys import derive_media_keys
from aigaq.transfer import bundle as fmt
from tests.media.videos import video_bytes


def test_media_members_are_staged_sealed_and_hashed_as_plaintext(tmp_path: Path) -> None:
    video = video_bytes()
    sha = hashlib.sha256(video).hexdigest()
    members = [
        fmt.Member(f"media/{sha}", len(video), lambda: [video]),
        fmt.json_member("reference.json", {"x": 1}),
    ]
    manifest = {
        "format_version": fmt.FORMAT_VERSION,
        "members": {
            f"media/{sha}": {"sha256": sha, "size": len(video)},
            "reference.json": {
                "sha256": hashlib.sha256(b'{"x": 1}').hexdigest(),
                "size": len(b'{"x": 1}'),
            },
        },
    }
    out = io.BytesIO()
    fmt.write_bundle(out, members=members, manifest=manifest, passphrase="pass phrase")
    out.seek(0)
    key = derive_media_keys("ef" * 32).encryption
    staging = tmp_path / "staging"
    staging.mkdir()
    staged = fmt.decrypt_to_staging(
        out, staging, passphrase="pass phrase", identity_text=None, media_key=key
    )
    fmt.verify_staged(staged)  # the plaintext hashes are the ones the manifest lists
    path = staged.files[f"media/{sha}"]
    raw = path.read_bytes()
    assert raw.startswith(crypto.MAGIC) and video[-2048:] not in raw
    with crypto.SealedReader.open(path, key) as reader:
        assert reader.read_range(0, reader.size) == video
    assert staged.files["reference.json"].read_bytes() == b'{"x": 1}'  # records stay readable
