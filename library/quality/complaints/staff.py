"""Staff handle complaints: classify them, take them up, answer and close them.

The statuses move new → in progress → answered → closed; a complaint may be answered
straight from new. Classifying (the SKM element and the service) changes no status and is
allowed until the complaint is closed. Every step appends a row to the complaint's history;
each change of status emails the person (after commit) when they left an address.
"""

from __future__ import annotations

import datetime as dt

from library.errors import InvalidField, InvalidInput
from library.i18n import N_
from library.models import Complaint, ComplaintAction, ComplaintStatus
from library.permissions import Actor, require_complaint_staff
from library.quality.complaints.mail import ComplaintMailQueue, queue_complaint_mail
from library.quality.complaints.records import (
    MAX_BODY,
    MIN_BODY,
    clean_element,
    clean_service,
    find_complaint,
)
from library.text import clean_text
from library.uow import UnitOfWork

S = ComplaintStatus
# The statuses each step may start from.
MAY_START = (S.NEW,)
MAY_ANSWER = (S.NEW, S.IN_PROGRESS)
MAY_CLOSE = (S.ANSWERED,)
REFUSED = {
    ComplaintAction.STARTED: N_("Complaint %(code)s is already being handled."),
    ComplaintAction.ANSWERED: N_("Complaint %(code)s is already answered."),
    ComplaintAction.CLOSED: N_("Answer complaint %(code)s before closing it."),
}
CLOSED_ALREADY = N_("Complaint %(code)s is closed.")


UNCHANGED = N_("Nothing changed: choose the SKM element the complaint is about, or another service.")


def check_classify(
    uow: UnitOfWork, actor: Actor | None, code: str, element: str, service: str, now: dt.datetime
) -> None:
    """Set the SKM element and the service a complaint is about (recorded in its history, no email)."""
    staff = require_complaint_staff(uow, actor)
    row = _open(uow, code)
    chosen, about = clean_element(element), clean_service(service)
    if (chosen, about) == (row.element, row.service):
        raise InvalidField("element", UNCHANGED)
    row.element, row.service = chosen, about
    row.record(ComplaintAction.CLASSIFIED, now, staff.id, note=f"{row.element or '-'} · {row.service}")


def check_start(
    uow: UnitOfWork, actor: Actor | None, code: str, now: dt.datetime, mail: ComplaintMailQueue | None = None
) -> None:
    """Take a new complaint up: it is now being handled; the person is told."""
    _step(uow, actor, code, ComplaintAction.STARTED, S.IN_PROGRESS, MAY_START, now, mail)


def check_answer(
    uow: UnitOfWork,
    actor: Actor | None,
    code: str,
    answer: str,
    now: dt.datetime,
    mail: ComplaintMailQueue | None = None,
) -> None:
    """Give the office's answer to a complaint; the person is told and reads it on the status page."""
    text = clean_text(answer)
    if not text:
        raise InvalidField("answer", N_("Write the answer to the complaint."))
    if len(text) < MIN_BODY:
        raise InvalidField(
            "answer",
            N_("Write the answer in full, at least %(n)s characters: it is sent as it is."),
            n=MIN_BODY,
        )
    if len(text) > MAX_BODY:
        raise InvalidField("answer", N_("Write at most %(n)s characters."), n=MAX_BODY)
    row = _step(uow, actor, code, ComplaintAction.ANSWERED, S.ANSWERED, MAY_ANSWER, now, mail)
    row.answer = text
    row.answered_at = now


def check_close(
    uow: UnitOfWork, actor: Actor | None, code: str, now: dt.datetime, mail: ComplaintMailQueue | None = None
) -> None:
    """Close an answered complaint; the person is told."""
    row = _step(uow, actor, code, ComplaintAction.CLOSED, S.CLOSED, MAY_CLOSE, now, mail)
    row.closed_at = now


def _step(
    uow: UnitOfWork,
    actor: Actor | None,
    code: str,
    action: ComplaintAction,
    status: ComplaintStatus,
    allowed: tuple[ComplaintStatus, ...],
    now: dt.datetime,
    mail: ComplaintMailQueue | None,
) -> Complaint:
    """Move a complaint to a status the step allows, append it to the history and queue the email."""
    staff = require_complaint_staff(uow, actor)
    row = _open(uow, code)
    if ComplaintStatus(row.status) not in allowed:
        raise InvalidInput(REFUSED[action], code=row.code)
    row.status = status.value
    event = row.record(action, now, staff.id)
    uow.session.flush()
    if mail is not None and row.email:
        queue_complaint_mail(uow, mail, event.id)
    return row


def _open(uow: UnitOfWork, code: str) -> Complaint:
    """Return a complaint that is not closed, locked for the rest of the transaction."""
    row = find_complaint(uow, code, lock=True)
    if row.status == S.CLOSED.value:
        raise InvalidInput(CLOSED_ALREADY, code=row.code)
    return row
