"""The one exception the watermark engine raises, and the system's reasons in Indonesian."""

import errno
import os
from pathlib import Path


class WatermarkError(Exception):
    """A file could not be stamped or read; the message says what to do about it.

    `code` is a stable short word ("encrypted", "damaged", "not_pdf", ...) the web
    app and the CLI can map to their own wording.
    """

    def __init__(self, message: str, *, code: str = "error") -> None:
        super().__init__(message)
        self.code = code


# What the system says when a file cannot be read or written, as the desk reads it.
_REASONS = {
    errno.EACCES: "izin ditolak",
    errno.EPERM: "izin ditolak",
    errno.ENOENT: "tidak ada",
    errno.ENOTDIR: "sebagian jalurnya bukan folder",
    errno.EISDIR: "ini sebuah folder",
    errno.ENOSPC: "disk penuh",
    errno.EDQUOT: "kuota disk habis",
    errno.EROFS: "disk hanya bisa dibaca",
}


def os_reason(exc: OSError, *, writing: bool = False) -> str:
    """Return why a file could not be read or written, in Indonesian where the reason is a common one."""
    if writing and exc.errno == errno.ENOENT:  # a folder that takes no new file (/proc, say)
        return "berkas baru tidak dapat dibuat di sana"
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def file_head(path: str | os.PathLike[str], size: int = 1024) -> bytes:
    """Return the first `size` bytes of a file to read; a path that is no readable file is refused clearly."""
    path = Path(path)
    if path.is_dir():
        raise WatermarkError(f"{path} adalah folder, bukan berkas.", code="not_found")
    if path.exists() and not path.is_file():  # a pipe or a device: reading it could wait for ever
        raise WatermarkError(f"{path} bukan berkas biasa.", code="not_found")
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except FileNotFoundError:
        raise WatermarkError(f"Berkas tidak ditemukan: {path}", code="not_found") from None
    except OSError as exc:
        raise WatermarkError(
            f"Berkas tidak dapat dibaca: {path} ({os_reason(exc)})", code="not_found"
        ) from None
