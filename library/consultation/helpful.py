"""The user marks the consultant's answer as helpful and closes their consultation themselves.

Once a consultation is answered, the person who asked need not wait for the consultant's
close or the silence job: their close is in the history as theirs (`closed_by_user`), counts
in the reports as a consultation closed answered, and invites them to the SKM survey at once,
as a consultant's close does (`desk.do_close`). The assigned consultant is told by email.
"""

from __future__ import annotations

import datetime as dt

from library.consultation.consultations import own_consultation
from library.consultation.mail import user_closed
from library.consultation.rules import ConsultationPost
from library.consultation.staff import do_close, lock_open
from library.errors import InvalidInput, NotAllowed
from library.i18n import N_
from library.models import Consultation, ConsultationAction, ConsultationStatus, User
from library.permissions import Actor
from library.uow import UnitOfWork

NOT_ANSWERED = N_(
    "Consultation %(number)s has no answer yet: you can close it once the consultant has answered."
)


def may_close_helpful(status: ConsultationStatus) -> bool:
    """Tell whether the person who asked may close a consultation in this status (answered only)."""
    return status is ConsultationStatus.ANSWERED


def check_close_helpful(
    uow: UnitOfWork, actor: Actor | None, number: str, now: dt.datetime, post: ConsultationPost | None = None
) -> str:
    """Close the person's answered consultation as helpful; invite them to the SKM; return its secret."""
    user, found = own_consultation(uow, actor, number)
    if found.user_id != user.id:
        raise NotAllowed(N_("Only the person who asked can close a consultation as helpful."))
    row = lock_open(uow, found.number)
    if not may_close_helpful(ConsultationStatus(row.status)):
        raise InvalidInput(NOT_ANSWERED, number=row.number)
    token = do_close(uow, row, ConsultationAction.CLOSED_BY_USER, user.id, now, post)
    _tell_consultant(uow, row, post)
    return token


def _tell_consultant(uow: UnitOfWork, row: Consultation, post: ConsultationPost | None) -> None:
    """Email the assigned consultant that the user closed the consultation."""
    consultant = uow.session.get(User, row.consultant_id) if row.consultant_id else None
    if post is not None and consultant is not None:
        mail = user_closed(
            consultant.email, consultant.name, row.number, row.topic, post.desk_page(row.number)
        )
        post.mailer.send_after_commit(uow, mail)
