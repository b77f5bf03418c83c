"""A consultant records a consultation received by telephone or on social media; it then runs as any other.

Nothing reads those channels for Pustaka, so the consultant types what the person asked, with
their name and where to reach them (a number, an account on the social network, or an address).
The consultation gets its number and history, the desk sorts it by deadline, the clock starts
when it is marked clear and complete, and the reports count it under its channel. Answers are
given on that channel by the consultant, who writes in the thread what they said; when it is
closed, the desk shows the survey link to pass on.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from library.clock import office_zone
from library.consultation.consultations import MAX_QUESTION, MIN_QUESTION, SHORT_FIELDS, consultation_number
from library.consultation.rules import ConsultationRules
from library.errors import InvalidField, InvalidFields, InvalidInput, PustakaError
from library.i18n import N_
from library.models import (
    MANUAL_CHANNELS,
    Consultation,
    ConsultationAction,
    ConsultationStatus,
    Office,
)
from library.permissions import Actor, require_consult
from library.text import clean_text
from library.uow import UnitOfWork

MAX_CONTACT = 200


@dataclass(frozen=True)
class RecordedConsultation:
    """What a consultant typed of a consultation received by telephone or social media (unchecked)."""

    channel: str = "phone"
    name: str = ""
    contact: str = ""  # a telephone number, a social-media account, or an email address
    topic: str = ""
    question: str = ""
    data_subject: str = ""
    data_region: str = ""
    data_period: str = ""


def check_record_consultation(
    uow: UnitOfWork,
    actor: Actor | None,
    form: RecordedConsultation,
    rules: ConsultationRules,
    now: dt.datetime,
) -> str:
    """Check the form (every problem at once), record it as the recorder's consultation; return its number."""
    staff = require_consult(uow, actor)
    form = RecordedConsultation(**{name: clean_text(value).strip() for name, value in vars(form).items()})
    problems = _problems(form)
    if problems:
        raise problems[0] if len(problems) == 1 else InvalidFields(problems)
    office_id = uow.session.scalar(select(Office.id).where(Office.code == rules.office_code))
    if office_id is None:
        raise InvalidInput(N_("Consultations are not open yet at this office; please contact the PST staff."))
    row = Consultation(
        number=f"new-{secrets.token_hex(8)}",
        user_id=None,
        channel=form.channel,
        contact=form.contact,
        contact_name=form.name,
        office_id=office_id,
        status=ConsultationStatus.NEW.value,
        opened_at=now,
        consultant_id=staff.id,
        topic=form.topic,
        question=form.question,
        data_subject=form.data_subject,
        data_region=form.data_region,
        data_period=form.data_period,
    )
    row.record(ConsultationAction.RECORDED, now, staff.id, note=form.channel)
    uow.session.add(row)
    uow.session.flush()
    row.number = consultation_number(row.id, now.astimezone(office_zone(rules.calendar.timezone)).date())
    return row.number


def _problems(form: RecordedConsultation) -> list[PustakaError]:
    """Return every problem with the form, in its order."""
    problems: list[PustakaError] = []
    if form.channel not in {c.value for c in MANUAL_CHANNELS}:
        problems.append(InvalidField("channel", N_("Choose how the consultation was received.")))
    required = {
        "name": N_("Write the name of the person who asked."),
        "contact": N_("Write where to reach them: a telephone number, a social-media account or an email."),
        "topic": N_("Write the topic of the consultation."),
        "question": N_("Write the question as the person asked it."),
    }
    limits = {"name": 200, "contact": MAX_CONTACT, **SHORT_FIELDS, "question": MAX_QUESTION}
    for name in ("name", "contact", "topic", "question", "data_subject", "data_region", "data_period"):
        value = getattr(form, name)
        if not value and name in required:
            problems.append(InvalidField(name, required[name]))
        elif name == "question" and len(value) < MIN_QUESTION:
            problems.append(
                InvalidField(name, N_("Describe the question in at least %(n)s characters."), n=MIN_QUESTION)
            )
        elif len(value) > limits[name]:
            problems.append(InvalidField(name, N_("Write at most %(n)s characters."), n=limits[name]))
    return problems
