"""Sending a stored file the app has authorised: by itself, or through the reverse proxy."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import send_file
from werkzeug.wrappers import Response

from library.file_names import file_name
from runtime.root import Runtime

# A name made of these alone reads the same in every client's filename="...": no filename* needed.
_PLAIN = re.compile(r"[A-Za-z0-9 ._()+,-]*")


def content_disposition(filename: str, *, inline: bool = False, ascii_filename: str = "") -> str:
    """Return a Content-Disposition value (RFC 6266) that names the file exactly, whatever it holds.

    The name is `library.file_names.file_name`'s (the one a page lists: nothing invisible, no
    folders), given whole in `filename*=UTF-8''...` (RFC 8187, percent-encoded), which every
    current browser reads first. `filename="..."` is an ASCII stand-in for older clients
    (`ascii_filename`, else the name with its accents dropped) with no quote, backslash or
    percent sign that a client could read otherwise; a plain ASCII name is given only there.
    """
    name = file_name(filename)
    fallback = _ascii(file_name(ascii_filename) if ascii_filename else name)
    value = f'{"inline" if inline else "attachment"}; filename="{fallback}"'
    if name != fallback or not _PLAIN.fullmatch(name):
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


def _ascii(name: str) -> str:
    """Return an ASCII stand-in for a safe name: accents dropped, other letters left out; never empty."""
    name = name.replace('"', "'").replace("%", "_")  # nothing to end the quote or be decoded
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
    rt: Runtime,
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
    path = rt.store.path_for(sha256)
    header = rt.settings.send_file_header
    if header:
        response = Response(status=200, mimetype=mimetype)
        if header == "x-accel-redirect":
            relative = path.relative_to(rt.store.root).as_posix()
            response.headers["X-Accel-Redirect"] = rt.settings.send_file_prefix.rstrip("/") + "/" + relative
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
