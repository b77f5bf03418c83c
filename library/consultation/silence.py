"""Consultations the user left silent: a reminder, then an automatic close, by a scheduled job.

The consultant waits on the user when a consultation needs clarification or is answered and
the thread's last message is the consultant's. The silence counts from that message (or from
the end of a follow-up appointment proposed or accepted, when that is later), by the
rule of the consultation's office (its service standard, loaded from `catalog_data`): calendar
days (Tulang Bawang, Lubuklinggau: 7) or working days (Sumatera Selatan: 3, counted with
holidays, cuti bersama and the office's closures). An office whose standard sets no rule (Kota
Metro) gets 7 calendar days, what the other offices' consultation standards write.

A reminder goes out first: 2 calendar days before a calendar-day close, 1 working day before
a working-day close. The close never comes sooner than a day after the reminder (when the job
could not run in time, the user still gets that day). Closing invites the user to the SKM
survey as a consultant's close does, and emails how to reopen within the grace period.

Each step is a conditional UPDATE on the consultation's status (and, for the reminder, on
when it was last reminded): two workers running the job at once send one reminder and close
once; a run after a run does nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.engine import CursorResult

from library.clock import day_in_both, moment_in_both, office_zone
from library.consultation.mail import closed_for_silence, silence_reminder
from library.consultation.outside import closed_notice, queue_outside, reminder_notice
from library.consultation.rules import ConsultationPost, ConsultationRules
from library.consultation.staff import invite_to_rate
from library.models import (
    LIVE_APPOINTMENT_STATUSES,
    Consultation,
    ConsultationAction,
    ConsultationAppointment,
    ConsultationMessage,
    ConsultationStatus,
    Office,
    ServiceKind,
    ServiceStandard,
    User,
)
from library.uow import UnitOfWork
from library.working_days import Calendar

S = ConsultationStatus
WAITING_ON_USER = (S.CLARIFICATION.value, S.ANSWERED.value)
REMIND_DAYS_BEFORE = 2  # calendar-day rules: the reminder goes this many days before the close
REMIND_WORKING_DAYS_BEFORE = 1  # working-day rules: this many working days before
MIN_NOTICE = dt.timedelta(days=1)  # the close comes at least this long after the reminder
# A message a person wrote; Pustaka's own notices (a reminder sent on WhatsApp) start no silence.
PEOPLE_WROTE = or_(ConsultationMessage.from_staff.is_(False), ConsultationMessage.author_id.is_not(None))


@dataclass(frozen=True)
class SilenceRule:
    """How long an office waits for a silent user before closing: days, calendar or working."""

    days: int = 7
    working_days: bool = False

    def closes_at(self, since: dt.datetime, calendar: Calendar) -> dt.datetime:
        """Return when a consultation silent since this moment is closed."""
        if self.working_days:
            return calendar.add_working_days(since, self.days)
        return since + dt.timedelta(days=self.days)

    def reminds_at(self, since: dt.datetime, calendar: Calendar) -> dt.datetime:
        """Return when the user of a consultation silent since this moment is reminded."""
        if self.working_days:
            return calendar.add_working_days(since, max(self.days - REMIND_WORKING_DAYS_BEFORE, 0))
        return since + dt.timedelta(days=max(self.days - REMIND_DAYS_BEFORE, 0))

    def words(self) -> tuple[str, str]:
        """Say the rule in Indonesian and in English, for the emails."""
        if self.working_days:
            return f"{self.days} hari kerja", f"{self.days} working day{'s' if self.days != 1 else ''}"
        return f"{self.days} hari", f"{self.days} day{'s' if self.days != 1 else ''}"


DEFAULT_RULE = SilenceRule()


@dataclass
class SilenceRun:
    """What one run of the job did: the numbers reminded and closed."""

    reminded: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Silent:
    """A consultation waiting on its user: since when, under which rule and calendar."""

    id: int
    last_message_id: int
    since: dt.datetime
    reminded_at: dt.datetime | None
    rule: SilenceRule
    calendar: Calendar

    @property
    def reminded(self) -> bool:
        """Tell whether the user was reminded during this silence."""
        return self.reminded_at is not None and self.reminded_at >= self.since

    def closes_at(self) -> dt.datetime:
        """Return when it closes: by the rule, and not sooner than a day after the reminder."""
        at = self.rule.closes_at(self.since, self.calendar)
        return max(at, self.reminded_at + MIN_NOTICE) if self.reminded_at and self.reminded else at


def silence_rule(uow: UnitOfWork, office_id: int) -> SilenceRule:
    """Return the office's rule for closing a silent consultation (7 calendar days when it sets none)."""
    row = uow.session.execute(
        select(ServiceStandard.inactivity_close_days, ServiceStandard.inactivity_close_working_days).where(
            ServiceStandard.office_id == office_id, ServiceStandard.kind == ServiceKind.CONSULTATION.value
        )
    ).first()
    if row is None or not row.inactivity_close_days:
        return DEFAULT_RULE
    return SilenceRule(row.inactivity_close_days, bool(row.inactivity_close_working_days))


