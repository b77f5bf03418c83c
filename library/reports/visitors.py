"""The visitors section: guest-book visits by hour, weekday and month, and by the guest book's answers.

A visit is one guest-book entry (`Visit`) of the office whose office day of arrival is in the
period, whatever services it queued for: the guest book has no cancelled entries, and asks
before taking the same name twice within minutes, so every entry counts once. The hour is
the arrival's wall-clock hour in the office's time zone (a visitor at 23:30 WIB arrived in
the hour 23:00 of that WIB day); the weekday and month are those of the office day. Every
category is a row even when nobody answered it (0), so the tables keep their shape from one
period to the next; the answers' tables sum to the visits, the services' table counts a
visit once per service it chose at the guest book (not the tickets a transfer made).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from babel.dates import format_date
from sqlalchemy import Row, select

from library.clock import office_zone
from library.frontoffice.categories import AGE_BANDS, EDUCATIONS, OCCUPATIONS, SEXES, Category
from library.i18n import N_
from library.models import QueueService, Ticket, Visit
from library.reports.scope import Scope
from library.reports.tables import Cell, Chart, Column, Kind, Label, Section, Table
from library.uow import UnitOfWork

NOT_RECORDED = Label("not_recorded", N_("Not recorded"))  # an answer no longer among the categories
A_MONDAY = dt.date(2024, 1, 1)
VISITS = Column("visits", N_("Visits"), Kind.COUNT)
SHARE = Column("share_percent", N_("Share of visits (%)"), Kind.PERCENT)
EMPTY = N_("No visits in this period.")
# The answers tabled: the visit's field, the table's key, its title, its column heading, its categories.
ANSWERS: tuple[tuple[str, str, str, str, tuple[Category, ...]], ...] = (
    ("education", "visitors_education", N_("Visits by education"), N_("Education"), EDUCATIONS),
    ("occupation", "visitors_occupation", N_("Visits by occupation"), N_("Occupation"), OCCUPATIONS),
    ("age_band", "visitors_age_band", N_("Visits by age group"), N_("Age group"), AGE_BANDS),
    ("sex", "visitors_sex", N_("Visits by sex"), N_("Sex"), SEXES),
)
Counted = list[tuple[Label | str, int]]
Visited = Row[dt.date, dt.datetime, str, str, str, str]  # day, arrival and the answers tabled


def visitors_section(uow: UnitOfWork, scope: Scope) -> Section:
    """Return the period's guest-book visits by hour, weekday, month, service asked for and answer."""
    visits = uow.session.execute(
        select(
            Visit.day, Visit.arrived_at, Visit.education, Visit.occupation, Visit.age_band, Visit.sex
        ).where(
            Visit.office_id == scope.office_id, Visit.day >= scope.period.start, Visit.day <= scope.period.end
        )
    ).all()
    tables = _tables(uow, scope, visits)
    return Section(
        key="visitors",
        title=N_("Visitors"),
        note=N_(
            "A visit is one entry of the guest book whose day of arrival at the office is in the period, "
            "whatever services it queued for; the guest book has no cancelled entries and asks before "
            "taking the same name twice within minutes. Hours, days and months are the office's, in its "
            "time zone (named at the top of the report): a visitor who arrived at 23:30 is counted in the "
            "hour 23:00 of that day. Every hour, day, month and answer is listed, with 0 when nobody "
            "came or chose it. Each table except the services' adds up to the visits; there a visit "
            "counts once for each service it chose at the guest book, so the walk-in tables' visits "
            "are these plus the tickets of transfers."
        ),
        tables=tuple(tables),
        charts=tuple(  # a period with no visits has only zeros to draw: its tables say so
            Chart(
                f"{t.key}_chart",
                t.title,
                table=t.key,
                label_column=t.columns[0].key,
                value_column="visits",
                maximum=None,
            )
            for t in tables
            if visits
        ),
    )


