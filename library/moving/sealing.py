"""The office's backup key: a manifest signed with it (HMAC-SHA256), files encrypted with it (AES-GCM).

The key is 32 random bytes, written in hex to a file the office keeps outside the instance
(PUSTAKA_BACKUP_KEY_FILE): whoever can change a backup folder but does not hold the key cannot
recompute a manifest that a restore accepts. Two keys are derived from it, one per use, and a
short key id (also derived) is written in each manifest so a backup made with another key is
named as such rather than "tampered with".

An encrypted file is a header and chunks of CHUNK bytes, each sealed by AES-GCM with a nonce of
its own (the file's random prefix and the chunk's number) and, as associated data, the file's
path in the backup and whether it is the last chunk: a chunk moved, dropped, or a file cut short
or moved to another path does not decrypt. A file of any size is read and written a chunk at a
time, never whole in memory.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from library.errors import PustakaError

MAGIC = b"PUSTAKA-BACKUP-AESGCM-1\n"
CHUNK = 1024 * 1024
TAG = 16
PREFIX = 8  # random bytes of each file's nonces; the other 4 count its chunks


class SealBroken(PustakaError):
    """A backup key that cannot be read, or a file that does not decrypt."""


@dataclass(frozen=True)
class BackupKey:
    """The office's backup key, as the two keys derived from it and its public id."""

    mac: bytes
    cipher: bytes
    key_id: str

    @classmethod
    def of(cls, raw: bytes) -> BackupKey:
        """Derive the manifest's and the files' keys from the office's key."""
        return cls(
            _derive(raw, b"pustaka backup manifest"),
            _derive(raw, b"pustaka backup files"),
            _derive(raw, b"pustaka backup key id")[:6].hex(),
        )

    def sign(self, manifest: dict[str, object]) -> str:
        """Return the HMAC-SHA256 of a manifest's canonical content (without its own hmac)."""
        body = {name: value for name, value in manifest.items() if name != "hmac"}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return hmac.new(self.mac, canonical.encode(), hashlib.sha256).hexdigest()

    def signed(self, manifest: dict[str, object]) -> bool:
        """Tell whether a manifest's hmac is the one this key gives its content."""
        return hmac.compare_digest(str(manifest.get("hmac", "")), self.sign(manifest))


def make_key_file(path: Path) -> None:
    """Write a fresh backup key into a new file readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as stream:
        stream.write(secrets.token_hex(32) + "\n")


def read_key_file(path: Path) -> BackupKey:
    """Read the office's backup key; refuse a file that is missing, unreadable or not a key."""
    try:
        text = path.read_text().strip()
    except OSError as error:
        raise SealBroken(
            "The backup key %(path)s cannot be read (%(why)s).", path=str(path), why=error.strerror or error
        ) from None
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise SealBroken(
            "%(path)s is not a backup key (64 hex digits, as `pustaka backup --make-key` writes).",
            path=str(path),
        )
    return BackupKey.of(raw)


def seal_file(source: Path, target: Path, key: BackupKey, name: str) -> None:
    """Write `source` encrypted into `target`, a chunk at a time; `name` is its path in the backup."""
    cipher = AESGCM(key.cipher)
    prefix = secrets.token_bytes(PREFIX)
    with open(source, "rb") as reading, open(target, "wb") as writing:
        writing.write(MAGIC + prefix)
        for number, (chunk, last) in enumerate(_chunks(reading, CHUNK)):
            writing.write(cipher.encrypt(_nonce(prefix, number), chunk, _aad(name, last)))
    target.chmod(0o600)


def open_sealed(path: Path, key: BackupKey, name: str) -> Iterator[bytes]:
    """Yield a sealed file's plaintext a chunk at a time; refuse a file that does not decrypt whole."""
    cipher = AESGCM(key.cipher)
    with open(path, "rb") as reading:
        header = reading.read(len(MAGIC) + PREFIX)
        if len(header) != len(MAGIC) + PREFIX or not header.startswith(MAGIC):
            raise SealBroken("%(name)s is not an encrypted backup file.", name=name)
        prefix = header[len(MAGIC) :]
        for number, (chunk, last) in enumerate(_chunks(reading, CHUNK + TAG)):
            try:
                yield cipher.decrypt(_nonce(prefix, number), chunk, _aad(name, last))
            except InvalidTag:
                raise SealBroken(
                    "%(name)s does not decrypt with the office's backup key (altered, cut short, or "
                    "made with another key).",
                    name=name,
                ) from None


def sealed_digest(path: Path, key: BackupKey, name: str) -> dict[str, object]:
    """Return the size and sha256 of a sealed file's plaintext."""
    digest, size = hashlib.sha256(), 0
    for chunk in open_sealed(path, key, name):
        digest.update(chunk)
        size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def unseal_file(source: Path, target: Path, key: BackupKey, name: str) -> None:
    """Write a sealed file's plaintext into `target`, a chunk at a time."""
    with open(target, "wb") as writing:
        for chunk in open_sealed(source, key, name):
            writing.write(chunk)


def _derive(raw: bytes, label: bytes) -> bytes:
    """Return the key for one use, derived from the office's key."""
    return hmac.new(raw, label, hashlib.sha256).digest()


def _chunks(stream: BinaryIO, size: int) -> Iterator[tuple[bytes, bool]]:
    """Yield a stream's blocks of `size` bytes, each with whether it is the last (an empty stream: one)."""
    block = stream.read(size)
    while True:
        following = stream.read(size)
        yield block, not following
        if not following:
            return
        block = following


def _nonce(prefix: bytes, number: int) -> bytes:
    """Return a chunk's nonce: the file's random prefix and the chunk's number."""
    return prefix + number.to_bytes(4, "big")


def _aad(name: str, last: bool) -> bytes:
    """Return a chunk's associated data: the file's path, and whether the file ends with it."""
    return name.encode() + (b"\0last" if last else b"\0more")
