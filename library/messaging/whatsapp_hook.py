"""What WhatsApp's Cloud API posts to the office's webhook: its signature, its messages and statuses.

Meta signs each POST with the app secret: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw
body>`; a body whose signature does not match is not read at all (`signed`). The JSON is read
defensively (`read_webhook`): anything of an unexpected shape is skipped, never an error, since
Meta retries a delivery answered with anything but 200 and a payload we cannot read would come
back forever. Each change's `value` holds:

- `messages[]`: `{"from": "628…", "id": "wamid…", "timestamp": "1700000000", "type": "text",
  "text": {"body": …}, "context": {"id": "wamid…"}}`, or `image`/`document`/`audio`/`video`/
  `sticker` with `{"id": <media id>, "mime_type": …, "caption": …, "filename": …}`, or a
  `button` (a template's quick reply) or `interactive` answer, or a type Pustaka does not take;
- `contacts[]`: `{"wa_id": "628…", "profile": {"name": …}}`, the sender's display name;
- `statuses[]`: `{"id": "wamid…", "status": "sent|delivered|read|failed", "timestamp": …,
  "errors": [{"title": …}]}` about a message the office sent;
- `metadata.phone_number_id`: the office's number it came to (another number of the same app is
  not the office's).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

SIGNATURE_HEADER = "X-Hub-Signature-256"
MEDIA_TYPES = ("image", "document", "audio", "video", "sticker")
STATUSES = ("sent", "delivered", "read", "failed")
MAX_TEXT = 10_000  # WhatsApp caps a text at 4,096 characters; anything longer is cut here
NUMBER = re.compile(r"^[1-9][0-9]{5,14}$")  # a wa_id: the number in E.164 without its "+"


@dataclass(frozen=True)
class Media:
    """A file a message carries, to be fetched from the Cloud API by its id."""

    media_id: str
    kind: str  # image, document, audio, video, sticker
    mime_type: str
    filename: str


@dataclass(frozen=True)
class WhatsAppMessage:
    """One message a person sent to the office's number."""

    wamid: str
    sender: str  # +E.164
    name: str  # the name on their WhatsApp profile, may be ""
    at: dt.datetime
    kind: str  # the payload's type
    text: str  # the text, a caption, or the label of the button pressed
    refers_to: str = ""  # the wamid it replies to (context.id), may be ""
    media: Media | None = None


@dataclass(frozen=True)
class WhatsAppStatus:
    """What became of a message the office sent: sent, delivered, read or failed (with why)."""

    wamid: str
    status: str
    at: dt.datetime
    note: str = ""


@dataclass(frozen=True)
class Webhook:
    """What one POST to the webhook held."""

    messages: tuple[WhatsAppMessage, ...] = ()
    statuses: tuple[WhatsAppStatus, ...] = ()


def signed(secret: str, body: bytes, header: str | None) -> bool:
    """Tell whether the header is the body's HMAC-SHA256 with the app secret (compared in constant time)."""
    if not secret or not header:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.strip().lower().encode("ascii", "replace"))


def read_webhook(body: bytes, phone_number_id: str, now: dt.datetime) -> Webhook:
    """Read the messages and statuses of a webhook's body; skip whatever is not of the expected shape."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return Webhook()
    messages: list[WhatsAppMessage] = []
    statuses: list[WhatsAppStatus] = []
    for value in _values(payload, phone_number_id):
        names = _contact_names(value.get("contacts"))
        messages += [m for raw in _dicts(value.get("messages")) if (m := _message(raw, names, now))]
        statuses += [s for raw in _dicts(value.get("statuses")) if (s := _status(raw, now))]
    return Webhook(tuple(messages), tuple(statuses))


def _values(payload: object, phone_number_id: str) -> Iterator[dict[str, Any]]:
    """Yield each change's value that came to the office's number."""
    if not isinstance(payload, dict):
        return
    for entry in _dicts(payload.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if not isinstance(value, dict):
                continue
            metadata = value.get("metadata")
            to = str(metadata.get("phone_number_id", "")) if isinstance(metadata, dict) else ""
            if phone_number_id and to and to != phone_number_id:
                continue
            yield value


def _dicts(items: object) -> list[dict[str, Any]]:
    """Return the dictionaries of a JSON list (nothing when it is not a list)."""
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _contact_names(contacts: object) -> dict[str, str]:
    """Return each sender's profile name by their wa_id."""
    names = {}
    for contact in _dicts(contacts):
        profile = contact.get("profile")
        name = profile.get("name") if isinstance(profile, dict) else None
        if isinstance(name, str):
            names[str(contact.get("wa_id", ""))] = _clean(name)[:200]
    return names


