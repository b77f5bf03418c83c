"""The one exception the watermark engine raises, and the system's reasons as a person reads them.

Every message is an English message id of the translation catalogue, marked with `N_` where it
is raised, its variable parts named placeholders filled from the error's `params`: the web app
and the command lines translate it (Indonesian first) as they translate the library's own
domain errors (`library.errors.PustakaError`, which has the same `message` and `params`).
"""

import errno
import os
from pathlib import Path


def N_(message: str) -> str:
    """Mark a message for the catalogue, as `library.i18n.N_` does: the engine imports no library."""
    return message


class WatermarkError(Exception):
    """A file could not be stamped or read; the message says what to do about it.

    `message` is the catalogue's message id and `params` its values (a value may itself be a
    `Reason`, translated too where it is shown); `str()` gives the English text, for logs.
    `code` is a stable short word ("encrypted", "damaged", "not_pdf", ...) the web app and
    the CLI can map to their own wording.
    """

    def __init__(self, message: str, *, code: str = "error", **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params
        self.code = code


class Reason:
    """Words inside an error's message (why a file could not be written, why a copy failed its check).

    Shaped like an error (`message`, `params`), so that whatever translates a WatermarkError
    translates the reason it names too; `str()` gives the English words. Equal reasons have
    the same words and parameters; like its parameters, a reason is not hashable.
    """

    __slots__ = ("message", "params")

    def __init__(self, message: str, params: dict[str, object] | None = None) -> None:
        self.message = message
        self.params = {} if params is None else params

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Reason):
            return NotImplemented
        return (self.message, self.params) == (other.message, other.params)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Reason(message={self.message!r}, params={self.params!r})"

    def __str__(self) -> str:
        """Return the English words."""
        return self.message % self.params if self.params else self.message


# What the system says when a file cannot be read or written, as the desk reads it.
_REASONS = {
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.ENOENT: N_("it does not exist"),
    errno.ENOTDIR: N_("part of its path is not a folder"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk quota is used up"),
    errno.EROFS: N_("the disk can only be read"),
}


def os_reason(exc: OSError, *, writing: bool = False) -> Reason:
    """Return why a file could not be read or written: the catalogue's words for the common reasons."""
    if writing and exc.errno == errno.ENOENT:  # a folder that takes no new file (/proc, say)
        return Reason(N_("no new file can be made there"))
    return Reason(_REASONS.get(exc.errno or 0, exc.strerror or str(exc)))


def file_head(path: str | os.PathLike[str], size: int = 1024) -> bytes:
    """Return the first `size` bytes of a file to read; a path that is no readable file is refused clearly."""
    path = Path(path)
    if path.is_dir():
        raise WatermarkError(N_("%(path)s is a folder, not a file."), code="not_found", path=path)
    if path.exists() and not path.is_file():  # a pipe or a device: reading it could wait for ever
        raise WatermarkError(N_("%(path)s is not an ordinary file."), code="not_found", path=path)
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except FileNotFoundError:
        raise WatermarkError(N_("File not found: %(path)s"), code="not_found", path=path) from None
    except OSError as exc:
        raise WatermarkError(
            N_("The file cannot be read: %(path)s (%(reason)s)"),
            code="not_found",
            path=path,
            reason=os_reason(exc),
        ) from None
