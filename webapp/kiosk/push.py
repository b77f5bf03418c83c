"""Web Push on a visitor's status page: the service worker, and subscribing a browser to a visit.

The status page (`/kunjungan/<token>`) offers "Tell me on this phone" when the office turns Web
Push on (PUSTAKA_WEB_PUSH). The browser subscribes with its push service, using the office's
public key, and posts the subscription here as JSON with the page's CSRF token; the visit's
secret token in the address is the right to it. The service worker (`/sw.js`, at the root so
its scope covers the status pages) shows each message and opens the status page when tapped.
"""

from __future__ import annotations

from pathlib import Path

from flask import Response, current_app, jsonify, request
from flask_babel import gettext as _

from library.errors import InvalidField, NotFound
from library.frontoffice.visit_status import find_visit
from library.i18n import N_
from library.messaging.push_outbox import NOT_A_SUBSCRIPTION, check_subscribe, do_unsubscribe
from library.messaging.webpush import Subscription
from library.settings.visitors import host_list
from runtime import links
from webapp import i18n
from webapp.current_runtime import current_runtime
from webapp.forms import refusals
from webapp.kiosk.blueprint import push_bp

NOT_OFFERED = N_("This office does not send notifications to browsers.")


@push_bp.get("/sw.js")
def service_worker() -> Response:
    """Send the service worker that shows the office's notifications (scope: the whole site)."""
    _offered()
    script = Path(current_app.static_folder or "static", "push-worker.js").read_bytes()
    headers = {"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"}
    return Response(script, mimetype="text/javascript", headers=headers)


@push_bp.post(links.VISIT_STATUS + "/pemberitahuan")
def subscribe(token: str) -> tuple[Response, int]:
    """Keep this browser's push subscription for the visit; answer in the visitor's language."""
    _offered()
    subscription = _subscription(request.get_json(silent=True))
    rt = current_runtime()
    with refusals(catch=InvalidField) as attempt, rt.transaction() as uow:
        visit = find_visit(uow, token)
        i18n.speak(visit.language, on_kiosk=False)
        if subscription is None:
            raise InvalidField("subscription", NOT_A_SUBSCRIPTION)
        hosts = host_list(rt.settings.web_push_hosts)
        check_subscribe(uow, visit, subscription, hosts, visit.language, rt.now())
    if attempt.failed:
        return jsonify(error=attempt.message), 400
    return jsonify(message=_("This phone will be told when you are called.")), 200


def _subscription(sent: object) -> Subscription | None:
    """Read a browser's PushSubscription.toJSON() (None: not one)."""
    keys = sent.get("keys") if isinstance(sent, dict) else None
    if not isinstance(sent, dict) or not isinstance(keys, dict):
        return None
    endpoint, p256dh, auth = sent.get("endpoint"), keys.get("p256dh"), keys.get("auth")
    if not (isinstance(endpoint, str) and isinstance(p256dh, str) and isinstance(auth, str)):
        return None
    return Subscription(endpoint, p256dh, auth)


@push_bp.post(links.VISIT_STATUS + "/pemberitahuan/berhenti")
def unsubscribe(token: str) -> tuple[Response, int]:
    """Forget this browser's subscription for the visit."""
    _offered()
    sent = request.get_json(silent=True)
    endpoint = sent.get("endpoint") if isinstance(sent, dict) else None
    if not isinstance(endpoint, str):
        return jsonify(error=_("The form was not accepted; try again.")), 400
    with current_runtime().transaction() as uow:
        visit = find_visit(uow, token)
        i18n.speak(visit.language, on_kiosk=False)
        do_unsubscribe(uow, visit, endpoint)
    return jsonify(message=_("This phone will not be told any more.")), 200


def _offered() -> None:
    """Answer 404 where the office does not offer Web Push."""
    if not current_runtime().settings.web_push:
        raise NotFound(NOT_OFFERED)
