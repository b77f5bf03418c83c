"""Web Push as a browser reads it: our encryption opened by the reference code, our VAPID token verified."""

from __future__ import annotations

import base64
import datetime as dt
import json

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from library.messaging.webpush import (
    DEFAULT_HOSTS,
    BadSubscription,
    Subscription,
    allowed_endpoint,
    b64url,
    encrypt,
    office_key,
    public_key,
    unb64url,
    vapid_authorization,
)

NOW = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.UTC)


def browser() -> tuple[ec.EllipticCurvePrivateKey, bytes, Subscription]:
    """Return a browser's own key, its auth secret, and the subscription it hands the office."""
    key = ec.generate_private_key(ec.SECP256R1())
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    secret = b"0123456789abcdef"
    endpoint = "https://fcm.googleapis.com/fcm/send/abc"
    return key, secret, Subscription(endpoint, b64url(point), b64url(secret))


def test_a_message_encrypted_for_a_browser_is_read_by_the_reference_decryption() -> None:
    key, secret, subscription = browser()
    message = json.dumps({"title": "PST BPS", "body": "Nomor antrean P-012 dipanggil."}).encode()
    body = encrypt(subscription, message)
    assert message not in body
    assert http_ece.decrypt(body, private_key=key, auth_secret=secret, version="aes128gcm") == message


def test_two_messages_alike_are_encrypted_apart() -> None:
    _, _, subscription = browser()
    assert encrypt(subscription, b"same") != encrypt(subscription, b"same")


def test_the_vapid_token_names_the_push_service_and_verifies_with_the_offices_public_key() -> None:
    key = office_key(b"a" * 64)
    header = vapid_authorization(key, "https://fcm.googleapis.com/fcm/send/abc", "mailto:pst@bps.go.id", NOW)
    token, shown_key = header.removeprefix("vapid t=").split(", k=")
    assert shown_key == public_key(key)
    head, claims, signature = token.split(".")
    assert json.loads(unb64url(head)) == {"typ": "JWT", "alg": "ES256"}
    said = json.loads(unb64url(claims))
    assert said["aud"] == "https://fcm.googleapis.com" and said["sub"] == "mailto:pst@bps.go.id"
    assert said["exp"] == int((NOW + dt.timedelta(hours=12)).timestamp())
    raw = unb64url(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    point = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(shown_key))
    point.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged


def test_the_office_key_is_the_same_from_the_same_secret_and_differs_from_another() -> None:
    assert public_key(office_key(b"a" * 64)) == public_key(office_key(b"a" * 64))
    assert public_key(office_key(b"a" * 64)) != public_key(office_key(b"b" * 64))
    assert len(base64.urlsafe_b64decode(public_key(office_key(b"a" * 64)) + "=")) == 65


@pytest.mark.parametrize(
    ("endpoint", "allowed"),
    [
        ("https://fcm.googleapis.com/fcm/send/x", True),
        ("https://web.push.apple.com/QGk", True),
        ("https://db5p.notify.windows.com/w/?token=1", True),
        ("https://fcm.googleapis.com.evil.example/x", False),
        ("https://evilfcm.googleapis.com/x", False),
        ("https://push.apple.com.example/x", False),
        ("http://fcm.googleapis.com/x", False),  # plain http only to a host named exactly
        ("https://user:pw@fcm.googleapis.com/x", False),
        ("https://127.0.0.1:8080/admin", False),
        ("file:///etc/passwd", False),
        ("https://[::1/x", False),
        ("http://localhost:9/x", False),  # this machine only when the office names it
    ],
)
def test_only_the_push_services_the_office_allows_are_sent_to(endpoint: str, allowed: bool) -> None:
    assert allowed_endpoint(endpoint, DEFAULT_HOSTS) is allowed


def test_a_subscription_with_keys_of_the_wrong_shape_is_refused() -> None:
    _, _, good = browser()
    assert good.checked(DEFAULT_HOSTS) is good
    for bad in (
        Subscription(good.endpoint, good.p256dh[:-4], good.auth),
        Subscription(good.endpoint, good.p256dh, good.auth + "AAAA"),
        Subscription(good.endpoint, "A" + good.p256dh[1:], good.auth),  # not an uncompressed point
        Subscription(good.endpoint, "!!!", good.auth),
        Subscription("https://fcm.googleapis.com/" + "x" * 1000, good.p256dh, good.auth),
    ):
        with pytest.raises(BadSubscription):
            bad.checked(DEFAULT_HOSTS)


def test_a_push_service_on_this_machine_is_reached_over_plain_http_only_when_named() -> None:
    assert allowed_endpoint("http://127.0.0.1:8080/push/1", ("127.0.0.1",))
    assert not allowed_endpoint("http://127.0.0.1:8080/push/1", DEFAULT_HOSTS)
