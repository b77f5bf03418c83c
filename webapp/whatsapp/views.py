"""WhatsApp's webhook at /whatsapp/webhook: messages sent to the office's number become consultations.

Meta's app calls it, never a person: a GET to check the verify token when the administrator
registers the URL (the handshake), then a signed POST for each batch of messages and statuses.
A POST whose signature (PUSTAKA_WHATSAPP_APP_SECRET) does not match is refused before its body is
read as JSON; a good one is answered 200 as soon as its messages are kept (their files are fetched
later by a job), since Meta delivers again anything not answered 200. The route exists only when
PUSTAKA_WHATSAPP_CONSULTATIONS is on (404 otherwise). Its body is held to the forms' limit
(`webapp.bodies`): a payload is a few kilobytes.
"""

from __future__ import annotations

import hmac
import logging

from flask import Response, abort, request
from flask.blueprints import BlueprintSetupState

from library.consultation.whatsapp_channel import take_webhook
from library.messaging.whatsapp_hook import SIGNATURE_HEADER, read_webhook, signed
from library.settings import Settings
from webapp.current_runtime import current_runtime
from webapp.whatsapp.blueprint import bp

log = logging.getLogger(__name__)
TEXT = "text/plain; charset=utf-8"
MAX_CHALLENGE = 200  # Meta's challenge is a short number


@bp.get("/whatsapp/webhook")
def verify() -> Response:
    """Answer Meta's handshake: echo its challenge when the verify token is the office's, else 403."""
    settings = _switched_on()
    args = request.args
    token = args.get("hub.verify_token", "")
    if args.get("hub.mode") == "subscribe" and _same(token, settings.whatsapp_verify_token):
        return Response(args.get("hub.challenge", "")[:MAX_CHALLENGE], content_type=TEXT)
    log.warning("WhatsApp webhook: a handshake with a wrong verify token was refused.")
    return Response("", 403, content_type=TEXT)


@bp.post("/whatsapp/webhook")
def receive() -> Response:
    """Take a signed delivery's messages and statuses and answer 200; refuse a forged one (403)."""
    settings = _switched_on()
    body = request.get_data(cache=False)
    if not signed(settings.whatsapp_app_secret, body, request.headers.get(SIGNATURE_HEADER)):
        log.warning("WhatsApp webhook: a POST without a valid signature was refused.")
        return Response("", 403, content_type=TEXT)
    rt = current_runtime()
    hook = read_webhook(body, settings.whatsapp_phone_number_id, rt.now())
    got = take_webhook(rt.uow, hook, rt.whatsapp_desk(), rt.now())
    log.info(
        "WhatsApp webhook: messages=%s taken=%s opened=%s repeated=%s failed=%s statuses=%s recorded=%s",
        got.messages, got.taken, got.opened, got.repeated, got.failed, got.statuses, got.recorded,
    )  # fmt: skip
    return Response("", 200, content_type=TEXT)


def _switched_on() -> Settings:
    """Return the settings, or answer 404 when the office takes no consultations on WhatsApp."""
    settings = current_runtime().settings
    if not settings.whatsapp_consultations:
        abort(404)
    return settings


def _same(given: str, expected: str) -> bool:
    """Tell whether a token given is the one expected (never when none is set), in constant time."""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


@bp.record_once
def _exempt_from_csrf(setup: BlueprintSetupState) -> None:
    """Let Meta POST: it holds no session, and the signature proves the sender instead."""
    csrf = setup.app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(bp)
