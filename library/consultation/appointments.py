"""Follow-up appointments: the consultant proposes one, in person or by video; the user accepts or asks again.

The consultant gives the kind, the day and time at the office (its time zone), how long, and
the place or the video meeting's link. The user is emailed with the appointment as an
iCalendar file and answers on the consultation's page: accept, or ask for another time (with
a message in the thread). A new proposal replaces the ones not yet answered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from library.clock import moment_in_both, office_zone
from library.consultation.attachments import FIELD as FILES_FIELD
from library.consultation.attachments import Attachments, do_attach
from library.consultation.consultations import check_message, own_consultation
from library.consultation.mail import appointment_answered, appointment_proposed
from library.consultation.outside import appointment_notice, queue_outside
from library.consultation.rules import ConsultationPost, ConsultationRules
from library.consultation.staff import lock_open
from library.errors import InvalidField, InvalidFields, InvalidInput, NotAllowed, NotFound, PustakaError
from library.i18n import N_
from library.mail import Attachment
from library.mail.calendar_files import CalendarEvent, event_ics
from library.models import (
    AppointmentKind,
    AppointmentStatus,
    ConsultationAction,
    ConsultationAppointment,
    ConsultationMessage,
    ConsultationStatus,
    User,
)
from library.permissions import Actor, require_consult
from library.text import clean_text
from library.uow import UnitOfWork

MIN_MINUTES, MAX_MINUTES = 15, 240
MAX_PLACE, MAX_NOTE = 500, 1000
_URL = re.compile(r"^https://[^\s<>\"]+$")


@dataclass(frozen=True)
class AppointmentDetails:
    """What the consultant's appointment form sends, as typed."""

    kind: str = ""
    day: str = ""  # YYYY-MM-DD at the office
    time: str = ""  # HH:MM at the office
    minutes: str = "60"
    place: str = ""  # the address or room, or the video meeting's link
    note: str = ""


def check_propose_appointment(
    uow: UnitOfWork,
    actor: Actor | None,
    number: str,
    form: AppointmentDetails,
    rules: ConsultationRules,
    now: dt.datetime,
    post: ConsultationPost | None = None,
) -> int:
    """Check the form (all problems at once), propose the appointment, email it with a .ics; return its id."""
    staff = require_consult(uow, actor)
    row = lock_open(uow, number)
    kind, starts, minutes, place, note = _checked(form, rules, now)
    for earlier in row.appointments:
        if earlier.status == AppointmentStatus.PROPOSED.value:
            earlier.status = AppointmentStatus.REPLACED.value
    made = ConsultationAppointment(
        uid=f"{secrets.token_hex(12)}@pustaka",
        kind=kind.value,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=minutes),
        place=place,
        note=note,
        status=AppointmentStatus.PROPOSED.value,
        proposed_by=staff.id,
        proposed_at=now,
    )
    row.appointments.append(made)
    if row.consultant_id is None:
        row.consultant_id = staff.id
    row.record(ConsultationAction.APPOINTMENT, now, staff.id, note=kind.value)
    uow.session.flush()
    zone = office_zone(rules.calendar.timezone)
    when = moment_in_both(made.starts_at, zone)
    queue_outside(uow, row, appointment_notice(row, when, minutes, place, note), now, staff.id, post)
    user = uow.session.get(User, row.user_id) if row.user_id is not None else None
    if post is not None and user is not None:
        link = post.user_page(row.number)
        ics = appointment_ics(made, row.number, row.topic, link, now)
        mail = appointment_proposed(
            user.email,
            user.name,
            row.number,
            row.topic,
            link,
            video=kind is AppointmentKind.VIDEO,
            when=when,
            minutes=minutes,
            place=place,
        )
        mail = dataclasses.replace(mail, attachments=(Attachment("konsultasi.ics", "calendar", ics),))
        post.mailer.send_after_commit(uow, mail)
    return made.id


