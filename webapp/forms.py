"""What the views of every blueprint share about forms: a button form, a use case's refusal in place."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename
from wtforms import FileField

from library.accounts.ratelimit import TooManyAttempts
from library.errors import InvalidField, PustakaError, StoreUnwritable
from webapp.i18n import error_message

MAX_NAME_BYTES = 255  # the longest file name Linux file systems take
MAX_EXTENSION = 10  # ".jpeg", ".tiff": a longer "extension" is part of the name
RefusalClasses = type[PustakaError] | tuple[type[PustakaError], ...]


def upload_name(filename: str | None, fallback: str, prefix: str = "") -> str:
    """Return a safe name to save an upload under: ASCII, its extension kept, at most 255 bytes.

    A browser sends whatever name the file had; one of 300 bytes would fail to save.
    """
    stem, dot, extension = (filename or "").rpartition(".")
    if not dot or not (extension.isascii() and extension.isalnum() and len(extension) <= MAX_EXTENSION):
        stem, extension = filename or "", ""
    stem = secure_filename(stem) or fallback  # ASCII letters, digits, "_", "-" and "." only
    extension = f".{extension}" if extension else ""
    return prefix + stem[: MAX_NAME_BYTES - len(prefix) - len(extension)] + extension


class ActionForm(FlaskForm):
    """A form that is only a button (sign out, send the link again): the CSRF token alone."""


def show_error(form: FlaskForm, error: PustakaError) -> None:
    """Put a domain error on the field it names, or on the form as a whole (each of several problems).

    A browser cannot be given back the files it sent: when the form came with files and is shown
    again, its file field says to choose them again (unless it has a problem of its own already).
    """
    for problem in getattr(error, "problems", (error,)):
        field = getattr(problem, "field", None)
        if isinstance(problem, InvalidField) and field in form._fields:
            form[field].errors = [*form[field].errors, error_message(problem)]
        else:
            form.form_errors.append(error_message(problem))
    for name, field in form._fields.items():
        if isinstance(field, FileField) and not field.errors and _files_sent(name):
            field.errors = [_("Choose your files again: files are not kept while the form has a problem.")]


class Attempt:
    """What became of the use case a view ran under `refusals`: done, or refused (why, and the status)."""

    def __init__(self) -> None:
        self._refusal: PustakaError | None = None
        self.status = 200

    @property
    def failed(self) -> bool:
        """Tell whether the use case refused."""
        return self._refusal is not None

    @property
    def error(self) -> PustakaError:
        """Return the refusal (asked only once the attempt failed)."""
        if self._refusal is None:
            raise LookupError("the use case did not refuse")
        return self._refusal

    @property
    def message(self) -> str:
        """Return the refusal's message in the visitor's language, to flash or to show on the page."""
        return error_message(self.error)

    @property
    def headers(self) -> dict[str, str]:
        """Return the headers a refused answer carries: when to try again, past a limit."""
        if isinstance(self._refusal, TooManyAttempts):
            return {"Retry-After": str(self._refusal.retry_after_seconds)}
        return {}

    def refused(self, refusal: PustakaError, status: int) -> None:
        """Note the use case's refusal and the status the page answers with."""
        self._refusal, self.status = refusal, status


def wait_or_bad_input(error: PustakaError) -> int:
    """Return the status of a refused form: 429 when the person must wait, else 400."""
    return 429 if isinstance(error, TooManyAttempts) else 400


@contextmanager
def refusals(
    form: FlaskForm | None = None,
    *,
    catch: RefusalClasses = PustakaError,
    to_error_page: RefusalClasses = (),
    status: Callable[[PustakaError], int] = wait_or_bad_input,
) -> Iterator[Attempt]:
    """Run a view's use case; catch its refusal into the attempt yielded, and onto the form if one is given.

    Only `catch` is caught (PustakaError, or narrower), never one of `to_error_page` nor a file
    store refusing writes: those go on to the site's error page (webapp.errors). `status` names the
    page's status for a refusal; a form that shows refusals its own way passes its method here
    instead of itself as `form` (the publication forms' `show_refusal`). The `with` goes outside the
    use case's `with current_runtime().transaction()`, so a refused transaction has rolled back before the
    view answers.
    """
    attempt = Attempt()
    try:
        yield attempt
    except StoreUnwritable:  # the server's fault, not the form's: the site's page says so
        raise
    except to_error_page:
        raise
    except catch as exc:
        if form is not None:
            show_error(form, exc)
        attempt.refused(exc, status(exc))


def _files_sent(name: str) -> bool:
    """Tell whether the request came with at least one named file in this field."""
    return any(storage.filename for storage in request.files.getlist(name))


@contextmanager
def saved_uploads(files: list[FileStorage], prefix: str) -> Iterator[tuple[Path, str]]:
    """Save uploaded files where the engines can read them; yield the source and its shown name.

    One file is the source itself; several are a folder of pages in the order sent. The
    folder is removed when the block ends.
    """
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        folder = Path(tmp) / "halaman"
        folder.mkdir()
        for number, storage in enumerate(files, start=1):
            prefix = f"{number:04d}-" if len(files) > 1 else ""
            storage.save(folder / upload_name(storage.filename, f"berkas-{number}", prefix))
        source = folder if len(files) > 1 else next(folder.iterdir())
        original = (files[0].filename or source.name) if len(files) == 1 else f"{len(files)} halaman"
        yield source, original[:255]
