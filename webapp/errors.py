"""Error pages: every failure becomes a page a person can act on, never a traceback."""

from __future__ import annotations

import logging
from urllib.parse import quote

from flask import Flask, current_app, redirect, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from redis.exceptions import RedisError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Response

from library.accounts.ratelimit import TooManyAttempts
from library.errors import InvalidInput, NotAllowed, NotFound, PustakaError, StoreUnwritable
from library.tokens import LinkExpired, LinkInvalid
from webapp.bodies import refusal
from webapp.i18n import error_message
from webapp.request_log import current_path

log = logging.getLogger(__name__)


def _page(status: int, title: str, message: str) -> tuple[str, int]:
    """Render the error page with a status code."""
    if request.path.startswith(("/healthz", "/readyz", "/metrics")):
        return {"status": "error", "message": message}, status  # type: ignore[return-value]
    return render_template("errors/error.html", status=status, title=title, message=message), status


def handle_domain_error(error: PustakaError) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Turn a domain error into a page with the right status."""
    if isinstance(error, StoreUnwritable):
        return handle_store_unwritable(error)
    if isinstance(error, TooManyAttempts):
        body, status = _page(429, _("Too many attempts"), error_message(error))
        return body, status, {"Retry-After": str(error.retry_after_seconds)}
    if isinstance(error, NotAllowed):
        return _page(403, _("Not allowed"), error_message(error))
    if isinstance(error, (LinkInvalid, LinkExpired)):
        return _page(400, _("This link cannot be used"), error_message(error))
    status = 404 if isinstance(error, NotFound) else 400 if isinstance(error, InvalidInput) else 409
    title = _("Not found") if status == 404 else _("Cannot do that")
    return _page(status, title, error_message(error))


def handle_csrf_error(error: CSRFError) -> tuple[str, int]:
    """Explain a form refused for lack of a valid CSRF token, without blaming the visitor."""
    log.info("CSRF refusal on %s: %s", current_path(), error.description)
    return _page(
        400,
        _("The form could not be accepted"),
        _(
            "For your security, this form was refused: it was open for too long, "
            "or it was not sent from this site. Go back, reload the page and send the form again."
        ),
    )


def without_trailing_slash() -> str | None:
    """Return this address without its trailing slash when that names a page (`/konsultasi/`), else None."""
    path = request.path
    bare = path.rstrip("/")
    if request.method not in ("GET", "HEAD") or bare == path or not bare.startswith("/"):
        return None
    if bare.startswith(("//", "/\\")):  # never a redirect to another site
        return None
    adapter = current_app.create_url_adapter(request)
    if adapter is None:
        return None
    try:
        adapter.match(bare, method=request.method)
    except RequestRedirect:
        return None  # the page is the one with the slash: nothing to correct
    except HTTPException:
        return None
    query = request.query_string.decode("latin-1")
    return request.script_root + quote(bare) + (f"?{query}" if query else "")


def handle_http_error(error: HTTPException) -> tuple[str, int] | Response:
    """Render HTTP errors (404, 405, 413 …) in the visitor's language."""
    status = error.code or 500
    if status == 404 and (canonical := without_trailing_slash()) is not None:
        return redirect(canonical, 308)  # both forms of a section's address answer
    messages = {
        400: (
            _("Something is wrong with the request"),
            _("The request could not be understood. Go back and try again."),
        ),
        403: (
            _("Not allowed"),
            _("Your account does not have access to this page. If you need it, ask the PST administrator."),
        ),
        404: (
            _("Page not found"),
            _("The page you asked for does not exist. Check the address, or start again from the home page."),
        ),
        405: (_("Not allowed"), _("This page cannot be used that way.")),
        429: (_("Too many attempts"), _("Too many attempts. Please wait a few minutes, then try again.")),
    }
    if status == 413:  # which limit was passed, and what to do: it depends on the page and the person
        return _page(status, *refusal())
    title, message = messages.get(
        status, (_("Something went wrong"), _("The request could not be completed."))
    )
    return _page(status, title, message)


def handle_unexpected(error: Exception) -> tuple[str, int]:
    """Log an unexpected failure and show a calm page instead of a traceback."""
    log.exception("Unhandled error on %s", current_path(), exc_info=error)
    return _page(
        500,
        _("Something went wrong"),
        _(
            "Sorry, the server could not complete your request. Please try again in a moment; "
            "if it keeps happening, tell the PST staff."
        ),
    )


def handle_redis_away(error: RedisError) -> tuple[str, int, dict[str, str]]:
    """Redis is away (sign-ins, limits and the job lanes need it): say so, never a 500.

    /readyz names it too (`redis`), and the administrators' alert about the workers follows.
    """
    log.error("Redis does not answer (%s) on %s: see /readyz.", type(error).__name__, current_path())
    body, status = _page(
        503,
        _("Service briefly unavailable"),
        _(
            "Part of the service is not answering right now, so this could not be done. Please "
            "try again in a few minutes; the PST staff can see why."
        ),
    )
    return body, status, {"Retry-After": "60"}


def handle_store_unwritable(error: StoreUnwritable) -> tuple[str, int, dict[str, str]]:
    """The file store refused a write: the log names the folder and why, the visitor reads neither.

    /readyz names it too (`files`), so the administrators' monitoring sees it before the visitors.
    """
    log.error("The file store refused a write on %s: %s", current_path(), error)
    body, status = _page(
        503,
        _("Service briefly unavailable"),
        _(
            "The server cannot store files right now, so this could not be saved; nothing you sent "
            "was kept. Please try again later; the PST staff can see why."
        ),
    )
    return body, status, {"Retry-After": "300"}


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(RedisError, handle_redis_away)
    app.register_error_handler(PustakaError, handle_domain_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
