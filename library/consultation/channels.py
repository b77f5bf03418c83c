"""Consultations that come in by email or WhatsApp: each message received opens one or joins its thread.

A channel's reader (the PST mailbox over IMAP, the WhatsApp webhook) turns what it received into
an `Inbound` and hands it to `take_inbound`, which keeps every message once by its id on the
channel (a `ChannelReceipt`: the same mail fetched twice, a webhook delivered twice, is taken
once). A message joins an open consultation only when its sender is that consultation's asker
(its contact, or the address or number of the account that asked on the web) and it names the
thread: it answers one of the thread's messages (`refers_to`), or quotes the consultation's
number; on WhatsApp a sender's next message joins their open conversation, as a chat does. Else
it opens a new consultation with its own number, acknowledged through the same channel. An
address or a number is not an account: nothing received opens an account's pages.

Auto-replies, bounces and bulk mail are `set_aside` by the reader: kept as a receipt, never answered.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from library.clock import office_zone
from library.consultation.attachments import (
    MAX_FILES,
    MAX_MB,
    Attachments,
    CheckedFile,
    Upload,
    check_uploads,
    do_attach,
)
from library.consultation.consultations import SHORT_FIELDS, consultation_number
from library.consultation.outside import acknowledgement, queue_outside, wake_waiting
from library.consultation.rules import ConsultationPost, ConsultationRules
from library.errors import InvalidField, InvalidInput
from library.filestore import FileStore
from library.i18n import N_
from library.models import (
    OPEN_CONSULTATION_STATUSES,
    ChannelReceipt,
    Consultation,
    ConsultationAction,
    ConsultationChannel,
    ConsultationMessage,
    ConsultationStatus,
    Office,
    ReceiptOutcome,
    User,
)
from library.text import clean_text
from library.uow import UnitOfWork

NUMBER = re.compile(r"\bKS-\d{8}-\d{5,}\b", re.IGNORECASE)
REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|balas|tr)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
MAX_TEXT = 20_000  # a mail's text kept in the thread (the web form's question is shorter)
TOPIC_WORDS = 12  # a WhatsApp question's topic: its first words
NO_TEXT = "(tanpa teks / no text)"
OPEN = tuple(s.value for s in OPEN_CONSULTATION_STATUSES)


@dataclass(frozen=True)
class InboundFile:
    """A file that came with a message: its name, the type the sender claimed, its bytes."""

    name: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Inbound:
    """One message received on an outside channel, as its reader understood it."""

    channel: ConsultationChannel  # EMAIL or WHATSAPP
    external_id: str  # the Message-ID ("<…>") or the WhatsApp message id ("wamid.…")
    sender: str  # an email address (lower case) or a number ("+<digits>")
    name: str  # the name the sender goes by there; may be ""
    text: str
    at: dt.datetime
    subject: str = ""
    refers_to: tuple[str, ...] = ()  # the ids it answers: In-Reply-To and References, WhatsApp's context
    files: tuple[InboundFile, ...] = ()


@dataclass(frozen=True)
class Taken:
    """What became of one inbound message."""

    outcome: ReceiptOutcome  # OPENED or JOINED (REFUSED: nothing but the receipt was kept)
    number: str  # the consultation it opened or joined; "" when refused or repeated
    repeated: bool = False  # its id was taken before: nothing was done


def seen(uow: UnitOfWork, channel: ConsultationChannel, external_id: str) -> bool:
    """Tell whether a message with this id on this channel was received before."""
    return (
        uow.session.scalar(
            select(ChannelReceipt.id).where(
                ChannelReceipt.channel == channel.value, ChannelReceipt.external_id == external_id[:255]
            )
        )
        is not None
    )


def set_aside(
    uow: UnitOfWork,
    channel: ConsultationChannel,
    external_id: str,
    sender: str,
    subject: str,
    note: str,
    now: dt.datetime,
) -> bool:
    """Keep an auto-reply, a bounce or bulk mail as a receipt, never answered; False when seen before."""
    return _first_receipt(uow, channel, external_id, sender, subject, ReceiptOutcome.SET_ASIDE, note, now)


def refuse(
    uow: UnitOfWork,
    channel: ConsultationChannel,
    external_id: str,
    sender: str,
    subject: str,
    note: str,
    now: dt.datetime,
) -> bool:
    """Keep a message that could not be taken (too large to read) as refused; False when seen before."""
    return _first_receipt(uow, channel, external_id, sender, subject, ReceiptOutcome.REFUSED, note, now)


def _first_receipt(
    uow: UnitOfWork,
    channel: ConsultationChannel,
    external_id: str,
    sender: str,
    subject: str,
    outcome: ReceiptOutcome,
    note: str,
    now: dt.datetime,
) -> bool:
    """Keep a message nothing is opened for as a receipt of this outcome; False when seen before."""
    if seen(uow, channel, external_id):
        return False
    _receipt(uow, channel, external_id, sender, subject, outcome, now, note=note)
    return True


def take_inbound(
    uow: UnitOfWork,
    inbound: Inbound,
    rules: ConsultationRules,
    now: dt.datetime,
    post: ConsultationPost | None = None,
    store: FileStore | None = None,
) -> Taken:
    """Open a consultation with the message, or add it to the thread it belongs to; keep it once.

    Files within the web form's limits are kept (`store` given); one over them is named in the
    thread and the sender is told, the message itself is never lost. A new consultation is
    acknowledged through its channel, and the consultants alerted (`post.new_consultation`).
    """
    if seen(uow, inbound.channel, inbound.external_id):
        return Taken(ReceiptOutcome.JOINED, "", repeated=True)
    text = clean_text(inbound.text).strip()[:MAX_TEXT] or NO_TEXT
    kept, refused = _files(inbound.files, store)
    if refused:
        text = f"{text}\n\n" + "\n".join(refused)
    row = _thread_of(uow, inbound)
    if row is None:
        row = _open(uow, inbound, text, rules, now)
        outcome = ReceiptOutcome.OPENED
        message_id = None
        queue_outside(uow, row, acknowledgement(row, rules, now, refused=bool(refused)), now, None, post)
        if post is not None and post.new_consultation is not None:
            number, alert = row.number, post.new_consultation
            uow.after_commit(lambda: alert(number))
    else:
        message = _message(inbound, text)
        row.messages.append(message)
        uow.session.flush()
        outcome, message_id = ReceiptOutcome.JOINED, message.id
        wake_waiting(uow, row, post)  # the asker wrote: what waited for their reply may go now
        if refused:
            queue_outside(uow, row, acknowledgement(row, rules, now, refused=True), now, None, post)
    do_attach(uow, Attachments(store) if store else None, kept, row, message_id, None, now)
    _receipt(uow, inbound.channel, inbound.external_id, inbound.sender, inbound.subject, outcome, now, row.id)
    return Taken(outcome, row.number)


def _open(
    uow: UnitOfWork, inbound: Inbound, text: str, rules: ConsultationRules, now: dt.datetime
) -> Consultation:
    """Record a new consultation from a message received, with its number."""
    office_id = uow.session.scalar(select(Office.id).where(Office.code == rules.office_code))
    if office_id is None:
        raise InvalidInput(N_("Consultations are not open yet at this office; please contact the PST staff."))
    row = Consultation(
        number=f"new-{secrets.token_hex(8)}",
        user_id=None,
        channel=inbound.channel.value,
        contact=inbound.sender[:320],
        contact_name=clean_text(inbound.name).strip()[:200],
        office_id=office_id,
        status=ConsultationStatus.NEW.value,
        opened_at=now,
        topic=_topic(inbound, text),
        question=text,
        data_subject="",
        data_region="",
        data_period="",
    )
    row.record(ConsultationAction.OPENED, now, None, note=inbound.channel.value)
    uow.session.add(row)
    uow.session.flush()
    row.number = consultation_number(row.id, now.astimezone(office_zone(rules.calendar.timezone)).date())
    # The opening message is the question itself; its id lets a reply to it find the thread.
    row.messages.append(_message(inbound, text, opening=True))
    uow.session.flush()
    return row


def _message(inbound: Inbound, text: str, *, opening: bool = False) -> ConsultationMessage:
    """Return the asker's message as received (the opening one is the question: an empty body)."""
    return ConsultationMessage(
        author_id=None,
        from_staff=False,
        body="" if opening else text,
        at=inbound.at,
        channel=inbound.channel.value,
        external_id=inbound.external_id[:255],
    )


