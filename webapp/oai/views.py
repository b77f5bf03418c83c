"""OAI-PMH 2.0 at /oai: library aggregators harvest the catalogue's metadata.

Every answer is XML for machines: protocol errors are OAI <error> elements with status 200,
and even an HTTP failure here never becomes an HTML page.
"""

from __future__ import annotations

import logging
from xml.sax.saxutils import escape

from flask import Response, current_app, request
from flask.blueprints import BlueprintSetupState
from werkzeug.exceptions import HTTPException

from library.oai import xml as oai_xml
from library.oai.repository import PAGE_SIZE, Repository
from webapp.current_runtime import current_runtime
from webapp.oai.blueprint import bp

log = logging.getLogger(__name__)
XML = "text/xml; charset=utf-8"


@bp.route("/oai", methods=["GET", "POST"])
def endpoint() -> Response:
    """Answer one OAI-PMH request, by GET or by a form POST."""
    values = request.form if request.method == "POST" else request.args
    rt = current_runtime()
    with rt.uow() as uow:
        body = oai_xml.respond(uow, repository(), {name: values.getlist(name) for name in values}, rt.now())
    return Response(body, content_type=XML)


@bp.route("/oai", methods=["PUT", "PATCH", "DELETE"])
def other_method() -> Response:
    """Refuse methods the protocol does not use, in XML rather than the site's error page."""
    return _failure(405, "OAI-PMH requests use GET or POST.", {"Allow": "GET, HEAD, POST, OPTIONS"})


def repository() -> Repository:
    """Describe this deployment to harvesters from its settings."""
    settings = current_runtime().settings
    return Repository(
        base_url=settings.base_url,
        office_code=settings.office,
        admin_email=settings.mail_from,
        secret=current_runtime().secret_key,
        # Not a PUSTAKA_* setting: tests lower it to page through a small catalogue.
        page_size=current_app.config.get("PUSTAKA_OAI_PAGE_SIZE", PAGE_SIZE),
        repository_id=settings.oai_repository,
        pid_prefix=settings.identifier_prefix,
    )


@bp.errorhandler(Exception)
def handle_error(error: Exception) -> Response:
    """Answer an HTTP error or an unexpected failure in XML, never with an HTML page."""
    if isinstance(error, HTTPException):
        return _failure(error.code or 500, error.description or error.name)
    log.exception("OAI-PMH request failed: %s", request.query_string, exc_info=error)
    return _failure(500, "The repository could not answer; try again later.")


def _failure(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """Return an HTTP failure as a small XML document."""
    body = f'<?xml version="1.0" encoding="utf-8"?>\n<failure status="{status}">{escape(message)}</failure>\n'
    return Response(body, status=status, content_type=XML, headers=headers)


@bp.record_once
def _exempt_from_csrf(setup: BlueprintSetupState) -> None:
    """Let harvesters POST: they hold no session, and a request here changes nothing."""
    csrf = setup.app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(bp)
