"""Complaints as people see them: the public status page by code, the staff's list and record.

The public page shows what the person sent, the status, the history without staff names
(the office answers, not one member of staff) and the answer. Staff see the same with who did
each step and how to reach the person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from library.errors import NotFound
from library.file_names import attachment_name
from library.i18n import N_
from library.models import (
    Complaint,
    ComplaintAction,
    ComplaintAttachment,
    ComplaintService,
    ComplaintSource,
    ComplaintStatus,
    User,
)
from library.paging import Page, fetch_page
from library.permissions import Actor, require_complaint_staff
from library.quality.complaints.records import ANSWER_WORKING_DAYS, EXTENSIONS, find_complaint
from library.uow import UnitOfWork
from library.working_days import Calendar

OPEN = (ComplaintStatus.NEW, ComplaintStatus.IN_PROGRESS, ComplaintStatus.ANSWERED)
PER_PAGE = 25


@dataclass(frozen=True)
class EventView:
    """One step of the history; `actor_name` is empty on the public page."""

    action: ComplaintAction
    status: ComplaintStatus
    at: dt.datetime
    actor_name: str = ""
    note: str = ""


@dataclass(frozen=True)
class AttachmentView:
    """One attached file: its number in the links, its name, its type and size."""

    position: int
    name: str
    media_type: str
    size_bytes: int


@dataclass(frozen=True)
class ComplaintSummary:
    """A complaint in the staff's list."""

    code: str
    subject: str
    name: str
    source: ComplaintSource
    service: ComplaintService
    element: str | None
    status: ComplaintStatus
    received_at: dt.datetime
    answered_at: dt.datetime | None = None
    due_at: dt.datetime | None = (
        None  # the answer's deadline (ANSWER_WORKING_DAYS), when a calendar was given
    )

    def late(self, now: dt.datetime) -> bool:
        """Tell whether the complaint is still unanswered past its deadline."""
        return self.answered_at is None and self.due_at is not None and now > self.due_at


@dataclass(frozen=True)
class ComplaintPage:
    """One complaint with its history, its files and its answer."""

    summary: ComplaintSummary
    body: str
    answer: str
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    events: Sequence[EventView]
    attachments: Sequence[AttachmentView]
    email: str = ""  # staff only, as are the two below
    phone: str = ""
    entered_by: str = ""

    @property
    def closed(self) -> bool:
        """Tell whether the complaint is closed."""
        return self.summary.status is ComplaintStatus.CLOSED


@dataclass(frozen=True)
class StoredAttachment:
    """Where an attachment is kept and how to send it."""

    sha256: str
    media_type: str
    filename: str


def complaint_status(uow: UnitOfWork, code: str) -> ComplaintPage:
    """Return the public page of a complaint by its tracking code: no staff names, no contact details."""
    row = _load(uow, code)
    events = [EventView(ComplaintAction(e.action), ComplaintStatus(e.status), e.at) for e in row.events]
    return _page(row, events)


def complaint_record(uow: UnitOfWork, actor: Actor | None, code: str) -> ComplaintPage:
    """Return a complaint as staff see it: who did each step, and how to reach the person."""
    require_complaint_staff(uow, actor)
    row = _load(uow, code)
    ids = {e.actor_id for e in row.events if e.actor_id} | (
        {row.entered_by_id} if row.entered_by_id else set()
    )
    names = _names(uow, ids)
    events = [
        EventView(
            ComplaintAction(e.action), ComplaintStatus(e.status), e.at, names.get(e.actor_id or 0, ""), e.note
        )
        for e in row.events
    ]
    return _page(
        row, events, email=row.email, phone=row.phone, entered_by=names.get(row.entered_by_id or 0, "")
    )


def list_complaints(
    uow: UnitOfWork,
    actor: Actor | None,
    status: ComplaintStatus | None,
    page: int,
    calendar: Calendar | None = None,
) -> Page[ComplaintSummary]:
    """Return one page of complaints for staff: open ones (or those of one status), oldest first.

    With the office's `calendar`, each carries its answer's deadline, as the desk's clock shows it.
    """
    require_complaint_staff(uow, actor)
    wanted = [status.value] if status is not None else [s.value for s in OPEN]
    statement = (
        select(Complaint).where(Complaint.status.in_(wanted)).order_by(Complaint.received_at, Complaint.id)
    )
    if status is ComplaintStatus.CLOSED:
        statement = statement.order_by(None).order_by(Complaint.closed_at.desc(), Complaint.id.desc())
    summaries = fetch_page(uow, statement, page, PER_PAGE).map(_summary)
    if calendar is None:
        return summaries
    return summaries.map(
        lambda c: replace(c, due_at=calendar.add_working_days(c.received_at, ANSWER_WORKING_DAYS))
    )


def attachment_of(uow: UnitOfWork, code: str, position: int) -> StoredAttachment:
    """Return an attachment of the complaint with this code (the code is the key: staff and its holder)."""
    row = _load(uow, code)
    found = next((a for a in row.attachments if a.position == position), None)
    if found is None:
        raise NotFound(N_("This complaint has no such attachment."))
    return StoredAttachment(found.sha256, found.media_type, _listed_name(found))


def _load(uow: UnitOfWork, code: str) -> Complaint:
    """Return a complaint by code with its history and files."""
    found = find_complaint(uow, code)
    return uow.session.scalars(
        select(Complaint)
        .where(Complaint.id == found.id)
        .options(selectinload(Complaint.events), selectinload(Complaint.attachments))
        .execution_options(populate_existing=True)
    ).one()


def _page(row: Complaint, events: list[EventView], **contact: str) -> ComplaintPage:
    """Return the page of a complaint with the history given."""
    return ComplaintPage(
        summary=_summary(row),
        body=row.body,
        answer=row.answer,
        answered_at=row.answered_at,
        closed_at=row.closed_at,
        events=events,
        attachments=[
            AttachmentView(a.position, _listed_name(a), a.media_type, a.size_bytes) for a in row.attachments
        ],
        **contact,
    )


def _listed_name(attachment: ComplaintAttachment) -> str:
    """Return the name an attachment is listed and downloaded under (the one it was sent with, made safe)."""
    return attachment_name(attachment.original_name, EXTENSIONS.get(attachment.media_type, "bin"))


def _summary(row: Complaint) -> ComplaintSummary:
    """Return the list entry of a complaint."""
    return ComplaintSummary(
        code=row.code,
        subject=row.subject,
        name=row.name,
        source=ComplaintSource(row.source),
        service=ComplaintService(row.service),
        element=row.element,
        status=ComplaintStatus(row.status),
        received_at=row.received_at,
        answered_at=row.answered_at,
    )


def _names(uow: UnitOfWork, ids: set[int]) -> dict[int, str]:
    """Return the names of people by id, in one query."""
    if not ids:
        return {}
    return {i: n for i, n in uow.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()}


def new_complaints_counted() -> Select[int]:
    """Return the statement counting the complaints nobody has taken up yet."""
    return select(func.count(Complaint.id)).where(Complaint.status == ComplaintStatus.NEW.value)
