"""Messages sent to the office's WhatsApp number become consultations; WhatsApp's statuses mark the answers.

The webhook (`webapp.whatsapp`) checks the signature and reads the payload
(`library.messaging.whatsapp_hook`); here each message is taken once by its wamid
(`take_inbound`: it opens a consultation for a new number, or joins the sender's open one) and
each status is recorded on the staff message it is about (`record_status`). Each message is taken
in a transaction of its own, so one that cannot be taken never holds back the others (nor makes
Meta deliver the whole batch again).

A file a message carries is fetched after commit, by a job (`keep_media`), never inside the
webhook's request: the message is in the thread at once, labelled with its kind ("Gambar /
Picture"), and the file joins it when fetched; one that cannot be fetched, is larger than the
attachments' limit or of a type they do not take is noted under the message instead. Voice
messages, videos and stickers are never fetched: no attachment may be of their types.

Notes written into a thread are in Indonesian and English, as the emails are: they are read by
consultants of either language, and a stored text is not translated when shown.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from library.consultation.attachments import MAX_BYTES, MAX_MB, media_type_of
from library.consultation.channels import Inbound, set_aside, take_inbound
from library.consultation.outside import record_status, wake_waiting
from library.consultation.rules import ConsultationPost, ConsultationRules
from library.errors import PustakaError
from library.filestore import FileStore
from library.messaging.gateways import GatewayAway
from library.messaging.whatsapp_api import CloudApi, MediaUnavailable
from library.messaging.whatsapp_hook import Media, Webhook, WhatsAppMessage
from library.models import (
    Consultation,
    ConsultationAttachment,
    ConsultationChannel,
    ConsultationMessage,
    MessageDelivery,
    ReceiptOutcome,
)
from library.uow import UnitOfWork

log = logging.getLogger(__name__)
WHATSAPP = ConsultationChannel.WHATSAPP
# The files an attachment may be: only these kinds are fetched (a voice message never could be kept).
FETCHED = ("image", "document")
LABELS = {
    "image": "Gambar / Picture",
    "document": "Dokumen / Document",
    "audio": "Pesan suara / Voice message",
    "video": "Video / Video",
    "sticker": "Stiker / Sticker",
}
NOT_KEPT = {
    "too_large": (
        f"Berkas tidak disimpan: lebih besar dari {MAX_MB} MB.",
        f"The file was not kept: larger than {MAX_MB} MB.",
    ),
    "wrong_type": (
        "Berkas tidak disimpan: hanya PDF, JPEG, PNG, XLSX, DOCX dan CSV yang diterima.",
        "The file was not kept: only PDF, JPEG, PNG, XLSX, DOCX and CSV files are accepted.",
    ),
    "unavailable": (
        "Berkas tidak dapat diambil dari WhatsApp.",
        "The file could not be fetched from WhatsApp.",
    ),
}
PATIENCE = dt.timedelta(minutes=15)  # a file the platform cannot give yet is tried again this long
# Messages that say nothing to answer: a reaction to a message, a notice of WhatsApp's own.
SET_ASIDE = ("reaction", "system", "ephemeral")


@dataclass(frozen=True)
class WhatsAppDesk:
    """What taking a webhook's messages needs: the office's rules, its post, and the jobs it queues."""

    rules: ConsultationRules
    post: ConsultationPost | None
    fetch_later: Callable[[str, Media], None]  # queues fetching a message's file, after commit


@dataclass
class Received:
    """What one webhook delivery brought, as its log line counts it."""

    messages: int = 0
    taken: int = 0  # new messages kept (opened, joined)
    opened: int = 0
    repeated: int = 0  # taken before (Meta delivers again what it is not sure of)
    failed: int = 0  # could not be taken: logged
    statuses: int = 0
    recorded: int = 0  # statuses of a staff message Pustaka sent


def take_webhook(
    uow_factory: Callable[[], UnitOfWork], hook: Webhook, desk: WhatsAppDesk, now: dt.datetime
) -> Received:
    """Take each message of a webhook once, and record each status; return what was done."""
    received = Received(messages=len(hook.messages), statuses=len(hook.statuses))
    for message in hook.messages:
        _take_one(uow_factory, message, desk, now, received)
    for status in hook.statuses:
        with uow_factory() as uow:
            delivery = MessageDelivery(status.status)
            if record_status(uow, WHATSAPP, status.wamid, delivery, status.at, status.note):
                received.recorded += 1
            uow.commit()
    return received


def _take_one(
    uow_factory: Callable[[], UnitOfWork],
    message: WhatsAppMessage,
    desk: WhatsAppDesk,
    now: dt.datetime,
    received: Received,
) -> None:
    """Take one message in its own transaction; log (never raise) what cannot be taken."""
    try:
        with uow_factory() as uow:
            if message.kind in SET_ASIDE:
                fresh = set_aside(uow, WHATSAPP, message.wamid, message.sender, "", message.kind, now)
                received.repeated += not fresh
                uow.commit()
                return
            taken = take_inbound(uow, inbound_of(message), desk.rules, now, desk.post)
            if not taken.repeated:
                _reopened_window(uow, message.sender, taken.number, desk.post)
            media = message.media
            if media is not None and media.kind in FETCHED and not taken.repeated:
                if taken.outcome != ReceiptOutcome.REFUSED:
                    uow.after_commit(lambda: desk.fetch_later(message.wamid, media))
            uow.commit()
    except IntegrityError:  # the same message delivered twice at once: the other delivery took it
        received.repeated += 1
        return
    except PustakaError as error:
        received.failed += 1
        log.warning("WhatsApp message %s from %s not taken: %s", message.wamid, message.sender, error)
        return
    received.repeated += taken.repeated
    received.taken += not taken.repeated and taken.outcome != ReceiptOutcome.REFUSED
    received.opened += not taken.repeated and taken.outcome == ReceiptOutcome.OPENED


def _reopened_window(uow: UnitOfWork, sender: str, taken: str, post: ConsultationPost | None) -> None:
    """Have what waited for the sender's reply sent: they wrote, WhatsApp's window is open again.

    The window is the number's, not one consultation's: a new question also lets through the
    closing notice of an older one. The consultation that took the message wakes its own
    (`take_inbound`).
    """
    waiting = uow.session.scalars(
        select(Consultation)
        .where(
            Consultation.channel == WHATSAPP.value,
            Consultation.contact == sender,
            Consultation.number != taken,
            Consultation.messages.any(ConsultationMessage.delivery == MessageDelivery.QUEUED.value),
        )
        .order_by(Consultation.id)
    )
    for row in waiting:
        wake_waiting(uow, row, post)


def inbound_of(message: WhatsAppMessage) -> Inbound:
    """Return a WhatsApp message as the consultations take any message from outside."""
    return Inbound(
        channel=WHATSAPP,
        external_id=message.wamid,
        sender=message.sender,
        name=message.name,
        text=shown_text(message),
        at=message.at,
        refers_to=(message.refers_to,) if message.refers_to else (),
    )


def shown_text(message: WhatsAppMessage) -> str:
    """Return what the thread shows of a message: its text, a file's label and caption, or what it was."""
    if message.kind in LABELS:
        label = f"[{LABELS[message.kind]}]"
        note = "" if message.kind in FETCHED else " " + _note("wrong_type")
        return f"{label}{note}\n{message.text}".strip()
    if message.text:
        return message.text
    kind = message.kind or "?"
    return f"[Pesan WhatsApp jenis '{kind}' tidak dapat dibaca / A WhatsApp '{kind}' message cannot be read]"


