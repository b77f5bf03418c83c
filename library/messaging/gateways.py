"""The office's gateways to phones: a generic HTTP gateway (SMS or WhatsApp) and WhatsApp's Cloud API.

Both take one message by an HTTPS POST of JSON and answer 2xx with the message's id:

- **generic** (PUSTAKA_PHONE_CHANNEL=gateway): `{"to": "+62…", "text": "…", "kind": "called",
  "language": "id", "reference": "pustaka-12"}` to PUSTAKA_PHONE_GATEWAY_URL, with
  `Authorization: Bearer <PUSTAKA_PHONE_GATEWAY_TOKEN>` and `Idempotency-Key: <reference>` (a
  gateway that honours it never sends a retried message twice). The id is read from the answer's
  `id` or `message_id`. Most Indonesian SMS and WhatsApp gateways take this shape, or a small
  relay turns it into theirs.
- **WhatsApp Business Cloud API** (PUSTAKA_PHONE_CHANNEL=whatsapp): a business-initiated message
  must be an approved template, so each kind of message is the template PUSTAKA_WHATSAPP_TEMPLATES
  names, in the visitor's language, its body's {{1}}, {{2}} filled by TEMPLATE_VALUES; POSTed to
  `<PUSTAKA_WHATSAPP_API_URL>/<PUSTAKA_WHATSAPP_PHONE_NUMBER_ID>/messages` with the access token;
  the answer's `messages[0].id` is the id.

A refusal (4xx but 429) is final: `GatewayRefused`. No answer, a 429 or a 5xx may pass: `GatewayAway`,
and the message is tried again.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from library.models import MessageKind

TIMEOUT = 5.0  # seconds: a gateway that does not answer by then is tried again later
# The values each WhatsApp template's body takes, in the order of its {{1}}, {{2}}.
TEMPLATE_VALUES: dict[MessageKind, tuple[str, ...]] = {
    MessageKind.CALLED: ("ticket", "counter"),
    MessageKind.TWO_AHEAD: ("ahead", "ticket"),
    MessageKind.SCAN_READY: ("link",),
    MessageKind.SURVEY: ("link",),
    MessageKind.ANSWERED: ("number", "link"),
}


class GatewayRefused(Exception):
    """The gateway refused the message: sending it again would not help."""


class GatewayAway(Exception):
    """The gateway did not take the message now (no answer, busy, its own error): try again later."""


@dataclass(frozen=True)
class Outgoing:
    """One message as a gateway needs it."""

    reference: str
    number: str  # +62…
    kind: MessageKind
    language: str
    text: str
    values: dict[str, str]


class Gateway(Protocol):
    """Where messages to phones leave."""

    @property
    def channel(self) -> str:
        """Name the kind of gateway (PUSTAKA_PHONE_CHANNEL's value)."""

    def send(self, message: Outgoing) -> str:
        """Send one message; return the gateway's id of it."""


@dataclass(frozen=True)
class HttpGateway:
    """The generic HTTP gateway."""

    url: str
    token: str
    channel: str = "gateway"

    def send(self, message: Outgoing) -> str:
        """POST the message as JSON; return the id the gateway gives it."""
        body = {
            "to": message.number,
            "text": message.text,
            "kind": message.kind.value,
            "language": message.language,
            "reference": message.reference,
        }
        answer = _post(self.url, body, self.token, {"Idempotency-Key": message.reference})
        return str(answer.get("id") or answer.get("message_id") or "")


@dataclass(frozen=True)
class WhatsAppCloud:
    """The WhatsApp Business Platform's Cloud API, by approved templates."""

    api_url: str
    phone_number_id: str
    token: str
    templates: dict[str, str]  # kind: template name
    channel: str = "whatsapp"

    def send(self, message: Outgoing) -> str:
        """POST the message as its kind's template; return the WhatsApp message id (wamid)."""
        parameters = [
            {"type": "text", "text": message.values.get(name, "")} for name in TEMPLATE_VALUES[message.kind]
        ]
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.number.lstrip("+"),
            "type": "template",
            "template": {
                "name": self.templates[message.kind.value],
                "language": {"code": message.language},
                "components": [{"type": "body", "parameters": parameters}],
            },
        }
        url = f"{self.api_url.rstrip('/')}/{self.phone_number_id}/messages"
        answer = _post(url, body, self.token, {})
        sent = answer.get("messages") or [{}]
        return str(sent[0].get("id", "")) if isinstance(sent, list) and sent else ""


def _post(url: str, body: dict, token: str, headers: dict[str, str]) -> dict:
    """POST JSON and return the JSON answer; raise GatewayRefused or GatewayAway."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {token}"} if token else {}),
            **headers,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - the admin's URL
            raw = response.read(64 * 1024)
    except urllib.error.HTTPError as error:
        said = error.read(500).decode("utf-8", "replace")
        if error.code == 429 or error.code >= 500:
            raise GatewayAway(f"HTTP {error.code}: {said}") from None
        raise GatewayRefused(f"HTTP {error.code}: {said}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise GatewayAway(str(getattr(error, "reason", error))) from None
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}