def close_silent(
    uow: UnitOfWork, rules: ConsultationRules, now: dt.datetime, post: ConsultationPost | None = None
) -> SilenceRun:
    """Remind the users who stay silent, and close the consultations silent past their office's rule."""
    run = SilenceRun()
    for silent in _waiting_on_user(uow, rules):
        if silent.reminded and now >= silent.closes_at():
            number = _close(uow, silent, rules, now, post)
            if number:
                run.closed.append(number)
        elif not silent.reminded and now >= silent.rule.reminds_at(silent.since, silent.calendar):
            number = _remind(uow, silent, now, post)
            if number:
                run.reminded.append(number)
    return run


def silent_close_at(uow: UnitOfWork, rules: ConsultationRules, number: str) -> dt.datetime | None:
    """Return when the job will close this consultation if its user stays silent; None when it waits on staff.

    Unreminded, it closes by the rule, and never sooner than a day after the reminder still to come.
    """
    found = _waiting_on_user(uow, rules, number)
    if not found:
        return None
    silent = found[0]
    if silent.reminded:
        return silent.closes_at()
    return max(
        silent.rule.closes_at(silent.since, silent.calendar),
        silent.rule.reminds_at(silent.since, silent.calendar) + MIN_NOTICE,
    )


def _waiting_on_user(uow: UnitOfWork, rules: ConsultationRules, number: str | None = None) -> list[_Silent]:
    """Return the consultations whose status waits on the user and whose last message is the consultant's."""
    only = () if number is None else (Consultation.number == number,)
    last = (
        select(ConsultationMessage.consultation_id, func.max(ConsultationMessage.id).label("last_id"))
        .where(PEOPLE_WROTE)
        .group_by(ConsultationMessage.consultation_id)
        .subquery()
    )
    meeting = (
        select(
            ConsultationAppointment.consultation_id,
            func.max(ConsultationAppointment.ends_at).label("ends_at"),
        )
        .where(ConsultationAppointment.status.in_([s.value for s in LIVE_APPOINTMENT_STATUSES]))
        .group_by(ConsultationAppointment.consultation_id)
        .subquery()
    )
    rows = uow.session.execute(
        select(
            Consultation.id,
            Consultation.office_id,
            Consultation.reminded_at,
            ConsultationMessage.id.label("message_id"),
            ConsultationMessage.at,
            Office.code,
            Office.timezone,
            meeting.c.ends_at.label("meeting_ends_at"),
        )
        .join(last, last.c.consultation_id == Consultation.id)
        .outerjoin(meeting, meeting.c.consultation_id == Consultation.id)
        .join(ConsultationMessage, ConsultationMessage.id == last.c.last_id)
        .join(Office, Office.id == Consultation.office_id)
        .where(Consultation.status.in_(WAITING_ON_USER), ConsultationMessage.from_staff.is_(True), *only)
        .order_by(Consultation.id)
    ).all()
    office_rules: dict[int, SilenceRule] = {}
    found = []
    for row in rows:
        if row.office_id not in office_rules:
            office_rules[row.office_id] = silence_rule(uow, row.office_id)
        closures = rules.calendar.closures if row.code == rules.office_code else frozenset()
        found.append(
            _Silent(
                id=row.id,
                last_message_id=row.message_id,
                since=_silent_since(row.at, row.meeting_ends_at),
                reminded_at=row.reminded_at,
                rule=office_rules[row.office_id],
                calendar=Calendar.of(row.timezone, closures),
            )
        )
    return found


