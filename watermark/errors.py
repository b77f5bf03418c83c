"""The one exception the watermark engine raises, and the system's reasons in Indonesian."""

import errno


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
    errno.ENOTDIR: "foldernya tidak ada",
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