def keep_media(
    uow_factory: Callable[[], UnitOfWork],
    api: CloudApi,
    store: FileStore,
    wamid: str,
    media: Media,
    now: dt.datetime,
) -> str:
    """Fetch a received message's file and attach it to the message, or note why not; return what was done.

    A platform that does not answer, or answers busy, raises GatewayAway (the job tries again) until
    the message is `PATIENCE` old; then the file is noted as not fetched.
    """
    with uow_factory() as uow:
        message = _received(uow, wamid)
        if message is None or _kept_before(uow, message, _file_name(media, wamid)):
            return "gone" if message is None else "kept before"
        sent_at = message.at
    try:
        fetched = api.fetch_media(media.media_id, MAX_BYTES)
        media_type = media_type_of(fetched.data)
        outcome = "kept" if media_type else "wrong_type"
    except MediaUnavailable as error:
        if error.transient and now - sent_at < PATIENCE:
            raise GatewayAway(f"the file of {wamid} is not fetched yet: {error}") from None
        log.warning("WhatsApp file of %s not fetched: %s", wamid, error)
        fetched, media_type, outcome = None, None, "too_large" if error.too_large else "unavailable"
    with uow_factory() as uow:
        message = _received(uow, wamid)
        if message is None:
            return "gone"
        row = uow.session.get_one(Consultation, message.consultation_id)
        opening = not message.body and row.messages[0].id == message.id  # the question itself
        if fetched is not None and media_type is not None:
            name = _file_name(media, wamid)
            _attach(uow, store, row, None if opening else message.id, fetched.data, media_type, name, now)
        elif opening:
            row.question = f"{row.question}\n{_note(outcome)}".strip()
        else:
            message.body = f"{message.body}\n{_note(outcome)}".strip()
        uow.commit()
    return outcome


def _received(uow: UnitOfWork, wamid: str) -> ConsultationMessage | None:
    """Return the message received under a wamid, if it is in a thread."""
    return uow.session.scalar(
        select(ConsultationMessage).where(
            ConsultationMessage.channel == WHATSAPP.value, ConsultationMessage.external_id == wamid
        )
    )


def _kept_before(uow: UnitOfWork, message: ConsultationMessage, name: str) -> bool:
    """Tell whether the file is attached already, to the message or to the question (the job ran before)."""
    found = uow.session.scalar(
        select(ConsultationAttachment.id)
        .where(
            ConsultationAttachment.consultation_id == message.consultation_id,
            ConsultationAttachment.original_name == name,
            (ConsultationAttachment.message_id == message.id) | ConsultationAttachment.message_id.is_(None),
        )
        .limit(1)
    )
    return found is not None


def _attach(
    uow: UnitOfWork,
    store: FileStore,
    row: Consultation,
    message_id: int | None,
    data: bytes,
    media_type: str,
    name: str,
    now: dt.datetime,
) -> None:
    """Store the file and attach it to the message, or to the question (sent by the asker: no account)."""
    stored = store.put_bytes(data)
    row.attachments.append(
        ConsultationAttachment(
            message_id=message_id,
            sha256=stored.sha256,
            media_type=media_type,
            size_bytes=stored.size,
            original_name=name,
            uploaded_by=None,
            at=now,
        )
    )


def _file_name(media: Media, wamid: str) -> str:
    """Return the name a received file is listed under: the one sent, else one made of its kind."""
    if media.filename:
        return media.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
    return f"whatsapp-{media.kind}-{wamid[-8:]}"


def _note(outcome: str) -> str:
    """Return the note a thread shows of a file not kept, in Indonesian and English."""
    indonesian, english = NOT_KEPT[outcome]
    return f"[{indonesian} / {english}]"
