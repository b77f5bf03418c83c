"""Sending a stored file the app has authorised: by itself, or through the reverse proxy."""

from __future__ import annotations

from urllib.parse import quote

from flask import send_file
from werkzeug.wrappers import Response

from webapp.runtime import Runtime


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
    disposition = "inline" if inline else "attachment"
    if header:
        response = Response(status=200, mimetype=mimetype)
        if header == "x-accel-redirect":
            relative = path.relative_to(app_state.store.root).as_posix()
            response.headers["X-Accel-Redirect"] = (
                app_state.settings.send_file_prefix.rstrip("/") + "/" + relative
            )
        else:
            response.headers["X-Sendfile"] = str(path)
        response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    else:
        response = send_file(
            path,
            mimetype=mimetype,
            as_attachment=not inline,
            download_name=filename,
            etag=False,
            max_age=0,
        )
    if ascii_filename:
        response.headers["Content-Disposition"] = (
            f"{disposition}; filename=\"{ascii_filename}\"; filename*=UTF-8''{quote(filename, safe='')}"
        )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
