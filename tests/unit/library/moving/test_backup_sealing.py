"""Backup files sealed with the office's key: a chunk at a time, refused when cut, moved or altered."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from library.moving import sealing
from library.moving.sealing import BackupKey, SealBroken, open_sealed, read_key_file, seal_file, sealed_digest

KEY = BackupKey.of(bytes(range(32)))


@pytest.mark.parametrize("size", [0, 1, sealing.CHUNK, sealing.CHUNK + 1, 3 * sealing.CHUNK - 5])
def test_a_sealed_file_of_any_size_gives_back_its_plaintext(tmp_path: Path, size: int) -> None:
    plain = os.urandom(size)
    (tmp_path / "plain").write_bytes(plain)
    seal_file(tmp_path / "plain", tmp_path / "sealed", KEY, "files/ab/x")
    # Too short a plaintext may turn up in any ciphertext by chance (one byte: often); 16 bytes never.
    assert size < 16 or plain[:64] not in (tmp_path / "sealed").read_bytes()
    assert b"".join(open_sealed(tmp_path / "sealed", KEY, "files/ab/x")) == plain
    assert (
        sealed_digest(tmp_path / "sealed", KEY, "files/ab/x")["sha256"] == hashlib.sha256(plain).hexdigest()
    )


def test_a_file_cut_at_a_chunk_moved_to_another_path_or_read_with_another_key_is_refused(
    tmp_path: Path,
) -> None:
    (tmp_path / "plain").write_bytes(os.urandom(2 * sealing.CHUNK + 10))
    seal_file(tmp_path / "plain", tmp_path / "sealed", KEY, "secrets/secret_key")
    whole = (tmp_path / "sealed").read_bytes()
    (tmp_path / "cut").write_bytes(whole[: len(sealing.MAGIC) + sealing.PREFIX + sealing.CHUNK + sealing.TAG])
    for path, name, key in (
        (tmp_path / "cut", "secrets/secret_key", KEY),
        (tmp_path / "sealed", "secrets/delivery_key", KEY),
        (tmp_path / "sealed", "secrets/secret_key", BackupKey.of(bytes(32))),
    ):
        with pytest.raises(SealBroken, match="does not decrypt"):
            b"".join(open_sealed(path, key, name))


def test_a_made_key_is_private_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "backup.key"
    sealing.make_key_file(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert read_key_file(path).key_id
    with pytest.raises(FileExistsError):
        sealing.make_key_file(path)
    path.write_text("not a key")
    with pytest.raises(SealBroken, match="is not a backup key"):
        read_key_file(path)
