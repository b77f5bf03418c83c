"""The user reopens a closed consultation within the grace period, by writing what is still open.

A consultation closed by a consultant, by the user or after the user's silence may be reopened by the
person who asked for `reopen_days` (a setting) after its close; after that they open a new
one. Reopening puts back the status it had before the close and adds their message, so the
consultant (told by email) owes the next step and the silence job leaves it alone.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.engine import CursorResult

from library.consultation.attachments import Attachments
from library.consultation.consultations import add_user_message, check_message, own_consultation
from library.consultation.rules import ConsultationPost, ConsultationRules
from library.errors import InvalidInput, NotAllowed
from library.i18n import N_
from library.models import Consultation, ConsultationAction, ConsultationStatus
from library.permissions import Actor
from library.uow import UnitOfWork

S = ConsultationStatus
CLOSINGS = (
    ConsultationAction.CLOSED.value,
    ConsultationAction.CLOSED_SILENT.value,
    ConsultationAction.CLOSED_BY_USER.value,
)
TOO_LATE = N_(
    "Consultation %(number)s was closed more than %(days)s days ago and can no longer be reopened; "
    "please open a new consultation."
)
NOT_CLOSED = N_("Consultation %(number)s is open: write your message below.")


def reopen_until(closed_at: dt.datetime | None, rules: ConsultationRules) -> dt.datetime | None:
    """Return until when a consultation closed at this moment may be reopened (None: it may not)."""
    if closed_at is None or rules.reopen_days <= 0:
        return None
    return closed_at + dt.timedelta(days=rules.reopen_days)


def may_reopen(closed_at: dt.datetime | None, rules: ConsultationRules, now: dt.datetime) -> bool:
    """Tell whether a consultation closed at this moment may be reopened now."""
    until = reopen_until(closed_at, rules)
    return until is not None and now < until


def check_reopen(
    uow: UnitOfWork,
    actor: Actor | None,
    number: str,
    body: str,
    rules: ConsultationRules,
    now: dt.datetime,
    post: ConsultationPost | None = None,
    attachments: Attachments | None = None,
) -> None:
    """Reopen a closed consultation in the grace period with a message and files; tell the consultant."""
    user, row = own_consultation(uow, actor, number)
    if row.user_id != user.id:
        raise NotAllowed(N_("Only the person who asked can reopen a consultation."))
    if row.status != S.CLOSED.value:
        raise InvalidInput(NOT_CLOSED, number=row.number)
    if not may_reopen(row.closed_at, rules, now):
        raise InvalidInput(TOO_LATE, number=row.number, days=rules.reopen_days)
    text = check_message(body)
    files = attachments.checked() if attachments is not None else []
    before = _status_before_close(row)
    changed = uow.session.execute(
        update(Consultation)
        .where(Consultation.id == row.id, Consultation.status == S.CLOSED.value)
        .values(status=before.value, closed_at=None)
        .execution_options(synchronize_session=False)
    )
    if not isinstance(changed, CursorResult) or changed.rowcount != 1:
        raise InvalidInput(NOT_CLOSED, number=row.number)  # reopened a moment ago in another tab
    uow.session.refresh(row)
    row.record(ConsultationAction.REOPENED, now, user.id)
    add_user_message(uow, row, user.id, text, files, attachments, now, post)


def _status_before_close(row: Consultation) -> ConsultationStatus:
    """Return the status the consultation had before its latest close (new when the history says nothing)."""
    events = list(row.events)
    for index in range(len(events) - 1, -1, -1):
        if events[index].action in CLOSINGS:
            for earlier in reversed(events[:index]):
                if earlier.status != S.CLOSED.value:
                    return ConsultationStatus(earlier.status)
            break
    return S.NEW