def _message(raw: dict[str, Any], names: dict[str, str], now: dt.datetime) -> WhatsAppMessage | None:
    """Read one message, or None when it has no id or no sender's number."""
    wamid, sender, kind = _text(raw.get("id")), _text(raw.get("from")), _text(raw.get("type"))
    if not wamid or len(wamid) > 255 or not NUMBER.match(sender):
        return None
    context = raw.get("context")
    refers_to = _text(context.get("id")) if isinstance(context, dict) else ""
    media = _media(kind, raw.get(kind)) if kind in MEDIA_TYPES else None
    return WhatsAppMessage(
        wamid=wamid,
        sender="+" + sender,
        name=names.get(sender, ""),
        at=_when(raw.get("timestamp"), now),
        kind=kind,
        text=_clean(_said(kind, raw))[:MAX_TEXT],
        refers_to=refers_to[:255],
        media=media,
    )


def _said(kind: str, raw: dict[str, Any]) -> str:
    """Return what a message says: its text, its caption, or the button or list item chosen."""
    part = raw.get(kind)
    if not isinstance(part, dict):
        return ""
    if kind == "text":
        return _text(part.get("body"))
    if kind in MEDIA_TYPES:
        return _text(part.get("caption"))
    if kind == "button":
        return _text(part.get("text")) or _text(part.get("payload"))
    if kind == "interactive":
        for answer in ("button_reply", "list_reply"):
            chosen = part.get(answer)
            if isinstance(chosen, dict):
                return _text(chosen.get("title")) or _text(chosen.get("id"))
    return ""


def _media(kind: str, part: object) -> Media | None:
    """Read the media a message carries, or None without an id."""
    if not isinstance(part, dict) or not _text(part.get("id")):
        return None
    return Media(
        media_id=_text(part.get("id"))[:100],
        kind=kind,
        mime_type=_text(part.get("mime_type"))[:100],
        filename=_clean(_text(part.get("filename")))[:200],
    )


def _status(raw: dict[str, Any], now: dt.datetime) -> WhatsAppStatus | None:
    """Read one status, or None when it is of no kind Pustaka records."""
    wamid, status = _text(raw.get("id")), _text(raw.get("status"))
    if not wamid or status not in STATUSES:
        return None
    titles = [_text(error.get("title")) or _text(error.get("message")) for error in _dicts(raw.get("errors"))]
    return WhatsAppStatus(
        wamid[:255], status, _when(raw.get("timestamp"), now), _clean("; ".join(filter(None, titles)))[:500]
    )


def _when(stamp: object, now: dt.datetime) -> dt.datetime:
    """Return a payload's time stamp (seconds since 1970, as a string) as an aware UTC time; else now."""
    try:
        seconds = int(str(stamp))
        return dt.datetime.fromtimestamp(seconds, dt.UTC) if 0 < seconds < 2**33 else now
    except (TypeError, ValueError, OverflowError, OSError):
        return now


def _text(value: object) -> str:
    """Return a JSON string, or "" for anything else (numbers are written as text)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""


def _clean(text: str) -> str:
    """Drop control characters but line ends and tabs, which no message needs."""
    return "".join(c for c in text if c >= " " or c in "\t\n").replace("\r", "").strip()
