"""Read-only mode (PUSTAKA_READ_ONLY): the site stays open for reading while nothing may change.

For a long backup or a move, instead of the maintenance page: visitors search, browse, read and
download the copies already made (signing in for them), while every other form (a request, the
guest book, an edit) answers 503 with a notice in the visitor's language and Retry-After. Every
page says so in a banner.
"""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _

log = logging.getLogger(__name__)

READING = frozenset({"GET", "HEAD", "OPTIONS"})
# Forms that only let a visitor reach what is already there: signing in and out, and downloading a
# copy already made (which counts the download, as the link's cap needs).
STILL_OPEN = frozenset({"accounts.login", "accounts.logout", "softcopy.download", "scans.download"})
RETRY_SECONDS = 600


def init_app(app: Flask, read_only: bool) -> None:
    """Refuse every changing form while the site is read-only, and tell every page so."""

    @app.context_processor
    def read_only_flag() -> dict[str, bool]:
        return {"read_only": read_only}

    if not read_only:
        return
    log.warning("Read-only mode (PUSTAKA_READ_ONLY): forms that would change something answer 503.")

    @app.before_request
    def refuse_changes() -> tuple[str, int, dict[str, str]] | None:
        if request.method in READING or request.endpoint in STILL_OPEN:
            return None
        page = render_template(
            "errors/error.html",
            status=503,
            title=_("Read only for now"),
            message=_(
                "The service is being maintained: you can search, read and download the copies already "
                "made, but nothing can be sent or changed until it is over. Please try again later."
            ),
        )
        return page, 503, {"Retry-After": str(RETRY_SECONDS)}
