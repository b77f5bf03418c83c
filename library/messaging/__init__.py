"""Telling visitors on their phone: WhatsApp or SMS through the office's gateway, with their consent.

A message is an outbox row written in the teller's transaction, with the visitor's consent and at
most so many an hour, sent after it commits (`outbox`: `tell`); browsers subscribed on a visit's
status page get Web Push (`push_outbox`, RFC 8291 and 8292). The WhatsApp Cloud API's webhook and
calls are here too (`whatsapp_hook`, `whatsapp_api`).

What is told when (called, two ahead, the survey link) is the front office's
(`library.frontoffice.news`).
"""

from __future__ import annotations
