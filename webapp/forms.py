"""What the views of every blueprint share about forms: a button form, errors in place."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename
from wtforms import FileField

from library.errors import InvalidField, PustakaError
from webapp.i18n import error_message

MAX_NAME_BYTES = 255  # the longest file name Linux file systems take
MAX_EXTENSION = 10  # ".jpeg", ".tiff": a longer "extension" is part of the name


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
