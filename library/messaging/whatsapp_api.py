"""The Cloud API's calls a conversation needs: a free-form text, a template, and a received file.

- text: `{"messaging_product": "whatsapp", "to": "628…", "type": "text", "text": {"body": …}}`,
  allowed only within 24 hours of the person's last message (the customer-service window);
- template: an approved template with its body's parameters, allowed at any time;
- media: `GET <api>/<media id>` with the access token answers `{"url": …, "mime_type": …,
  "file_size": …}`; the file itself is then fetched from that URL with the same token.

Each call answers with the message's id (wamid). A refusal (4xx but 429) raises `GatewayRefused`
with the platform's own words (`error.message`, and `error_data.details` where given); no answer,
a 429 or a 5xx raises `GatewayAway`, to try again.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from library.messaging.gateways import TIMEOUT, GatewayAway, GatewayRefused

MEDIA_TIMEOUT = 20.0  # seconds: a file of a few megabytes on a slow line


class MediaUnavailable(Exception):
    """A received file could not be fetched (gone, refused, unreachable, or larger than allowed)."""

    def __init__(self, reason: str, *, too_large: bool = False, transient: bool = False) -> None:
        super().__init__(reason)
        self.too_large = too_large
        self.transient = transient  # no answer, busy or failing: it may come a little later


@dataclass(frozen=True)
class Fetched:
    """A received file's bytes and the type the platform gave it."""

    data: bytes
    mime_type: str


@dataclass(frozen=True)
class CloudApi:
    """The office's number on the WhatsApp Cloud API."""

    api_url: str
    phone_number_id: str
    token: str

    def send_text(self, to: str, body: str) -> str:
        """Send a free-form text (within the 24-hour window); return its wamid."""
        return self._send(
            {"to": to.lstrip("+"), "type": "text", "text": {"body": body, "preview_url": False}}
        )

    def send_template(self, to: str, name: str, language: str, values: Sequence[str]) -> str:
        """Send an approved template with its body's values in order; return its wamid."""
        template: dict[str, Any] = {"name": name, "language": {"code": language}}
        if values:
            parameters = [{"type": "text", "text": value} for value in values]
            template["components"] = [{"type": "body", "parameters": parameters}]
        return self._send({"to": to.lstrip("+"), "type": "template", "template": template})

    def fetch_media(self, media_id: str, limit: int) -> Fetched:
        """Fetch a received file of at most `limit` bytes; raise MediaUnavailable otherwise."""
        about = _read_json(self._get(f"{self.api_url.rstrip('/')}/{media_id}", 64 * 1024, TIMEOUT))
        url, size = about.get("url"), about.get("file_size")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise MediaUnavailable("the platform gave no address for the file")
        if isinstance(size, int) and size > limit:
            raise MediaUnavailable(f"{size} bytes", too_large=True)
        data = self._get(url, limit + 1, MEDIA_TIMEOUT)
        if len(data) > limit:
            raise MediaUnavailable(f"over {limit} bytes", too_large=True)
        return Fetched(data, str(about.get("mime_type") or ""))

    def _send(self, message: dict[str, Any]) -> str:
        """POST one message to the number's messages; return its wamid."""
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", **message}
        request = urllib.request.Request(
            f"{self.api_url.rstrip('/')}/{self.phone_number_id}/messages",
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - the admin's URL
                answer = _read_json(response.read(64 * 1024))
        except urllib.error.HTTPError as error:
            said = platform_error(error.read(4096))
            if error.code == 429 or error.code >= 500:
                raise GatewayAway(f"HTTP {error.code}: {said}") from None
            raise GatewayRefused(said or f"HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise GatewayAway(str(getattr(error, "reason", error))) from None
        sent = answer.get("messages")
        first = sent[0] if isinstance(sent, list) and sent and isinstance(sent[0], dict) else {}
        return str(first.get("id", ""))

    def _get(self, url: str, limit: int, timeout: float) -> bytes:
        """GET with the access token and return up to `limit` bytes; raise MediaUnavailable on failure."""
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the platform's URL
                return bytes(response.read(limit))
        except urllib.error.HTTPError as error:
            said = f"HTTP {error.code}: {platform_error(error.read(4096))}"
            raise MediaUnavailable(said, transient=error.code == 429 or error.code >= 500) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise MediaUnavailable(str(getattr(error, "reason", error)), transient=True) from None


def platform_error(raw: bytes) -> str:
    """Return the platform's words in an error answer (`error.message`, its details), else the raw text."""
    answer = _read_json(raw)
    error = answer.get("error")
    if not isinstance(error, dict):
        return raw.decode("utf-8", "replace").strip()[:300]
    data = error.get("error_data")
    details = data.get("details") if isinstance(data, dict) else None
    words = [str(w) for w in (error.get("error_user_title") or error.get("message"), details) if w]
    return ": ".join(words)[:300]


def _read_json(raw: bytes) -> dict[str, Any]:
    """Return a JSON object, or {} for anything else."""
    try:
        answer = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return answer if isinstance(answer, dict) else {}
