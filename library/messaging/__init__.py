"""Telling visitors on their phone: WhatsApp or SMS through the office's gateway, with their consent.

- `numbers`: an Indonesian mobile number as typed, written +62…;
- `texts`: what each message says, in Indonesian and English, or the office's own words;
- `gateways`: the generic HTTP gateway and the WhatsApp Business Cloud API;
- `outbox`: a message written with the visitor's consent, at most so many an hour, sent after commit;
- `news`: what is told when (called, two ahead, the survey link).
"""

from __future__ import annotations

from library.messaging.gateways import (
    Gateway,
    GatewayAway,
    GatewayRefused,
    HttpGateway,
    WhatsAppCloud,
)
from library.messaging.news import tell_queue_moved, tell_scan_ready, tell_survey
from library.messaging.numbers import indonesian_mobile
from library.messaging.outbox import PhonePost, send_message

__all__ = [
    "Gateway",
    "GatewayAway",
    "GatewayRefused",
    "HttpGateway",
    "PhonePost",
    "WhatsAppCloud",
    "indonesian_mobile",
    "send_message",
    "tell_queue_moved",
    "tell_scan_ready",
    "tell_survey",
]
