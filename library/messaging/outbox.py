"""Telling a visitor on their phone: an outbox row in the teller's transaction, sent after it commits.

A message is written only for a visit that consented at the guest book and typed an Indonesian
mobile number, only once per (visit, kind, subject), and held (written, not sent) past
PUSTAKA_PHONE_MAX_PER_HOUR messages to one number in the last hour. Sending (`send_message`) never
runs inside the transaction of a call: a gateway that is slow or away never holds up the queue.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from library.messaging.gateways import Gateway, GatewayAway, GatewayRefused, Outgoing
from library.messaging.numbers import indonesian_mobile, masked
from library.messaging.texts import render, template
from library.models import MessageKind, MessageStatus, PhoneMessage, PushMessage, Visit
from library.uow import UnitOfWork

log = logging.getLogger(__name__)
ATTEMPTS = 4  # tries of a gateway that is away before the message is given up as failed
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class PhonePost:
    """What telling visitors on their phone runs with (None gateway: the office tells no phones)."""

    session_factory: sessionmaker[Session]
    gateway: Gateway | None
    now: Callable[[], dt.datetime]
    max_per_hour: int
    texts: Path  # the office's own texts (library.messaging.texts)
    survey_link: Callable[[str], str]
    status_link: Callable[[str], str]  # a visit's own status page, by its secret
    push: bool = False  # the office offers Web Push (PUSTAKA_WEB_PUSH): subscribed browsers are told too


@dataclass(frozen=True)
class Recipient:
    """Whom a message tells: a walk-in visit or an online consultation, their number and language."""

    phone: str  # as typed; checked as an Indonesian mobile here
    consented: bool
    language: str
    office_code: str  # whose own texts apply
    visit_id: int | None = None
    consultation_id: int | None = None


def visit_recipient(visit: Visit) -> Recipient:
    """Return a walk-in visit as a message's recipient (its guest book's number and consent)."""
    return Recipient(
        visit.phone or "", visit.phone_consent, visit.language, visit.office.code, visit_id=visit.id
    )


def tell(
    uow: UnitOfWork,
    post: PhonePost,
    to: Visit | Recipient,
    kind: MessageKind,
    subject: str,
    values: Mapping[str, object],
) -> PhoneMessage | None:
    """Write the message for a visit's (or an asker's) phone (None: not to be told); send it after commit."""
    recipient = visit_recipient(to) if isinstance(to, Visit) else to
    number = indonesian_mobile(recipient.phone)
    if post.gateway is None or not recipient.consented or number is None:
        return None
    taken = select(PhoneMessage.id).where(
        PhoneMessage.visit_id == recipient.visit_id
        if recipient.visit_id is not None
        else PhoneMessage.consultation_id == recipient.consultation_id,
        PhoneMessage.kind == kind.value,
        PhoneMessage.subject == subject,
    )
    if uow.session.scalar(taken) is not None:
        return None
    now = post.now()
    recent = uow.session.scalar(
        select(func.count(PhoneMessage.id)).where(
            PhoneMessage.number == number,
            PhoneMessage.created_at > now - HOUR,
            PhoneMessage.status != MessageStatus.HELD.value,
        )
    )
    language = recipient.language if recipient.language in ("id", "en") else "id"
    shown = {name: str(value) for name, value in values.items()}
    row = PhoneMessage(
        visit_id=recipient.visit_id,
        consultation_id=recipient.consultation_id,
        kind=kind.value,
        subject=subject,
        number=number,
        language=language,
        channel=post.gateway.channel,
        text=render(template(kind, language, post.texts, recipient.office_code), shown),
        params=json.dumps(shown, ensure_ascii=False),
        status=(MessageStatus.HELD if (recent or 0) >= post.max_per_hour else MessageStatus.QUEUED).value,
        created_at=now,
    )
    try:
        with uow.session.begin_nested():  # told at once by another process: that one stands
            uow.session.add(row)
    except IntegrityError:
        return None
    if row.status == MessageStatus.HELD.value:
        log.warning("Phone message %s held: %s had %s messages this hour.", row.id, masked(number), recent)
        return None
    return row


def send_message(post: PhonePost, message_id: int) -> MessageStatus | None:
    """Send one queued message through the gateway and record what it answered; return its status.

    A gateway that is away raises GatewayAway while tries are left, so the job is tried again.
    """
    if post.gateway is None:
        return None
    with UnitOfWork(post.session_factory) as uow:
        row = uow.session.get(PhoneMessage, message_id)
        if row is None or row.status != MessageStatus.QUEUED.value:
            return None  # sent by an earlier try, or held
        outgoing = Outgoing(
            f"pustaka-{row.id}",
            row.number,
            MessageKind(row.kind),
            row.language,
            row.text,
            json.loads(row.params),
        )
    status, provider_id, error = MessageStatus.SENT, "", ""
    try:
        provider_id = post.gateway.send(outgoing)
    except GatewayRefused as refused:
        status, error = MessageStatus.FAILED, str(refused)
    except GatewayAway as away:
        status, error = MessageStatus.QUEUED, str(away)
    with UnitOfWork(post.session_factory) as uow:
        row = uow.session.get_one(PhoneMessage, message_id)
        status = record_attempt(row, status, error, post.now())
        row.provider_id = provider_id[:200]
        attempts = row.attempts
        uow.commit()
    _log(outgoing, status, error, attempts)
    if status == MessageStatus.QUEUED:
        raise GatewayAway(error)
    return status


def record_attempt(
    row: PhoneMessage | PushMessage, status: MessageStatus, error: str, now: dt.datetime
) -> MessageStatus:
    """Note one try of an outbox row; a row still away after ATTEMPTS tries is given up; return its status."""
    row.attempts += 1
    if status == MessageStatus.QUEUED and row.attempts >= ATTEMPTS:
        status = MessageStatus.FAILED
    row.status, row.error = status.value, error[:1000]
    row.sent_at = now if status == MessageStatus.SENT else None
    return status


def _log(message: Outgoing, status: MessageStatus, error: str, attempts: int) -> None:
    """Say what became of a message, its number masked."""
    if status == MessageStatus.SENT:
        log.info("Phone message %s (%s) sent to %s.", message.reference, message.kind, masked(message.number))
    else:
        log.warning(
            "Phone message %s (%s) to %s not sent (try %s, %s): %s",
            message.reference,
            message.kind,
            masked(message.number),
            attempts,
            status.value,
            error,
        )