def _tables(uow: UnitOfWork, scope: Scope, visits: Sequence[Visited]) -> list[Table]:
    """Return the section's tables: by hour, weekday, month, service asked for, then each answer."""
    zone = office_zone(scope.timezone)
    tables = [
        _table(
            "visitors_hour",
            N_("Visits by hour of arrival"),
            Column("hour", N_("Hour"), Kind.TEXT),
            _by_hour([v.arrived_at.astimezone(zone).hour for v in visits]),
        ),
        _table(
            "visitors_weekday",
            N_("Visits by day of the week"),
            Column("weekday", N_("Day of the week"), Kind.LABEL),
            _by_weekday([v.day for v in visits]),
        ),
        _table(
            "visitors_month",
            N_("Visits by month"),
            Column("month", N_("Month"), Kind.LABEL),
            _by_month(scope, [v.day for v in visits]),
        ),
        _table(
            "visitors_service",
            N_("Visits by service asked for"),
            Column("service", N_("Service"), Kind.LABEL),
            _by_service(uow, scope),
            share=False,
        ),
    ]
    for field, key, title, heading, categories in ANSWERS:
        answers: list[str] = [getattr(v, field) for v in visits]
        tables.append(_table(key, title, Column(field, heading, Kind.LABEL), _by_answer(categories, answers)))
    return tables


def _table(key: str, title: str, named: Column, counted: Counted, *, share: bool = True) -> Table:
    """Return a table of visits per name, with each one's share of all of them when asked."""
    total = sum(count for _, count in counted)
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (name, count, round(100 * count / total, 1) if total else None) if share else (name, count)
        for name, count in counted
    )
    return Table(key, title, (named, VISITS, SHARE) if share else (named, VISITS), rows, EMPTY)


def _by_hour(hours: Sequence[int]) -> Counted:
    """Return the visits of each hour of the day, 00:00 to 23:00."""
    counts = Counter(hours)
    return [(f"{hour:02d}:00", counts[hour]) for hour in range(24)]


def _by_weekday(days: Sequence[dt.date]) -> Counted:
    """Return the visits of each day of the week, Monday first."""
    counts = Counter(day.weekday() for day in days)
    rows: Counted = []
    for weekday in range(7):
        day = A_MONDAY + dt.timedelta(days=weekday)
        name = Label(
            format_date(day, "EEEE", locale="en").lower(),
            indonesian=format_date(day, "EEEE", locale="id"),
            english=format_date(day, "EEEE", locale="en"),
        )
        rows.append((name, counts[weekday]))
    return rows


def _by_month(scope: Scope, days: Sequence[dt.date]) -> Counted:
    """Return the visits of each calendar month the period touches, in order."""
    counts = Counter(day.replace(day=1) for day in days)
    rows: Counted = []
    month = scope.period.start.replace(day=1)
    while month <= scope.period.end:
        name = Label(
            f"{month:%Y-%m}",
            indonesian=format_date(month, "LLLL y", locale="id"),
            english=format_date(month, "LLLL y", locale="en"),
        )
        rows.append((name, counts[month]))
        month = (month + dt.timedelta(days=31)).replace(day=1)
    return rows


def _by_answer(categories: Sequence[Category], answers: Sequence[str]) -> Counted:
    """Return the visits of each category of an answer, in the form's order, then any not recorded."""
    counts = Counter(answers)
    rows: Counted = [(Label(c.code, c.label), counts.pop(c.code, 0)) for c in categories]
    return [*rows, (NOT_RECORDED, sum(counts.values()))]


def _by_service(uow: UnitOfWork, scope: Scope) -> Counted:
    """Return, for each of the office's queues, the period's visits that chose it at the guest book."""
    moved_here = select(Ticket.transferred_to_id).where(Ticket.transferred_to_id.is_not(None))
    chosen = uow.session.execute(
        select(Ticket.service_id, Ticket.visit_id)
        .join(Visit, Visit.id == Ticket.visit_id)
        .where(
            Visit.office_id == scope.office_id,
            Visit.day >= scope.period.start,
            Visit.day <= scope.period.end,
            Ticket.id.not_in(moved_here),
        )
    ).all()
    visits = Counter(service for service, _ in set(chosen))
    queues = uow.session.scalars(
        select(QueueService).where(QueueService.office_id == scope.office_id).order_by(QueueService.position)
    )
    return [(Label(q.code, indonesian=q.name, english=q.name_en or q.name), visits[q.id]) for q in queues]
