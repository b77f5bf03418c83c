"""Web Push to a visitor's browser: the message encrypted for it (RFC 8291), the office signed (RFC 8292).

A visitor who asks on their status page gets a *subscription* from their browser's push service
(Google's, Mozilla's, Apple's, Microsoft's): an endpoint URL and two keys. A message is
encrypted for those keys (`aes128gcm`, RFC 8188: one record; only the browser can read it) and
POSTed to the endpoint with a VAPID token (a JWT the office signs with its P-256 key, whose public
half the browser was given when it subscribed), so the push service takes it only from this
office. The endpoint comes from the visitor's browser, so it is checked against the push
services the office allows (PUSTAKA_WEB_PUSH_HOSTS, over HTTPS; plain HTTP only to this
machine, named exactly) before anything is sent there, and redirects are never followed: a
visitor cannot make the office POST to its own network.

Answers: 201 (or any 2xx) taken; 404 and 410 the subscription is gone (the browser unsubscribed):
`SubscriptionGone`; 429, 5xx or no answer `GatewayAway` (tried again); other 4xx `GatewayRefused`.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import json
import os
import struct
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand

from library.messaging.gateways import TIMEOUT, GatewayAway, GatewayRefused

RECORD_SIZE = 4096  # one record holds any message this office sends (a few hundred bytes)
VAPID_LIFETIME = dt.timedelta(hours=12)  # RFC 8292: at most 24 hours
DEFAULT_HOSTS = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.push.apple.com",
    "*.notify.windows.com",
)


LOOPBACK = ("127.0.0.1", "localhost", "::1")  # plain http only here (a local push service), named exactly


class SubscriptionGone(Exception):
    """The push service no longer knows the subscription: the browser left it; forget it."""


class BadSubscription(ValueError):
    """What a browser sent is not a subscription this office may send to."""


def b64url(data: bytes) -> str:
    """Encode bytes as unpadded base64url, as Web Push writes keys."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    """Decode unpadded (or padded) base64url; raise BadSubscription on anything else."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        raise BadSubscription("not base64url") from None


@functools.lru_cache(maxsize=4)
def office_key(secret: bytes) -> ec.EllipticCurvePrivateKey:
    """Return the office's VAPID key (P-256), derived from a secret file's value: the same on every host.

    Kept per secret: each status page shows its public half, so it is derived once, not per page.
    """
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    scalar = int.from_bytes(hashlib.sha256(b"pustaka web push\0" + secret).digest(), "big") % (order - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


def public_key(key: ec.EllipticCurvePrivateKey) -> str:
    """Return the key's public half as the browser's applicationServerKey (uncompressed point, base64url)."""
    raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(raw)


def allowed_endpoint(endpoint: str, hosts: tuple[str, ...]) -> bool:
    """Tell whether an endpoint is a push service the office allows (`*.example.com` matches below it)."""
    try:
        url = urllib.parse.urlsplit(endpoint)
        host = (url.hostname or "").lower()
    except ValueError:
        return False
    if url.scheme not in ("https", "http") or not host or url.username or url.password:
        return False
    if url.scheme == "http" and not (host in LOOPBACK and host in hosts):  # a push service on this machine
        return False
    return any(host == h or (h.startswith("*.") and host.endswith(h[1:])) for h in hosts)


@dataclass(frozen=True)
class Subscription:
    """Where a browser takes its messages, and the keys they are encrypted for."""

    endpoint: str
    p256dh: str  # the browser's public key (base64url, 65 bytes)
    auth: str  # its authentication secret (base64url, 16 bytes)

    def checked(self, hosts: tuple[str, ...]) -> Subscription:
        """Return the subscription if the office may send to it; raise BadSubscription otherwise."""
        if len(self.endpoint) > 1000 or not allowed_endpoint(self.endpoint, hosts):
            raise BadSubscription("push service not allowed")
        point, secret = unb64url(self.p256dh), unb64url(self.auth)
        if len(point) != 65 or len(secret) != 16:
            raise BadSubscription("keys of the wrong size")
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        except ValueError:
            raise BadSubscription("not a P-256 point") from None
        return self


def encrypt(subscription: Subscription, plaintext: bytes) -> bytes:
    """Encrypt a message for a browser's keys: one aes128gcm record (RFC 8291, section 3.4)."""
    ua_public = unb64url(subscription.p256dh)
    auth_secret = unb64url(subscription.auth)
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    as_public = ephemeral.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    shared = ephemeral.exchange(
        ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), ua_public)
    )
    ikm = HKDF(hashes.SHA256(), 32, auth_secret, b"WebPush: info\0" + ua_public + as_public).derive(shared)
    salt = os.urandom(16)
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()  # HKDF-Extract
    cek = HKDFExpand(hashes.SHA256(), 16, b"Content-Encoding: aes128gcm\0").derive(prk)
    nonce = HKDFExpand(hashes.SHA256(), 12, b"Content-Encoding: nonce\0").derive(prk)
    record = AESGCM(cek).encrypt(nonce, plaintext + b"\x02", None)  # \x02: the last (only) record
    header = salt + struct.pack("!IB", RECORD_SIZE, len(as_public)) + as_public
    return header + record


def vapid_authorization(
    key: ec.EllipticCurvePrivateKey, endpoint: str, contact: str, now: dt.datetime
) -> str:
    """Return the Authorization header that names the office to the endpoint's push service (RFC 8292)."""
    url = urllib.parse.urlsplit(endpoint)
    claims = {
        "aud": f"{url.scheme}://{url.netloc}",
        "exp": int((now + VAPID_LIFETIME).timestamp()),
        "sub": contact,
    }
    signing_input = (
        b64url(json.dumps({"typ": "JWT", "alg": "ES256"}).encode())
        + "."
        + b64url(json.dumps(claims, separators=(",", ":")).encode())
    )
    r, s = decode_dss_signature(key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256())))
    token = signing_input + "." + b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
    return f"vapid t={token}, k={public_key(key)}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Never follow a redirect: the endpoint was checked, where it points to was not."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        """Refuse every redirect."""
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


@dataclass(frozen=True)
class PushService:
    """Sends encrypted messages to browsers' push services, signed with the office's key."""

    key: ec.EllipticCurvePrivateKey
    contact: str  # mailto: or https: (RFC 8292 `sub`)
    hosts: tuple[str, ...]

    def send(self, subscription: Subscription, payload: dict, ttl: int, now: dt.datetime) -> None:
        """Send one message; raise SubscriptionGone, GatewayRefused or GatewayAway."""
        try:
            subscription.checked(self.hosts)
        except BadSubscription as bad:  # the office's list changed since the visitor subscribed
            raise GatewayRefused(f"subscription refused: {bad}") from None
        body = encrypt(subscription, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        request = urllib.request.Request(
            subscription.endpoint,
            data=body,
            method="POST",
            headers={
                "Content-Encoding": "aes128gcm",
                "Content-Type": "application/octet-stream",
                "TTL": str(ttl),
                "Urgency": "high",
                "Authorization": vapid_authorization(self.key, subscription.endpoint, self.contact, now),
            },
        )
        try:
            with _OPENER.open(request, timeout=TIMEOUT) as response:
                response.read(4096)
        except urllib.error.HTTPError as error:
            said = error.read(300).decode("utf-8", "replace")
            if error.code in (404, 410):
                raise SubscriptionGone(f"HTTP {error.code}") from None
            if error.code == 429 or error.code >= 500:
                raise GatewayAway(f"HTTP {error.code}: {said}") from None
            raise GatewayRefused(f"HTTP {error.code}: {said}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise GatewayAway(str(getattr(error, "reason", error))) from None
