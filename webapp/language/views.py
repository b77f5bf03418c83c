"""Choosing the language of every page that follows."""

from __future__ import annotations

from flask import redirect, request
from werkzeug.wrappers import Response

from runtime.links import safe_next
from webapp.i18n import COOKIE, LOCALES
from webapp.language.blueprint import bp


@bp.get("/bahasa/<code>")
def switch(code: str) -> Response:
    """Remember the chosen language and go back to the page the visitor was on."""
    response = redirect(safe_next(request.args.get("next"), "/"))
    if code in LOCALES:
        response.set_cookie(
            COOKIE,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    return response
