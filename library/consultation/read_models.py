"""Consultations as people see them: the user's list, one consultation, the consultants' desk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from library.consultation.attachments import AttachmentFile, download_name
from library.consultation.consultations import own_consultation
from library.consultation.staff import consultation_event
from library.errors import NotFound
from library.frontoffice.queue.clocks import Level
from library.i18n import N_
from library.models import (
    MANUAL_CHANNELS,
    OPEN_CONSULTATION_STATUSES,
    AppointmentKind,
    AppointmentStatus,
    Consultation,
    ConsultationAction,
    ConsultationAttachment,
    ConsultationChannel,
    ConsultationEvent,
    ConsultationMessage,
    ConsultationStatus,
    MessageDelivery,
    Role,
    User,
)
from library.permissions import Actor, may_consult, require_consult, require_signed_in
from library.quality.survey import invitation_of_event
from library.uow import UnitOfWork

AMBER_AT = 0.8  # the share of the time to answer after which a consultation shows amber, as the queue does


@dataclass(frozen=True)
class AttachmentView:
    """A file sent with the question or a message, as the thread lists it."""

    id: int
    name: str
    size_bytes: int


@dataclass(frozen=True)
class MessageView:
    """One message of the thread."""

    author_name: str
    from_staff: bool
    body: str
    at: dt.datetime
    attachments: Sequence[AttachmentView] = ()
    channel: ConsultationChannel = ConsultationChannel.WEB  # where it came in or went out
    delivery: MessageDelivery = MessageDelivery.NONE  # what became of it there (outside channels)
    delivery_note: str = ""

    @property
    def automatic(self) -> bool:
        """Tell whether Pustaka wrote it (a notice sent on the asker's channel), not a person."""
        return self.from_staff and not self.author_name


@dataclass(frozen=True)
class EventView:
    """One step of the history: what was done, the status it left, when and by whom."""

    action: ConsultationAction
    status: ConsultationStatus
    at: dt.datetime
    actor_name: str
    note: str
    kind: AppointmentKind | None = None  # an appointment proposed: its kind, shown by its label


@dataclass(frozen=True)
class AppointmentView:
    """A follow-up appointment as the thread shows it."""

    id: int
    kind: AppointmentKind
    status: AppointmentStatus
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    note: str

    @property
    def open(self) -> bool:
        """Tell whether the user still has to answer it."""
        return self.status is AppointmentStatus.PROPOSED


@dataclass(frozen=True)
class ConsultationSummary:
    """A consultation in a list."""

    number: str
    topic: str
    status: ConsultationStatus
    opened_at: dt.datetime
    due_at: dt.datetime | None
    clear_at: dt.datetime | None
    user_name: str
    consultant_name: str
    channel: ConsultationChannel = ConsultationChannel.WEB

    def level(self, now: dt.datetime) -> Level:
        """Return how the clock to answer stands: none, ok, amber (80 % of the time gone), red (past)."""
        if self.status is not ConsultationStatus.CLEAR or self.due_at is None or self.clear_at is None:
            return Level.NONE
        if now > self.due_at:
            return Level.RED
        whole = (self.due_at - self.clear_at).total_seconds() or 1.0
        return Level.AMBER if (now - self.clear_at).total_seconds() / whole >= AMBER_AT else Level.OK


@dataclass(frozen=True)
class ConsultationView:
    """One consultation with its thread and history."""

    summary: ConsultationSummary
    user_id: int | None  # None: asked outside the web (by its contact)
    user_email: str
    user_institution: str
    question: str
    data_subject: str
    data_region: str
    data_period: str
    consultant_id: int | None
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    messages: Sequence[MessageView]
    events: Sequence[EventView]
    appointments: Sequence[AppointmentView] = ()
    attachments: Sequence[AttachmentView] = ()  # sent with the question
    contact: str = ""  # outside the web: the address, number or handle answers go to
    survey_secret: str = ""  # closed, received by telephone or social media: the link to pass on

    @property
    def closed(self) -> bool:
        """Tell whether the consultation is closed."""
        return self.summary.status is ConsultationStatus.CLOSED


@dataclass(frozen=True)
class Consultant:
    """A consultant one can assign consultations to."""

    id: int
    name: str


def list_my_consultations(uow: UnitOfWork, actor: Actor | None) -> list[ConsultationSummary]:
    """Return the person's own consultations, newest first."""
    user = require_signed_in(uow, actor)
    rows = uow.session.scalars(
        select(Consultation).where(Consultation.user_id == user.id).order_by(Consultation.id.desc())
    ).all()
    names = _names(uow, rows)
    return [_summary(row, names) for row in rows]


def list_desk(uow: UnitOfWork, actor: Actor | None) -> list[ConsultationSummary]:
    """Return the open consultations for consultants: soonest deadline first, then the oldest without one."""
    require_consult(uow, actor)
    statuses = [s.value for s in OPEN_CONSULTATION_STATUSES]
    rows = uow.session.scalars(
        select(Consultation)
        .where(Consultation.status.in_(statuses))
        .order_by(Consultation.due_at.is_(None), Consultation.due_at, Consultation.opened_at, Consultation.id)
    ).all()
    names = _names(uow, rows)
    return [_summary(row, names) for row in rows]


def unread_counted() -> Select[int]:
    """Return the statement counting the consultations nobody has read yet."""
    return select(func.count(Consultation.id)).where(Consultation.status == ConsultationStatus.NEW.value)


def list_consultants(uow: UnitOfWork, actor: Actor | None) -> list[Consultant]:
    """Return the active consultants (administrators included), by name."""
    require_consult(uow, actor)
    people = uow.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name, User.id)).all()
    return [Consultant(p.id, p.name) for p in people if p.has_role(Role.CONSULTANT) and may_consult(p)]