def check_answer_appointment(
    uow: UnitOfWork,
    actor: Actor | None,
    number: str,
    appointment_id: int,
    *,
    accept: bool,
    body: str,
    now: dt.datetime,
    post: ConsultationPost | None = None,
    attachments: Attachments | None = None,
) -> None:
    """Accept a proposed appointment or ask for another time (a message, files); tell the consultant.

    Files go with a message only: accepting with files and no words is refused.
    """
    user, row = own_consultation(uow, actor, number)
    if row.user_id != user.id:
        raise NotAllowed(N_("Only the person who asked can answer an appointment."))
    if row.status == ConsultationStatus.CLOSED.value:
        raise InvalidInput(
            N_("Consultation %(number)s is closed; open a new consultation to ask again."), number=number
        )
    found = uow.session.scalar(
        select(ConsultationAppointment).where(
            ConsultationAppointment.id == appointment_id, ConsultationAppointment.consultation_id == row.id
        )
    )
    if found is None:
        raise NotFound(N_("There is no such appointment in this consultation."))
    if found.status != AppointmentStatus.PROPOSED.value:
        raise InvalidInput(N_("This appointment was answered already or replaced by another one."))
    text = check_message(body) if not accept or body.strip() else ""
    files = attachments.checked() if attachments is not None else []
    if files and not text:
        raise InvalidField(FILES_FIELD, N_("Write a message to go with the files."))
    found.status = (AppointmentStatus.ACCEPTED if accept else AppointmentStatus.ANOTHER_TIME).value
    found.answered_at = now
    message = ConsultationMessage(author_id=user.id, from_staff=False, body=text, at=now) if text else None
    if message is not None:
        row.messages.append(message)
    row.record(
        ConsultationAction.APPOINTMENT_ACCEPTED if accept else ConsultationAction.ANOTHER_TIME, now, user.id
    )
    uow.session.flush()
    if message is not None:
        do_attach(uow, attachments, files, row, message.id, user.id, now)
    consultant = uow.session.get(User, row.consultant_id) if row.consultant_id else None
    if post is not None and consultant is not None:
        mail = appointment_answered(
            consultant.email,
            consultant.name,
            row.number,
            row.topic,
            post.desk_page(row.number),
            accepted=accept,
        )
        post.mailer.send_after_commit(uow, mail)


def appointment_ics(
    appointment: ConsultationAppointment, number: str, topic: str, link: str, now: dt.datetime
) -> str:
    """Return the iCalendar file of an appointment."""
    video = appointment.kind == AppointmentKind.VIDEO.value
    description = f"Konsultasi statistik / Statistical consultation {number}: {topic}\n{link}"
    if appointment.note:
        description += f"\n\n{appointment.note}"
    return event_ics(
        CalendarEvent(
            uid=appointment.uid,
            stamp=now,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            summary=f"Konsultasi BPS {number}",
            location=appointment.place,
            description=description,
            url=appointment.place if video else link,
        )
    )


def _checked(
    form: AppointmentDetails, rules: ConsultationRules, now: dt.datetime
) -> tuple[AppointmentKind, dt.datetime, int, str, str]:
    """Return the form's values checked, or raise every problem at once."""
    problems: list[PustakaError] = []
    kind = next((k for k in AppointmentKind if k.value == form.kind.strip()), None)
    if kind is None:
        problems.append(InvalidField("kind", N_("Choose in person or video meeting.")))
    starts = None
    try:
        day = dt.date.fromisoformat(form.day.strip())
        clock = dt.time.fromisoformat(form.time.strip())
        starts = dt.datetime.combine(day, clock.replace(tzinfo=None), office_zone(rules.calendar.timezone))
    except ValueError:
        problems.append(
            InvalidField(
                "day", N_("Write the day and time of the appointment, for example 2026-12-01 10:00.")
            )
        )
    if starts is not None and starts <= now:
        problems.append(InvalidField("day", N_("Choose a day and time still to come.")))
    minutes = int(form.minutes) if form.minutes.strip().isdigit() else 0
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        problems.append(
            InvalidField(
                "minutes",
                N_("An appointment lasts from %(low)s to %(high)s minutes."),
                low=MIN_MINUTES,
                high=MAX_MINUTES,
            )
        )
    place = clean_text(form.place).strip()
    if not place:
        problems.append(InvalidField("place", N_("Write the place, or the link of the video meeting.")))
    elif len(place) > MAX_PLACE:
        problems.append(InvalidField("place", N_("Write at most %(n)s characters."), n=MAX_PLACE))
    elif kind is AppointmentKind.VIDEO and not _URL.match(place):
        problems.append(InvalidField("place", N_("Give the video meeting's link, starting with https://.")))
    note = clean_text(form.note).strip()
    if len(note) > MAX_NOTE:
        problems.append(InvalidField("note", N_("Write at most %(n)s characters."), n=MAX_NOTE))
    if problems:
        raise problems[0] if len(problems) == 1 else InvalidFields(problems)
    assert kind is not None and starts is not None
    return kind, starts.astimezone(dt.UTC), minutes, place, note
