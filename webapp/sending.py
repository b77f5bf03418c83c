"""Sending a stored file the app has authorised: by itself, or through the reverse proxy."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import send_file
from werkzeug.wrappers import Response

from webapp.runtime import Runtime

# What a file name may not carry into a header or a saved file: control characters (a line
# break would start a header of its own), the quote and backslash of a quoted string, folders.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\/]")
_NAME_MAX = 200  # characters: a long name is cut, keeping its extension


def content_disposition(filename: str, *, inline: bool = False, ascii_filename: str = "") -> str:
    """Return a Content-Disposition value (RFC 6266) that says the file's name, whatever it holds.

    `filename="..."` is ASCII for every client (`ascii_filename`, else the name with its accents
    dropped), quoted and with nothing that could end the quote or the header; a name that is
    not that ASCII is also given whole in `filename*=UTF-8''...` (RFC 5987, percent-encoded).
    """
    name = _safe(unicodedata.normalize("NFC", filename))
    name = name if name and not name.startswith(".") else "berkas" + name  # not a hidden file
    fallback = _safe(ascii_filename) if ascii_filename else _ascii(name)
    value = f'{"inline" if inline else "attachment"}; filename="{fallback}"'
    if name != fallback:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


def _safe(name: str) -> str:
    """Return the name without control characters or folders, its quotes made single, cut to length."""
    name = _UNSAFE.sub("_", name.replace('"', "'")).strip(" ").rstrip(".")
    if len(name) > _NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        keep = extension if dot and len(extension) <= 10 else ""
        name = (stem if keep else name)[: _NAME_MAX - len(keep) - 1].rstrip(" .") + (
            f".{keep}" if keep else ""
        )
    return name


def _ascii(name: str) -> str:
    """Return an ASCII form of a safe name: accents dropped, other letters left out; never empty."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem, extension = _plain(stem) or "berkas", _plain(extension)
    return f"{stem}.{extension}" if extension else stem


def _plain(text: str) -> str:
    """Return the text's ASCII letters (accents dropped, others left out), spaces tidied."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.split()).strip(" .")


def send_stored(
    app_state: Runtime,
    sha256: str,
    filename: str,
    *,
    inline: bool = False,
    ascii_filename: str = "",
    mimetype: str = "application/pdf",
) -> Response:
    """Send a stored file (a PDF unless told) under a name, or let the reverse proxy send it.

    The proxy is told by X-Accel-Redirect or X-Sendfile.

    With `ascii_filename`, `filename` may be any UTF-8 name: it goes in `filename*` (RFC 5987),
    the ASCII one in `filename` for clients that cannot read the other.
    """
    path = app_state.store.path_for(sha256)
    header = app_state.settings.send_file_header
    if header:
        response = Response(status=200, mimetype=mimetype)
        if header == "x-accel-redirect":
            relative = path.relative_to(app_state.store.root).as_posix()
            response.headers["X-Accel-Redirect"] = (
                app_state.settings.send_file_prefix.rstrip("/") + "/" + relative
            )
        else:
            response.headers["X-Sendfile"] = str(path)
    else:
        response = send_file(path, mimetype=mimetype, etag=False, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(
        filename, inline=inline, ascii_filename=ascii_filename
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