def consultation_view(uow: UnitOfWork, actor: Actor | None, number: str) -> ConsultationView:
    """Return one consultation its owner or a consultant may see, with its thread and history."""
    _, found = own_consultation(uow, actor, number)
    row = uow.session.scalars(
        select(Consultation)
        .where(Consultation.id == found.id)
        .options(
            selectinload(Consultation.messages),
            selectinload(Consultation.events),
            selectinload(Consultation.appointments),
            selectinload(Consultation.attachments),
        )
    ).one()
    ids = {m.author_id for m in row.messages if m.author_id} | {e.actor_id for e in row.events if e.actor_id}
    names = _names(uow, [row], ids)
    user = uow.session.get(User, row.user_id) if row.user_id is not None else None
    files = _attachments(row.attachments)
    return ConsultationView(
        summary=_summary(row, names),
        user_id=row.user_id,
        user_email=user.email if user is not None else "",
        user_institution=user.institution if user is not None else "",
        contact=row.contact,
        survey_secret=_survey_to_pass_on(uow, row),
        question=row.question,
        data_subject=row.data_subject,
        data_region=row.data_region,
        data_period=row.data_period,
        consultant_id=row.consultant_id,
        answered_at=row.answered_at,
        closed_at=row.closed_at,
        messages=[_message(m, names, files) for m in row.messages if m.body or files.get(m.id)],
        attachments=files.get(None, ()),
        events=[_event(e, names) for e in row.events],
        appointments=[
            AppointmentView(
                a.id,
                AppointmentKind(a.kind),
                AppointmentStatus(a.status),
                a.starts_at,
                a.ends_at,
                a.place,
                a.note,
            )
            for a in row.appointments
        ],
    )


def attachment_file(uow: UnitOfWork, actor: Actor | None, number: str, attachment_id: int) -> AttachmentFile:
    """Return an attachment the asker or a consultant may fetch; to anyone else it does not exist."""
    _, row = own_consultation(uow, actor, number)
    found = uow.session.scalar(
        select(ConsultationAttachment).where(
            ConsultationAttachment.id == attachment_id, ConsultationAttachment.consultation_id == row.id
        )
    )
    if found is None:
        raise NotFound(N_("There is no such attachment."))
    return AttachmentFile(
        found.sha256, found.media_type, download_name(found.original_name, found.media_type)
    )


def _attachments(rows: Sequence[ConsultationAttachment]) -> dict[int | None, list[AttachmentView]]:
    """Return the attachments by the message they came with (None: with the question)."""
    found: dict[int | None, list[AttachmentView]] = {}
    for a in rows:
        found.setdefault(a.message_id, []).append(
            AttachmentView(a.id, download_name(a.original_name, a.media_type), a.size_bytes)
        )
    return found


def _survey_to_pass_on(uow: UnitOfWork, row: Consultation) -> str:
    """Return the survey secret a consultant passes on by hand (closed, by telephone or social media)."""
    manual = row.channel in {c.value for c in MANUAL_CHANNELS}
    if not manual or row.status != ConsultationStatus.CLOSED.value:
        return ""
    return invitation_of_event(uow, consultation_event(row.number)) or ""


def _message(
    row: ConsultationMessage, names: dict[int, str], files: dict[int | None, list[AttachmentView]]
) -> MessageView:
    """Return one message of the thread; the asker outside the web has no account (no name here)."""
    return MessageView(
        names.get(row.author_id, "") if row.author_id else "",
        row.from_staff,
        row.body,
        row.at,
        files.get(row.id, ()),
        ConsultationChannel(row.channel),
        MessageDelivery(row.delivery),
        row.delivery_note,
    )


def _event(row: ConsultationEvent, names: dict[int, str]) -> EventView:
    """Return a step of the history; an appointment's kind (stored as its code) comes as the kind."""
    kind = None
    if row.action == ConsultationAction.APPOINTMENT.value and row.note in {k.value for k in AppointmentKind}:
        kind = AppointmentKind(row.note)
    return EventView(
        ConsultationAction(row.action),
        ConsultationStatus(row.status),
        row.at,
        names.get(row.actor_id, "") if row.actor_id else "",
        "" if kind else row.note,
        kind,
    )


def _names(uow: UnitOfWork, rows: Sequence[Consultation], more: set[int] | None = None) -> dict[int, str]:
    """Return the names of the people the rows mention, by id, in one query."""
    ids = {r.user_id for r in rows if r.user_id} | {r.consultant_id for r in rows if r.consultant_id}
    ids |= more or set()
    if not ids:
        return {}
    found = uow.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()
    return {user_id: name for user_id, name in found}


def _summary(row: Consultation, names: dict[int, str]) -> ConsultationSummary:
    """Return the list entry of a consultation."""
    return ConsultationSummary(
        number=row.number,
        topic=row.topic,
        status=ConsultationStatus(row.status),
        opened_at=row.opened_at,
        due_at=row.due_at,
        clear_at=row.clear_at,
        user_name=names.get(row.user_id, "") if row.user_id else (row.contact_name or row.contact),
        consultant_name=names.get(row.consultant_id, "") if row.consultant_id else "",
        channel=ConsultationChannel(row.channel),
    )
