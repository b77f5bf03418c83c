"""A content-addressed file store: files live under their sha256, written atomically, never modified."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from library.errors import NotFound, StorageError, StoreUnwritable

_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    """A file held by the store."""

    sha256: str
    size: int
    path: Path


class FileStore:
    """Files addressed by their sha256 under one root folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        """Return where the file with this digest lives (whether or not it exists)."""
        if not _SHA256.fullmatch(sha256):
            raise StorageError("'%(d)s' is not a sha256 digest.", d=sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        """Tell whether the store holds this digest."""
        return self.path_for(sha256).is_file()

    def put_bytes(self, data: bytes) -> StoredFile:
        """Store bytes and return their address."""
        return self._put(iter([data]))

    def put_stream(self, stream: BinaryIO) -> StoredFile:
        """Store everything a binary stream yields, without holding it in memory."""
        return self._put(iter(lambda: stream.read(_CHUNK), b""))

    def put_file(self, source: Path) -> StoredFile:
        """Store a copy of a file on disk."""
        try:
            with open(source, "rb") as stream:
                return self.put_stream(stream)
        except FileNotFoundError:
            raise StorageError("The file %(p)s does not exist.", p=str(source)) from None

    def open(self, sha256: str) -> BinaryIO:
        """Open a stored file for reading."""
        path = self.path_for(sha256)
        try:
            return open(path, "rb")
        except FileNotFoundError:
            raise NotFound("No stored file has the digest %(d)s.", d=sha256) from None

    def read_bytes(self, sha256: str) -> bytes:
        """Return the content of a stored file."""
        with self.open(sha256) as handle:
            return handle.read()

    def digests(self) -> Iterator[str]:
        """Yield the digest of every stored file."""
        if self.root.is_dir():
            for path in self.root.glob("??/??/*"):
                if _SHA256.fullmatch(path.name):
                    yield path.name

    def _put(self, chunks: Iterator[bytes]) -> StoredFile:
        """Write chunks to a temporary file, then move it under its digest.

        The store may be a folder several hosts mount (NFS, say), so nothing here takes a lock:
        each writer has a temporary name of its own in the store's folder (same file system,
        so the move is atomic), and a file appears under its digest whole or not at all. Two
        writers of the same content both succeed: the first link wins, the second finds it.
        """
        tmp = self.root / "tmp" / f"{_HOST}-{os.getpid()}-{secrets.token_hex(8)}"
        digest = hashlib.sha256()
        size = 0
        try:
            tmp.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "xb") as out:
                for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            final = self.path_for(sha256)
            if final.is_file():
                return StoredFile(sha256, size, final)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp, 0o444)  # masters are never modified in place
            # link() refuses to replace: a file already stored stays byte for byte as it was.
            try:
                os.link(tmp, final)
            except FileExistsError:
                pass
            except OSError:
                # File systems without hard links: rename is still atomic, and a file another
                # writer placed meanwhile is replaced by the same bytes.
                os.replace(tmp, final)
            _sync_folder(final.parent)
            return StoredFile(sha256, size, final)
        except OSError as exc:
            raise StoreUnwritable(
                "Could not write to the file store at %(root)s: %(err)s.",
                root=str(self.root),
                err=exc.strerror or str(exc),
            ) from exc
        finally:
            with contextlib.suppress(OSError):  # cleanup is best effort; the real error is above
                tmp.unlink()


_HOST = re.sub(r"[^A-Za-z0-9_.-]", "_", socket.gethostname())[:40] or "host"


def _sync_folder(folder: Path) -> None:
    """Make a new name in the folder survive a crash of the machine (where the system allows)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass  # some network file systems refuse to sync a folder; their server commits names at once
    finally:
        os.close(handle)


__all__ = ["FileStore", "StoredFile"]
