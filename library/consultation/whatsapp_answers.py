"""Staff messages of a WhatsApp consultation go back through the Cloud API, within WhatsApp's rules.

WhatsApp lets a business write freely only within 24 hours of the person's last message to it,
about anything (the customer-service window: the number's, not one consultation's). Within it, a
queued message goes as a text. Outside it, only an approved template may go: the "reply" template
(PUSTAKA_WHATSAPP_TEMPLATES) tells the asker an answer to their consultation waits and asks them
to reply to receive it. The message itself stays queued (`AwaitingReply`), the invitation noted
on it (`send_outside` keeps the note); their reply opens the window again and the webhook sends
what was queued (`wake_waiting`). One invitation is sent per silence: the other messages queued
meanwhile, and retries, wait for the same reply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import object_session

from library.consultation.outside import AwaitingReply
from library.messaging.whatsapp_api import CloudApi
from library.models import Consultation, ConsultationChannel, ConsultationMessage, MessageDelivery

WINDOW = dt.timedelta(hours=24)
MARGIN = dt.timedelta(minutes=10)  # a text sent on the window's last minute may arrive after it closed
INVITED = "invited to reply:"  # the start of a queued message's note once the template went


@dataclass(frozen=True)
class WhatsAppSender:
    """Send one queued staff message of a WhatsApp consultation (an OutsideSender); return its wamid."""

    api: CloudApi
    reply_template: str  # the approved template inviting a reply, by name
    now: Callable[[], dt.datetime]
    language: str = "id"

    def __call__(
        self, row: Consultation, message: ConsultationMessage, thread: Sequence[ConsultationMessage]
    ) -> str:
        """Send the text within the window; else invite a reply once and leave the message queued."""
        last = last_heard(row)
        now = self.now()
        if last is not None and now - last < WINDOW - MARGIN:
            return self.api.send_text(row.contact, message.body)
        invited = invitation_since(thread, last)
        if invited:
            raise AwaitingReply(invited)
        wamid = self.api.send_template(row.contact, self.reply_template, self.language, (row.number,))
        raise AwaitingReply(f"{INVITED} {wamid} {now.isoformat(timespec='seconds')}")  # the message's note


def last_heard(row: Consultation) -> dt.datetime | None:
    """Return when the asker's number last wrote to the office on WhatsApp, in any of its consultations."""
    session = object_session(row)
    if session is None:
        return None
    return session.scalar(
        select(func.max(ConsultationMessage.at))
        .join(Consultation, Consultation.id == ConsultationMessage.consultation_id)
        .where(
            Consultation.channel == ConsultationChannel.WHATSAPP.value,
            Consultation.contact == row.contact,
            ConsultationMessage.channel == ConsultationChannel.WHATSAPP.value,
            ConsultationMessage.from_staff.is_(False),
        )
    )


def invitation_since(thread: Sequence[ConsultationMessage], last: dt.datetime | None) -> str:
    """Return the note of an invitation sent after the asker last wrote (a queued message's), or ""."""
    for message in thread:
        note = message.delivery_note or ""
        if message.delivery != MessageDelivery.QUEUED.value or not note.startswith(INVITED):
            continue
        sent = _sent_at(note)
        if sent is not None and (last is None or sent > last):
            return note
    return ""


def _sent_at(note: str) -> dt.datetime | None:
    """Return when an invitation's note says it went."""
    try:
        return dt.datetime.fromisoformat(note.rsplit(" ", 1)[-1])
    except ValueError:
        return None
