"""A user opens an online consultation and writes in its thread.

A person with a verified email address asks a question about statistical data (topic,
question, the data needed: subject, region, period). Every problem with the form is reported
at once. Each consultation has a number people quote, a thread and a history of who did what.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from library.accounts.ratelimit import CONSULTATION, Throttle, TooManyAttempts
from library.clock import moment_in_both, office_zone
from library.consultation.attachments import Attachments, CheckedFile, do_attach
from library.consultation.mail import consultation_received, user_wrote
from library.consultation.rules import ConsultationPost, ConsultationRules
from library.errors import InvalidField, InvalidFields, InvalidInput, NotAllowed, NotFound, PustakaError
from library.i18n import N_
from library.messaging.numbers import indonesian_mobile
from library.models import (
    Consultation,
    ConsultationAction,
    ConsultationMessage,
    ConsultationStatus,
    Office,
    User,
)
from library.permissions import Actor, may_see_consultation, require_signed_in
from library.text import clean_text
from library.uow import UnitOfWork

MAX_QUESTION = 4000
MIN_QUESTION = 20
SHORT_FIELDS = {"topic": 200, "data_subject": 200, "data_region": 200, "data_period": 100}
SIGN_IN_TO_CONSULT = N_("Sign in to ask for a consultation.")
VERIFY_FIRST = N_(
    "Verify your email address before asking for a consultation: open the link we emailed you, "
    "or ask for a new one on your profile page."
)
CLOSED_ALREADY = N_("Consultation %(number)s is closed; open a new consultation to ask again.")


class TooManyConsultations(TooManyAttempts):
    """Too many consultations opened from one address or account within the hour."""

    def __init__(self, retry_after_seconds: int) -> None:  # noqa: D107 - the consultation's own message
        self.retry_after_seconds = max(1, retry_after_seconds)
        PustakaError.__init__(
            self,
            N_(
                "You have opened several consultations in a short time. Please wait %(minutes)s minutes "
                "before opening another one; meanwhile you can still write in your open consultations."
            ),
            minutes=max(1, math.ceil(self.retry_after_seconds / 60)),
        )


NOT_A_MOBILE = N_("Write an Indonesian mobile number, such as 0812 3456 7890, or leave it empty.")


@dataclass(frozen=True)
class ConsultationQuestion:
    """What a person asks online and the data they need, as the consultation form sent it (unchecked)."""

    topic: str = ""
    question: str = ""
    data_subject: str = ""
    data_region: str = ""
    data_period: str = ""
    notify_phone: str = ""  # a mobile number to be told on when it is answered (optional)


def check_open_consultation(
    uow: UnitOfWork,
    actor: Actor | None,
    form: ConsultationQuestion,
    rules: ConsultationRules,
    now: dt.datetime,
    attachments: Attachments | None = None,
    *,
    throttle: Throttle | None = None,
    client: str = "",
    post: ConsultationPost | None = None,
) -> str:
    """Check the form and files (every problem at once), record the consultation, and return its number.

    From the web (`throttle` given), consultations opened are counted per client address and per
    account (`CONSULTATION`: 5 an hour, as complaints): a script cannot flood the desk, and one
    past the limit is told how long to wait (`TooManyConsultations`). With `post`, the person gets
    an acknowledgement after commit: the number, and when the answer is due by the standard.
    """
    user = require_signed_in(uow, actor, SIGN_IN_TO_CONSULT)
    form = ConsultationQuestion(**{name: clean_text(value).strip() for name, value in vars(form).items()})
    problems: list[PustakaError] = []
    if not user.email_verified:
        problems.append(NotAllowed(VERIFY_FIRST))
    problems.extend(_form_problems(form))
    files = []
    if attachments is not None:
        try:
            files = attachments.checked()
        except InvalidField as problem:
            problems.append(problem)
    if problems:
        raise problems[0] if len(problems) == 1 else InvalidFields(problems)
    office_id = uow.session.scalar(select(Office.id).where(Office.code == rules.office_code))
    if office_id is None:
        raise InvalidInput(N_("Consultations are not open yet at this office; please contact the PST staff."))
    if throttle is not None:
        try:
            throttle.take(uow, CONSULTATION, client=client, email=user.email, now=now)
        except TooManyAttempts as refused:
            raise TooManyConsultations(refused.retry_after_seconds) from None
    row = Consultation(
        number=f"new-{secrets.token_hex(8)}",
        user_id=user.id,
        office_id=office_id,
        status=ConsultationStatus.NEW.value,
        opened_at=now,
        **{**vars(form), "notify_phone": indonesian_mobile(form.notify_phone) or ""},
    )
    row.record(ConsultationAction.OPENED, now, user.id)
    uow.session.add(row)
    uow.session.flush()
    row.number = consultation_number(row.id, now.astimezone(office_zone(rules.calendar.timezone)).date())
    do_attach(uow, attachments, files, row, None, user.id, now)
    uow.session.flush()
    if post is not None:
        acknowledge(uow, user, row, rules, now, post)
    return row.number


def acknowledge(
    uow: UnitOfWork,
    user: User,
    row: Consultation,
    rules: ConsultationRules,
    now: dt.datetime,
    post: ConsultationPost,
) -> None:
    """Email the person their consultation's number and when the answer is due if the question is clear now.

    The standard's clock starts when the question is clear and complete (`check_mark_clear`); the
    date said is the one that clock gives a question clear on receipt, and the email says so.
    """
    due = moment_in_both(rules.answer_due(now), office_zone(rules.calendar.timezone))
    mail = consultation_received(
        user.email,
        user.name,
        row.number,
        row.topic,
        post.user_page(row.number),
        due=due,
        days=rules.sla_working_days,
    )
    post.mailer.send_after_commit(uow, mail)


def consultation_number(consultation_id: int, day: dt.date) -> str:
    """Return the number people quote for a consultation: KS-YYYYMMDD-NNNNN."""
    return f"KS-{day:%Y%m%d}-{consultation_id:05d}"


def _form_problems(form: ConsultationQuestion) -> list[PustakaError]:
    """Return every problem with the form's fields, in the form's order."""
    problems: list[PustakaError] = []
    required = {
        "topic": N_("Write the topic of your consultation."),
        "question": N_("Write your question."),
        "data_subject": N_("Write the subject of the data you need, for example population or inflation."),
        "data_region": N_("Write the region the data should cover, for example Kota Metro."),
        "data_period": N_("Write the period the data should cover, for example 2020-2024."),
    }
    for name, missing in required.items():
        value = getattr(form, name)
        limit = SHORT_FIELDS.get(name, MAX_QUESTION)
        if not value:
            problems.append(InvalidField(name, missing))
        elif name == "question" and len(value) < MIN_QUESTION:
            problems.append(
                InvalidField(name, N_("Describe your question in at least %(n)s characters."), n=MIN_QUESTION)
            )
        elif len(value) > limit:
            problems.append(InvalidField(name, N_("Write at most %(n)s characters."), n=limit))
    if form.notify_phone and indonesian_mobile(form.notify_phone) is None:
        problems.append(InvalidField("notify_phone", NOT_A_MOBILE))
    return problems


def find_consultation(uow: UnitOfWork, number: str) -> Consultation:
    """Return the consultation with this number."""
    row = uow.session.scalar(select(Consultation).where(Consultation.number == number.strip()[:40]))
    if row is None:
        raise NotFound(N_("There is no consultation %(number)s."), number=number)
    return row


def own_consultation(uow: UnitOfWork, actor: Actor | None, number: str) -> tuple[User, Consultation]:
    """Return the person and a consultation they may see; to anyone else it does not exist."""
    person = require_signed_in(uow, actor, N_("Sign in to see your consultations."))
    row = find_consultation(uow, number)
    if not may_see_consultation(person, row.user_id):
        raise NotFound(N_("There is no consultation %(number)s."), number=number)
    return person, row


def check_user_reply(
    uow: UnitOfWork,
    actor: Actor | None,
    number: str,
    body: str,
    now: dt.datetime,
    post: ConsultationPost | None = None,
    attachments: Attachments | None = None,
) -> None:
    """Add the user's message (and files) to their consultation's thread and tell the consultant."""
    user, row = own_consultation(uow, actor, number)
    if row.user_id != user.id:
        raise NotAllowed(N_("Only the person who asked can write here; consultants answer from the desk."))
    if row.status == ConsultationStatus.CLOSED.value:
        raise InvalidInput(CLOSED_ALREADY, number=row.number)
    text = check_message(body)
    files = attachments.checked() if attachments is not None else []
    add_user_message(uow, row, user.id, text, files, attachments, now, post)


def add_user_message(
    uow: UnitOfWork,
    row: Consultation,
    user_id: int,
    text: str,
    files: Sequence[CheckedFile],
    attachments: Attachments | None,
    now: dt.datetime,
    post: ConsultationPost | None,
) -> None:
    """Add the user's checked message and files to the thread; email the assigned consultant."""
    message = ConsultationMessage(author_id=user_id, from_staff=False, body=text, at=now)
    row.messages.append(message)
    uow.session.flush()
    do_attach(uow, attachments, files, row, message.id, user_id, now)
    consultant = uow.session.get(User, row.consultant_id) if row.consultant_id else None
    if post is not None and consultant is not None:
        mail = user_wrote(
            consultant.email, consultant.name, row.number, row.topic, post.desk_page(row.number)
        )
        post.mailer.send_after_commit(uow, mail)


def check_message(body: str) -> str:
    """Return a message tidied, or refuse an empty or too long one."""
    text = clean_text(body).strip()
    if not text:
        raise InvalidField("body", N_("Write your message."))
    if len(text) > MAX_QUESTION:
        raise InvalidField("body", N_("Write at most %(n)s characters."), n=MAX_QUESTION)
    return text
