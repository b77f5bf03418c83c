"""WhatsApp's webhook: the handshake, signed deliveries only, within the body's limit, switched on by setting.

Meta is played by the test: it signs each body with the app secret the settings hold.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from library.models import ChannelReceipt
from library.settings import Settings
from tests.connections import ConnectionCount
from tests.phone_gateway import PhoneGateway
from webapp import create_app
from webapp.request_log import redact_query

SECRET = "the-app-secret-of-the-test"
VERIFY = "a-long-verify-token-of-the-test"
NUMBER_ID = "106540352242922"
HOOK = "/whatsapp/webhook"


def whatsapp_app(instance_dir: Path, gateway_url: str, **settings: object) -> Flask:
    """Return the app taking WhatsApp consultations, with the Cloud API at the gateway's URL."""
    values: dict[str, object] = {
        "whatsapp_consultations": True,
        "whatsapp_verify_token": VERIFY,
        "whatsapp_app_secret": SECRET,
        "whatsapp_api_url": gateway_url,
        "whatsapp_phone_number_id": NUMBER_ID,
        "whatsapp_token": "cloud-token",
        **settings,
    }
    app = create_app(Settings.from_env({}, instance_dir=instance_dir, **values))
    app.config["TESTING"] = True
    return app


def signature(body: bytes, secret: str = SECRET) -> str:
    """Return the header Meta signs a body with."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_body(messages: Sequence[dict] = (), statuses: Sequence[dict] = (), name: str = "Budi") -> bytes:
    """Return a webhook body as Meta sends it: the messages with their senders' names, the statuses."""
    value: dict = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000", "phone_number_id": NUMBER_ID},
        "contacts": [{"profile": {"name": name}, "wa_id": m["from"]} for m in messages],
        "messages": list(messages),
        "statuses": list(statuses),
    }
    change = {"field": "messages", "value": value}
    return json.dumps(
        {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [change]}]}
    ).encode()


def text_payload(wamid: str, sender: str, text: str, name: str = "Budi", stamp: int = 1_790_000_000) -> bytes:
    """Return a webhook body with one text message."""
    message = {"from": sender, "id": wamid, "timestamp": str(stamp), "type": "text", "text": {"body": text}}
    return webhook_body([message], name=name)


def post_signed(client: FlaskClient, body: bytes, header: str | None = None) -> int:
    """POST a body to the webhook as Meta does; return the status."""
    headers = {"X-Hub-Signature-256": signature(body) if header is None else header}
    return client.post(HOOK, data=body, headers=headers, content_type="application/json").status_code


@pytest.fixture
def hooked(instance_dir: Path, phone_gateway: PhoneGateway) -> Iterator[Flask]:
    """The app with WhatsApp consultations on."""
    app = whatsapp_app(instance_dir, phone_gateway.url)
    count = ConnectionCount(app.wsgi_app)
    app.wsgi_app = count  # type: ignore[method-assign]
    yield app
    app.extensions["pustaka"].close()
    assert not count.seconds, "A request held two database connections at once:\n" + "\n".join(count.seconds)


def receipts(app: Flask) -> int:
    """Return how many received messages are kept."""
    with app.extensions["pustaka"].uow() as uow:
        return int(uow.session.scalar(select(func.count(ChannelReceipt.id))) or 0)


def test_the_handshake_echoes_the_challenge_only_for_the_offices_verify_token(hooked: Flask) -> None:
    client = hooked.test_client()
    asked = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}
    right = client.get(HOOK, query_string={**asked, "hub.verify_token": VERIFY})
    assert (right.status_code, right.text, right.mimetype) == (200, "1158201444", "text/plain")
    wrong = client.get(HOOK, query_string={**asked, "hub.verify_token": VERIFY + "x"})
    assert (wrong.status_code, wrong.text) == (403, "")
    assert (
        client.get(HOOK, query_string={**asked, "hub.verify_token": VERIFY, "hub.mode": "x"}).status_code
        == 403
    )


def test_the_verify_token_is_never_written_in_the_access_log() -> None:
    assert redact_query(f"hub.mode=subscribe&hub.verify_token={VERIFY}&hub.challenge=7") == (
        "hub.mode=subscribe&hub.verify_token=<redacted>&hub.challenge=7"
    )


@pytest.mark.parametrize(
    "header",
    ["", "sha256=" + "0" * 64, signature(b"another body"), signature(b"", secret="another secret")],
    ids=["missing", "zeros", "another body's", "another secret's"],
)
def test_a_delivery_not_signed_with_the_app_secret_is_refused_and_nothing_is_kept(
    hooked: Flask, header: str
) -> None:
    body = text_payload("wamid.FORGED1", "6281234567890", "Minta data inflasi")
    if header.endswith(signature(b"", secret="another secret")[7:]):
        header = signature(body, secret="another secret")
    assert post_signed(hooked.test_client(), body, header) == 403
    assert receipts(hooked) == 0


def test_a_body_over_the_limit_is_refused_before_it_is_read(hooked: Flask) -> None:
    body = b'{"entry": [' + b" " * (300 * 1024) + b"]}"
    assert post_signed(hooked.test_client(), body) == 413
    assert receipts(hooked) == 0


def test_the_webhook_is_not_there_unless_the_office_takes_whatsapp_consultations(
    instance_dir: Path, phone_gateway: PhoneGateway
) -> None:
    app = whatsapp_app(instance_dir, phone_gateway.url, whatsapp_consultations=False)
    client = app.test_client()
    assert (
        client.get(HOOK, query_string={"hub.mode": "subscribe", "hub.verify_token": VERIFY}).status_code
        == 404
    )
    assert post_signed(client, text_payload("wamid.OFF1", "6281234567890", "Halo")) == 404
    app.extensions["pustaka"].close()


def test_a_signed_body_that_is_not_a_payload_is_answered_200_and_changes_nothing(hooked: Flask) -> None:
    client = hooked.test_client()
    for body in (
        b"not json",
        b"[]",
        b'{"entry": "x"}',
        b'{"entry": [{"changes": [{"value": {"messages": [7]}}]}]}',
    ):
        assert post_signed(client, body) == 200
    assert receipts(hooked) == 0