def _silent_since(message_at: dt.datetime, meeting_ends_at: dt.datetime | None) -> dt.datetime:
    """Return when the silence starts: at the consultant's last message, or after the appointment it set."""
    if meeting_ends_at is None:
        return message_at
    if meeting_ends_at.tzinfo is None:  # a MAX() over the column comes back as the database stores it
        meeting_ends_at = meeting_ends_at.replace(tzinfo=dt.UTC)
    return max(message_at, meeting_ends_at)


def _still_silent(silent: _Silent):  # noqa: ANN202 - an SQL condition
    """Return the condition that the consultation still waits on its user, as when it was read."""
    newer = exists().where(
        ConsultationMessage.consultation_id == Consultation.id,
        ConsultationMessage.id > silent.last_message_id,
        PEOPLE_WROTE,
    )
    return and_(Consultation.id == silent.id, Consultation.status.in_(WAITING_ON_USER), ~newer)


def _remind(uow: UnitOfWork, silent: _Silent, now: dt.datetime, post: ConsultationPost | None) -> str | None:
    """Remind the user once for this silence; return the number, or None when another run did."""
    changed = uow.session.execute(
        update(Consultation)
        .where(
            _still_silent(silent),
            or_(Consultation.reminded_at.is_(None), Consultation.reminded_at < silent.since),
        )
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    if not isinstance(changed, CursorResult) or changed.rowcount != 1:
        return None
    row = uow.session.get(Consultation, silent.id, populate_existing=True)
    assert row is not None  # just updated
    closes = max(silent.rule.closes_at(silent.since, silent.calendar), now + MIN_NOTICE)
    row.record(ConsultationAction.REMINDED, now, None)
    uow.session.flush()
    when = moment_in_both(closes, office_zone(silent.calendar.timezone))
    queue_outside(uow, row, reminder_notice(row, when), now, None, post)
    user = uow.session.get(User, row.user_id) if row.user_id is not None else None
    if post is not None and user is not None:
        mail = silence_reminder(
            user.email,
            user.name,
            row.number,
            row.topic,
            post.user_page(row.number),
            when,
            silent.rule.words(),
        )
        post.mailer.send_after_commit(uow, mail)
    return row.number


def _close(
    uow: UnitOfWork,
    silent: _Silent,
    rules: ConsultationRules,
    now: dt.datetime,
    post: ConsultationPost | None,
) -> str | None:
    """Close the consultation once; invite to the SKM and email the user; None when another run did."""
    changed = uow.session.execute(
        update(Consultation)
        .where(_still_silent(silent))
        .values(status=S.CLOSED.value, closed_at=now)
        .execution_options(synchronize_session=False)
    )
    if not isinstance(changed, CursorResult) or changed.rowcount != 1:
        return None
    row = uow.session.get(Consultation, silent.id, populate_existing=True)
    assert row is not None  # just updated
    english, indonesian = silent.rule.words()[1], silent.rule.words()[0]
    row.record(ConsultationAction.CLOSED_SILENT, now, None, note=f"{indonesian} / {english}")
    token = invite_to_rate(uow, row, now)
    uow.session.flush()
    if post is not None:
        queue_outside(uow, row, closed_notice(row, post.survey_page(token)), now, None, post)
    user = uow.session.get(User, row.user_id) if row.user_id is not None else None
    if post is not None and user is not None:
        zone = office_zone(silent.calendar.timezone)
        until = (
            day_in_both((now + dt.timedelta(days=rules.reopen_days)).astimezone(zone).date())
            if rules.reopen_days
            else ("", "")
        )
        mail = closed_for_silence(
            user.email,
            user.name,
            row.number,
            row.topic,
            post.user_page(row.number),
            post.survey_page(token),
            until,
        )
        post.mailer.send_after_commit(uow, mail)
    return row.number
