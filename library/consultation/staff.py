"""Consultants work on consultations: assign, write, ask for clarification, mark clear, answer, close.

The statuses move new → clarification needed → clear and complete → answered → closed. Marking
a consultation clear and complete starts its clock: the answer is due a number of working days
later (the office's calendar: holidays, cuti bersama, closures). Every step is in the history;
every message to the user is emailed to them after commit, with a link back.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from library.consultation.attachments import Attachments, do_attach
from library.consultation.consultations import CLOSED_ALREADY, check_message, find_consultation
from library.consultation.mail import consultation_closed, staff_wrote
from library.consultation.outside import answered_outside, closed_notice, mark_outgoing, queue_outside, wake
from library.consultation.rules import ConsultationPost, ConsultationRules
from library.errors import InvalidField, InvalidInput
from library.i18n import N_
from library.models import (
    Consultation,
    ConsultationAction,
    ConsultationMessage,
    ConsultationStatus,
    Role,
    ServiceKind,
    SurveyChannel,
    User,
)
from library.permissions import Actor, require_consult
from library.quality.respondents import of_account as account_respondent
from library.quality.respondents import of_contact as contact_respondent
from library.quality.survey import invite
from library.uow import UnitOfWork

S = ConsultationStatus
# The statuses each step may start from.
MAY_MARK_CLEAR = (S.NEW, S.CLARIFICATION)
MAY_ANSWER = (S.CLEAR, S.ANSWERED)
ALREADY_CLEAR = N_("Consultation %(number)s is already clear and complete.")
CLEAR_FIRST = N_("Mark consultation %(number)s clear and complete before answering it, so its clock starts.")


def consultation_event(number: str) -> str:
    """Return the SKM survey event key of a consultation."""
    return f"consultation:{number}"


def invite_to_rate(uow: UnitOfWork, row: Consultation, now: dt.datetime) -> str:
    """Invite whoever asked to rate a closed consultation (one invitation per consultation)."""
    return invite(
        uow,
        office_id=row.office_id,
        service=ServiceKind.CONSULTATION,
        channel=SurveyChannel.CONSULTATION,
        event_key=consultation_event(row.number),
        now=now,
        respondent=asker_respondent(uow, row),
    )


def asker_respondent(uow: UnitOfWork, row: Consultation) -> str:
    """Return who asked, as the survey counts people: the account, or the address or number outside."""
    if row.user_id is not None:
        return account_respondent(uow.session.get(User, row.user_id))
    return contact_respondent(row.channel, row.contact)


def check_assign(
    uow: UnitOfWork, actor: Actor | None, number: str, consultant_id: int, now: dt.datetime
) -> None:
    """Assign an open consultation to a consultant."""
    staff = require_consult(uow, actor)
    row = lock_open(uow, number)
    consultant = uow.session.get(User, consultant_id)
    if consultant is None or not consultant.active or not consultant.has_role(Role.CONSULTANT):
        raise InvalidField("consultant", N_("Choose a consultant from the list."))
    row.consultant_id = consultant.id
    row.record(ConsultationAction.ASSIGNED, now, staff.id, note=consultant.name)


def check_staff_reply(
    uow: UnitOfWork,
    actor: Actor | None,
    number: str,
    body: str,
    now: dt.datetime,
    post: ConsultationPost | None = None,
    *,
    action: ConsultationAction | None = None,
    attachments: Attachments | None = None,
) -> None:
    """Write to the user, optionally asking for clarification (ASKED) or answering (ANSWERED); email them."""
    staff = require_consult(uow, actor)
    row = lock_open(uow, number)
    text = check_message(body)
    files = attachments.checked() if attachments is not None else []
    if action is ConsultationAction.ASKED:
        row.status = S.CLARIFICATION.value
        row.clear_at = row.due_at = None  # the clock starts again when the question is clear
    elif action is ConsultationAction.ANSWERED:
        _require(row, MAY_ANSWER, CLEAR_FIRST)
        row.status = S.ANSWERED.value
        row.answered_at = now
    elif action is not None:
        raise ValueError(action)
    if row.consultant_id is None:
        row.consultant_id = staff.id  # whoever writes first takes it
    message = ConsultationMessage(author_id=staff.id, from_staff=True, body=text, at=now)
    mark_outgoing(row, message)
    row.messages.append(message)
    if action is not None:
        row.record(action, now, staff.id)
    uow.session.flush()
    do_attach(uow, attachments, files, row, message.id, staff.id, now)
    wake(uow, message, post)
    user = uow.session.get(User, row.user_id) if row.user_id is not None else None
    if post is not None and user is not None:
        mail = staff_wrote(
            user.email,
            user.name,
            row.number,
            row.topic,
            post.user_page(row.number),
            asks=action is ConsultationAction.ASKED,
        )
        post.mailer.send_after_commit(uow, mail)
        if action is ConsultationAction.ANSWERED and row.notify_phone and post.answered_news is not None:
            consultation_id, news = row.id, post.answered_news
            uow.after_commit(lambda: news(consultation_id))


def check_staff_send(
    uow: UnitOfWork,
    actor: Actor | None,
    number: str,
    body: str,
    now: dt.datetime,
    post: ConsultationPost | None = None,
    *,
    attachments: Attachments | None = None,
) -> ConsultationAction | None:
    """Send the consultant's message: on a clear and complete question it is the answer (the clock stops).

    Return ANSWERED when the message answered the consultation, None when it was a message only.
    """
    require_consult(uow, actor)
    row = lock_open(uow, number)
    action = ConsultationAction.ANSWERED if row.status == S.CLEAR.value else None
    check_staff_reply(uow, actor, number, body, now, post, action=action, attachments=attachments)
    return action


class StaffMessage(Enum):
    """What a consultant means their message as (the desk's buttons)."""

    SEND = "send"  # the main button: the answer on a clear and complete question, else a message
    NOTE = "note"  # a message that answers nothing
    ASK = "ask"  # a request for clarification
    ANSWER = "answer"


# The step each message other than SEND records (SEND decides by the consultation's status).
STAFF_STEPS = {
    StaffMessage.NOTE: None,
    StaffMessage.ASK: ConsultationAction.ASKED,
    StaffMessage.ANSWER: ConsultationAction.ANSWERED,
}


def check_staff_message(
    uow: UnitOfWork,
    actor: Actor | None,
    number: str,
    body: str,
    meant: StaffMessage,
    now: dt.datetime,
    post: ConsultationPost | None = None,
    *,
    attachments: Attachments | None = None,
) -> ConsultationAction | None:
    """Write the consultant's message as they meant it; return the step it took (ANSWERED, ASKED or None)."""
    if meant is StaffMessage.SEND:
        return check_staff_send(uow, actor, number, body, now, post, attachments=attachments)
    action = STAFF_STEPS[meant]
    check_staff_reply(uow, actor, number, body, now, post, action=action, attachments=attachments)
    return action


def check_mark_clear(
    uow: UnitOfWork, actor: Actor | None, number: str, rules: ConsultationRules, now: dt.datetime
) -> dt.datetime:
    """Mark the question clear and complete, start its clock and return when the answer is due."""
    staff = require_consult(uow, actor)
    row = lock_open(uow, number)
    _require(row, MAY_MARK_CLEAR, ALREADY_CLEAR)
    row.status = S.CLEAR.value
    row.clear_at = now
    row.due_at = rules.answer_due(now)
    if row.consultant_id is None:
        row.consultant_id = staff.id
    row.record(ConsultationAction.CLEAR, now, staff.id)
    return row.due_at


def check_close(
    uow: UnitOfWork, actor: Actor | None, number: str, now: dt.datetime, post: ConsultationPost | None = None
) -> str:
    """Close a consultation, invite the user to the SKM survey and tell them; return the survey secret."""
    staff = require_consult(uow, actor)
    return do_close(uow, lock_open(uow, number), ConsultationAction.CLOSED, staff.id, now, post)


def do_close(
    uow: UnitOfWork,
    row: Consultation,
    action: ConsultationAction,
    actor_id: int,
    now: dt.datetime,
    post: ConsultationPost | None,
) -> str:
    """Close a locked open consultation as `action` by this person, invite the user to the SKM, tell them.

    Return the survey secret. The consultant's close and the user's own close go through here.
    """
    row.status = S.CLOSED.value
    row.closed_at = now
    row.record(action, now, actor_id)
    token = invite_to_rate(uow, row, now)
    uow.session.flush()
    if post is not None and answered_outside(row):
        queue_outside(uow, row, closed_notice(row, post.survey_page(token)), now, None, post)
    user = uow.session.get(User, row.user_id) if row.user_id is not None else None
    if post is not None and user is not None:
        mail = consultation_closed(
            user.email, user.name, row.number, row.topic, post.user_page(row.number), post.survey_page(token)
        )
        post.mailer.send_after_commit(uow, mail)
    return token


def lock_open(uow: UnitOfWork, number: str) -> Consultation:
    """Return a consultation that is not closed (locked for the rest of the transaction)."""
    row = find_consultation(uow, number)
    uow.session.refresh(row, with_for_update=True)
    if row.status == S.CLOSED.value:
        raise InvalidInput(CLOSED_ALREADY, number=row.number)
    return row


def _require(row: Consultation, allowed: tuple[ConsultationStatus, ...], why: str) -> None:
    """Refuse, saying why, a step the consultation's status does not allow."""
    if ConsultationStatus(row.status) not in allowed:
        raise InvalidInput(why, number=row.number)
