"""Telling visitors on their phone: WhatsApp or SMS through the office's gateway, with their consent.

- `numbers`: an Indonesian mobile number as typed, written +62…;
- `texts`: what each message says, in Indonesian and English, or the office's own words;
- `gateways`: the generic HTTP gateway and the WhatsApp Business Cloud API;
- `outbox`: a message written with the visitor's consent, at most so many an hour, sent after commit;
- `webpush`: Web Push to a browser (RFC 8291 encryption, RFC 8292 VAPID), to allowed push services;
- `push_outbox`: the browsers subscribed on a visit's status page, and a message per browser;
- `whatsapp_hook`: what the Cloud API posts to the office's webhook (signature, messages, statuses);
  `whatsapp_api`: the calls a WhatsApp conversation needs (a text, a template, a received file).

What is told when (called, two ahead, the survey link) is the front office's
(`library.frontoffice.news`).
"""

from __future__ import annotations

from library.messaging.gateways import (
    Gateway,
    GatewayAway,
    GatewayRefused,
    HttpGateway,
    WhatsAppCloud,
)
from library.messaging.numbers import indonesian_mobile
from library.messaging.outbox import PhonePost, Recipient, send_message, tell
from library.messaging.push_outbox import (
    NOT_A_SUBSCRIPTION,
    PushPost,
    check_subscribe,
    do_unsubscribe,
    send_push,
    subscriptions_of,
    tell_browsers,
)
from library.messaging.texts import render, template
from library.messaging.webpush import (
    BadSubscription,
    PushService,
    Subscription,
    allowed_endpoint,
    office_key,
    public_key,
)
from library.messaging.whatsapp_api import CloudApi, Fetched, MediaUnavailable
from library.messaging.whatsapp_hook import (
    SIGNATURE_HEADER,
    Media,
    Webhook,
    WhatsAppMessage,
    WhatsAppStatus,
    read_webhook,
    signed,
)

__all__ = [
    "SIGNATURE_HEADER",
    "CloudApi",
    "Fetched",
    "Media",
    "MediaUnavailable",
    "Webhook",
    "WhatsAppMessage",
    "WhatsAppStatus",
    "read_webhook",
    "signed",
    "Recipient",
    "NOT_A_SUBSCRIPTION",
    "BadSubscription",
    "PushPost",
    "PushService",
    "Subscription",
    "allowed_endpoint",
    "check_subscribe",
    "do_unsubscribe",
    "office_key",
    "public_key",
    "render",
    "send_push",
    "subscriptions_of",
    "tell",
    "tell_browsers",
    "template",
    "Gateway",
    "GatewayAway",
    "GatewayRefused",
    "HttpGateway",
    "PhonePost",
    "WhatsAppCloud",
    "indonesian_mobile",
    "send_message",
]
