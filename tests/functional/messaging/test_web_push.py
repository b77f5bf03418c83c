"""Web Push on the status page: a browser subscribes, is told when called, and a gone one is forgotten.

The push service is the recording server of tests/phone_gateway.py (on this machine, named in
PUSTAKA_WEB_PUSH_HOSTS); what it takes is decrypted with the browser's key by the reference
implementation, as the browser would.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from library.messaging.webpush import b64url
from library.models import PushSubscription, Role, Ticket, Visit
from tests.functional.messaging.test_phone_messages import _app
from tests.functional.queue.test_queue import LIBRARY, choose_counter, post, staff, visitors
from tests.phone_gateway import PhoneGateway, Recorded

SECRET = b"fedcba9876543210"
CSRF = re.compile(r'data-csrf="([^"]+)"')


@pytest.fixture
def pushing(instance_dir: Path) -> Iterator[Flask]:
    """The app offering Web Push, its push services the one on this machine."""
    app = _app(
        instance_dir, web_push=True, web_push_hosts="127.0.0.1", web_push_contact="mailto:pst@bps.go.id"
    )
    yield app
    app.extensions["pustaka"].close()


class Browser:
    """A visitor's browser: its own key, and the subscription its push service gave it."""

    def __init__(self, endpoint: str) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.subscription = {"endpoint": endpoint, "keys": {"p256dh": b64url(point), "auth": b64url(SECRET)}}

    def read(self, pushed: Recorded) -> dict:
        """Decrypt what the push service took for this browser."""
        plain = http_ece.decrypt(pushed.raw, private_key=self.key, auth_secret=SECRET, version="aes128gcm")
        return json.loads(plain)


def _token(app: Flask, ticket_id: int) -> str:
    with app.extensions["pustaka"].uow() as uow:
        visit = uow.session.scalar(select(Visit).join(Ticket).where(Ticket.id == ticket_id))
        assert visit is not None
        return visit.status_token


def _subscribe(client: FlaskClient, token: str, sent: object):
    page = client.get(f"/kunjungan/{token}").get_data(as_text=True)
    found = CSRF.search(page)
    assert found, "the status page offers no Web Push"
    return client.post(
        f"/kunjungan/{token}/pemberitahuan", json=sent, headers={"X-CSRFToken": found.group(1)}
    )


def _subscriptions(app: Flask) -> int:
    with app.extensions["pustaka"].uow() as uow:
        return int(uow.session.scalar(select(func.count(PushSubscription.id))) or 0)


def test_a_subscribed_browser_is_told_its_call_encrypted_for_it_alone(
    pushing: Flask, phone_gateway: PhoneGateway
) -> None:
    ids = visitors(pushing, ("Ani", ["library"]), minutes=9)
    browser = Browser(f"{phone_gateway.url}/push/ani")
    answer = _subscribe(pushing.test_client(), _token(pushing, ids[0]), browser.subscription)
    assert answer.status_code == 200 and "Ponsel ini akan diberi tahu" in answer.json["message"]
    client = pushing.test_client()
    staff(pushing, client, Role.LIBRARIAN)
    choose_counter(client)
    assert post(client, f"{LIBRARY}/panggil").status_code == 303

    (pushed,) = phone_gateway.received
    assert pushed.path == "/push/ani"
    headers = {name.lower(): value for name, value in pushed.headers.items()}
    assert (
        headers["content-encoding"] == "aes128gcm"
        and headers["ttl"] == "600"
        and headers["urgency"] == "high"
    )
    assert headers["authorization"].startswith("vapid t=") and b"P-001" not in pushed.raw
    message = browser.read(pushed)
    assert message["title"].startswith("PST ")
    assert "nomor antrean P-001 dipanggil. Silakan ke Loket 1." in message["body"]
    assert message["url"].endswith(f"/kunjungan/{_token(pushing, ids[0])}")


def test_the_visitor_now_two_behind_by_the_priority_rule_is_told(
    pushing: Flask, phone_gateway: PhoneGateway
) -> None:
    ids = visitors(pushing, *((name, ["library"]) for name in ("Ani", "Budi", "Cici", "Dedi")), minutes=9)
    with pushing.extensions["pustaka"].uow() as uow:  # Dedi declared a priority group at the kiosk
        uow.session.get_one(Ticket, ids[3]).priority = "elderly"
        uow.commit()
    browsers = {}
    for name, ticket_id in zip(("Cici", "Dedi"), ids[2:], strict=True):
        browsers[name] = Browser(f"{phone_gateway.url}/push/{name}")
        assert (
            _subscribe(
                pushing.test_client(), _token(pushing, ticket_id), browsers[name].subscription
            ).status_code
            == 200
        )
    client = pushing.test_client()
    staff(pushing, client, Role.LIBRARIAN)
    choose_counter(client)
    post(client, f"{LIBRARY}/panggil")  # Dedi first: priority; then Ani, Budi: Cici is two behind
    assert [r.path for r in phone_gateway.received] == ["/push/Dedi", "/push/Cici"]
    assert (
        "tinggal 2 pengunjung lagi sebelum nomor antrean P-003"
        in browsers["Cici"].read(phone_gateway.received[1])["body"]
    )


def test_a_browser_its_push_service_forgot_is_forgotten_too(
    pushing: Flask, phone_gateway: PhoneGateway
) -> None:
    ids = visitors(pushing, ("Ani", ["library"]), minutes=9)
    _subscribe(
        pushing.test_client(), _token(pushing, ids[0]), Browser(f"{phone_gateway.url}/push/gone").subscription
    )
    phone_gateway.status = 410
    client = pushing.test_client()
    staff(pushing, client, Role.LIBRARIAN)
    choose_counter(client)
    assert post(client, f"{LIBRARY}/panggil").status_code == 303  # the call stands
    assert len(phone_gateway.received) == 1 and _subscriptions(pushing) == 0


@pytest.mark.parametrize(
    "sent",
    [
        {"endpoint": "https://intranet.example/admin", "keys": None},
        None,
        "not json",
        {"endpoint": 5, "keys": {"p256dh": "x", "auth": "y"}},
    ],
)
def test_what_is_not_a_subscription_to_an_allowed_push_service_is_refused_in_the_visitors_words(
    pushing: Flask, sent: object
) -> None:
    ids = visitors(pushing, ("Ani", ["library"]), minutes=9)
    if isinstance(sent, dict) and sent.get("keys") is None:
        sent = {**Browser(sent["endpoint"]).subscription}
    answer = _subscribe(pushing.test_client(), _token(pushing, ids[0]), sent)
    assert answer.status_code == 400
    assert (
        answer.json["error"]
        == "Browser ini tidak dapat diberi tahu di sini. Biarkan halaman ini tetap terbuka."
    )
    assert _subscriptions(pushing) == 0


def test_without_web_push_the_status_page_offers_nothing_and_its_addresses_are_not_found(
    app: Flask, client: FlaskClient
) -> None:
    ids = visitors(app, ("Ani", ["library"]), minutes=9)
    token = _token(app, ids[0])
    assert "data-push-offer" not in client.get(f"/kunjungan/{token}").get_data(as_text=True)
    assert client.get("/sw.js").status_code == 404


def test_the_service_worker_may_serve_the_whole_site(pushing: Flask) -> None:
    answer = pushing.test_client().get("/sw.js")
    assert answer.status_code == 200 and answer.headers["Service-Worker-Allowed"] == "/"
    assert "showNotification" in answer.get_data(as_text=True)
