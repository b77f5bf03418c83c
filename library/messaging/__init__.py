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