def _thread_of(uow: UnitOfWork, inbound: Inbound) -> Consultation | None:
    """Return the open consultation this message belongs to, if its sender is its asker; else None."""
    candidates: list[Consultation] = []
    refers = [r[:255] for r in inbound.refers_to if r]
    if refers:
        candidates.extend(
            uow.session.scalars(
                select(Consultation)
                .join(ConsultationMessage, ConsultationMessage.consultation_id == Consultation.id)
                .where(ConsultationMessage.external_id.in_(refers))
                .order_by(Consultation.id.desc())
            )
        )
    numbers = {n.upper() for n in NUMBER.findall(f"{inbound.subject}\n{inbound.text[:2000]}")}
    if numbers:
        candidates.extend(uow.session.scalars(select(Consultation).where(Consultation.number.in_(numbers))))
    if inbound.channel is ConsultationChannel.WHATSAPP:
        candidates.extend(
            uow.session.scalars(
                select(Consultation)
                .where(Consultation.channel == inbound.channel.value, Consultation.contact == inbound.sender)
                .order_by(Consultation.id.desc())
                .limit(1)
            )
        )
    for row in candidates:
        if row.status in OPEN and _is_asker(uow, row, inbound):
            return row
    return None


def _is_asker(uow: UnitOfWork, row: Consultation, inbound: Inbound) -> bool:
    """Tell whether the sender is the asker: the contact, or the address or number of its account."""
    if row.contact and row.contact.lower() == inbound.sender.lower():
        return True
    if row.user_id is None:
        return False
    if inbound.channel is ConsultationChannel.WHATSAPP:
        return bool(row.notify_phone) and row.notify_phone == inbound.sender
    user = uow.session.get(User, row.user_id)
    return user is not None and user.email_verified and user.email.lower() == inbound.sender.lower()


