"""The site's icon at /favicon.ico, where browsers ask for it on every page whatever the page links."""

from __future__ import annotations

from flask import Flask, Response, current_app, send_from_directory

WEEK = 7 * 24 * 3600


def favicon() -> Response:
    """Send the icon; it is the same for everyone, so browsers and proxies may keep it a week."""
    response = send_from_directory(str(current_app.static_folder), "favicon.ico", max_age=WEEK)
    response.headers["Cache-Control"] = f"public, max-age={WEEK}"
    return response


def init_app(app: Flask) -> None:
    """Answer /favicon.ico (browsers ask for it even when a page links the SVG icon)."""
    app.add_url_rule("/favicon.ico", "favicon", favicon)
