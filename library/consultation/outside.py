"""Answering a consultation where it was asked: by email in the same thread, or on WhatsApp.

On a consultation that came by email or WhatsApp, every message to the asker (the consultant's
own, and the notices: received, closed with the survey link, a reminder, an appointment) is a row
of its thread marked `queued` in the writer's transaction; after commit a job sends it through the
channel's `OutsideSender` (never inside the transaction: a slow channel holds up nobody) and
records its id there and what became of it. WhatsApp later reports delivered, read or failed
(`record_status`). The web's own consultations keep their emails with a link (library.consultation.mail).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from library.clock import moment_in_both, office_zone
from library.consultation.rules import ConsultationPost, ConsultationRules
from library.messaging.gateways import GatewayAway, GatewayRefused
from library.models import Consultation, ConsultationChannel, ConsultationMessage, MessageDelivery
from library.uow import UnitOfWork

log = logging.getLogger(__name__)
# The channels Pustaka answers through itself; telephone and social media are answered by hand.
ANSWERED_OUTSIDE = (ConsultationChannel.EMAIL.value, ConsultationChannel.WHATSAPP.value)
GIVE_UP = dt.timedelta(days=1)  # a channel away this long: the message is marked failed, staff see it
# How far each status is along: a late "delivered" never undoes "read".
ORDER = {
    MessageDelivery.QUEUED: 0,
    MessageDelivery.SENT: 1,
    MessageDelivery.DELIVERED: 2,
    MessageDelivery.READ: 3,
    MessageDelivery.FAILED: 4,
}


class AwaitingReply(Exception):
    """The channel cannot carry the message now, only once the asker writes again (WhatsApp's window).

    The message stays queued with this note; the asker's next message sends it.
    """


class OutsideSender(Protocol):
    """Sends one queued message of a consultation on its channel."""

    def __call__(
        self, row: Consultation, message: ConsultationMessage, thread: Sequence[ConsultationMessage]
    ) -> str:
        """Send it; return its id there. GatewayAway: try later; GatewayRefused: it failed."""
        ...


def answered_outside(row: Consultation) -> bool:
    """Tell whether Pustaka sends this consultation's messages to the asker on its channel."""
    return row.channel in ANSWERED_OUTSIDE


def mark_outgoing(row: Consultation, message: ConsultationMessage) -> None:
    """Mark a staff message of a consultation answered outside as queued on its channel."""
    if answered_outside(row):
        message.channel = row.channel
        message.delivery = MessageDelivery.QUEUED.value


def queue_outside(
    uow: UnitOfWork,
    row: Consultation,
    text: str,
    now: dt.datetime,
    author_id: int | None,
    post: ConsultationPost | None,
) -> ConsultationMessage | None:
    """Add a notice to the asker to the thread, queued on the channel (None: the web asker is emailed)."""
    if not answered_outside(row):
        return None
    message = ConsultationMessage(author_id=author_id, from_staff=True, body=text, at=now)
    mark_outgoing(row, message)
    row.messages.append(message)
    uow.session.flush()
    wake(uow, message, post)
    return message


def wake(uow: UnitOfWork, message: ConsultationMessage, post: ConsultationPost | None) -> None:
    """Have a queued message sent after commit (by a job), where the office sends them."""
    if post is not None and post.outside_news is not None and message.delivery == MessageDelivery.QUEUED:
        message_id, send = message.id, post.outside_news
        uow.after_commit(lambda: send(message_id))


def wake_waiting(uow: UnitOfWork, row: Consultation, post: ConsultationPost | None) -> int:
    """Have every message still queued on a consultation sent (the asker wrote: the window is open)."""
    waiting = [m for m in row.messages if m.delivery == MessageDelivery.QUEUED.value and m.id]
    for message in waiting:
        wake(uow, message, post)
    return len(waiting)


def send_outside(
    session_factory: sessionmaker[Session],
    message_id: int,
    senders: Mapping[str, OutsideSender],
    now: Callable[[], dt.datetime],
) -> MessageDelivery | None:
    """Send one queued message on its channel and record what came of it; return its delivery.

    A channel away raises GatewayAway (the job tries again) until the message is a day old; then
    it is marked failed for staff to see. None: nothing to send (sent already, or no sender).
    """
    with UnitOfWork(session_factory) as uow:
        message = uow.session.get(ConsultationMessage, message_id)
        if message is None or message.delivery != MessageDelivery.QUEUED.value:
            return None
        sender = senders.get(message.channel)
        if sender is None:
            return None
        row = message.consultation
        thread = list(row.messages)
        delivery, external_id, note, waiting = MessageDelivery.SENT, "", "", False
        try:
            external_id = sender(row, message, thread)
        except GatewayRefused as refused:
            delivery, note = MessageDelivery.FAILED, str(refused)
        except AwaitingReply as awaiting:
            delivery, note, waiting = MessageDelivery.QUEUED, str(awaiting), True
        except GatewayAway as away:
            failed = now() - message.at > GIVE_UP
            delivery, note = (MessageDelivery.FAILED if failed else MessageDelivery.QUEUED), str(away)
        message.delivery, message.delivery_note, message.delivery_at = delivery.value, note[:1000], now()
        if external_id:
            message.external_id = external_id[:255]
        number = row.number
        uow.commit()
    log.info("Consultation %s message %s on %s: %s %s", number, message_id, message.channel, delivery, note)
    if delivery is MessageDelivery.QUEUED and not waiting:
        raise GatewayAway(note)
    return delivery


def record_status(
    uow: UnitOfWork,
    channel: ConsultationChannel,
    external_id: str,
    delivery: MessageDelivery,
    at: dt.datetime,
    note: str = "",
) -> bool:
    """Record what the channel reports of a message sent (delivered, read, failed); False: not ours."""
    message = uow.session.scalar(
        select(ConsultationMessage).where(
            ConsultationMessage.channel == channel.value, ConsultationMessage.external_id == external_id[:255]
        )
    )
    if message is None or not message.from_staff:
        return False
    current = MessageDelivery(message.delivery) if message.delivery else MessageDelivery.QUEUED
    if ORDER[delivery] > ORDER.get(current, 0):
        message.delivery, message.delivery_at = delivery.value, at
        if note:
            message.delivery_note = note[:1000]
    return True


def acknowledgement(row: Consultation, rules: ConsultationRules, now: dt.datetime, *, refused: bool) -> str:
    """Return the notice that a message was received: the number, and the answer's target."""
    due = moment_in_both(rules.answer_due(now), office_zone(rules.calendar.timezone))
    days = rules.sla_working_days
    files_id = " Sebagian lampiran tidak dapat kami terima; lihat catatan di atas." if refused else ""
    files_en = " Some attachments could not be accepted; see the note above." if refused else ""
    return (
        f"Terima kasih. Pesan Anda kami terima sebagai konsultasi {row.number}; sebutkan nomor ini bila "
        f"menghubungi kami. Kami menjawab paling lambat {days} hari kerja setelah pertanyaan jelas dan "
        f"lengkap (bila sudah jelas sekarang: paling lambat {due[0]}).{files_id}\n\n"
        f"Thank you. We have received your message as consultation {row.number}; please quote this number. "
        f"We answer within {days} working days after the question is clear and complete (if it is clear "
        f"now: by {due[1]}).{files_en}"
    )


def closed_notice(row: Consultation, survey_link: str) -> str:
    """Return the notice that a consultation was closed, with the link to rate the service."""
    return (
        f"Konsultasi {row.number} telah selesai. Mohon nilai layanan kami (Survei Kepuasan Masyarakat): "
        f"{survey_link}\n\n"
        f"Consultation {row.number} is finished. Please rate our service: {survey_link}"
    )


def reminder_notice(row: Consultation, close_on: tuple[str, str]) -> str:
    """Return the reminder that the consultant waits for the asker's reply, and when it closes without one."""
    return (
        f"Konsultan kami menunggu balasan Anda untuk konsultasi {row.number}. Bila tidak ada balasan, "
        f"konsultasi ditutup pada {close_on[0]}; balas pesan ini untuk melanjutkan.\n\n"
        f"Our consultant is waiting for your reply to consultation {row.number}. Without a reply it closes "
        f"on {close_on[1]}; reply to this message to continue."
    )


def appointment_notice(row: Consultation, when: tuple[str, str], minutes: int, place: str, note: str) -> str:
    """Return the notice of a follow-up appointment: when, how long, where or the meeting's link."""
    extra = f"\n{note}" if note else ""
    return (
        f"Konsultan mengusulkan pertemuan lanjutan untuk konsultasi {row.number}: {when[0]}, "
        f"{minutes} menit, di {place}. Balas pesan ini untuk menerima atau meminta waktu lain.{extra}\n\n"
        f"The consultant proposes a follow-up meeting for consultation {row.number}: {when[1]}, "
        f"{minutes} minutes, at {place}. Reply to this message to accept or to ask for another time."
    )