def _topic(inbound: Inbound, text: str) -> str:
    """Return a new consultation's topic: the mail's subject without Re:, or the message's first words."""
    subject = REPLY_PREFIX.sub("", clean_text(inbound.subject)).strip()
    if not subject or text == NO_TEXT:
        words = text.split()
        subject = " ".join(words[:TOPIC_WORDS]) + (" …" if len(words) > TOPIC_WORDS else "")
    return subject[: SHORT_FIELDS["topic"]] or inbound.channel.value


def _files(files: Sequence[InboundFile], store: FileStore | None) -> tuple[list[CheckedFile], list[str]]:
    """Return the files within the web form's limits, and a line naming each one refused and why."""
    kept: list[CheckedFile] = []
    refused: list[str] = []
    for index, sent in enumerate(files):
        if store is None or index >= MAX_FILES:
            refused.append(f"[Lampiran tidak disimpan / attachment not kept: {sent.name or 'lampiran'}]")
            continue
        try:
            kept.extend(check_uploads([Upload(sent.name, sent.data)]))
        except InvalidField as problem:
            refused.append(
                f"[Lampiran ditolak: {sent.name or 'lampiran'} (hanya PDF, JPEG, PNG, XLSX, DOCX atau CSV, "
                f"paling besar {MAX_MB} MB) / attachment refused: {problem.message % problem.params}]"
            )
    return kept, refused


def _receipt(
    uow: UnitOfWork,
    channel: ConsultationChannel,
    external_id: str,
    sender: str,
    subject: str,
    outcome: ReceiptOutcome,
    now: dt.datetime,
    consultation_id: int | None = None,
    note: str = "",
) -> None:
    """Record one message received, by its id on the channel."""
    uow.session.add(
        ChannelReceipt(
            channel=channel.value,
            external_id=external_id[:255],
            sender=sender[:320],
            subject=clean_text(subject)[:300],
            outcome=outcome.value,
            note=note,
            consultation_id=consultation_id,
            at=now,
        )
    )
    uow.session.flush()
