"""The complaints section: the period's complaints by status and SKM element, and the time to answer.

Counted: the office's complaints received in the period, whatever the channel (the web form,
the box at the PST, email, WhatsApp). A complaint is answered when staff gave the answer;
it is within target when that happened within `ANSWER_WORKING_DAYS` working days of
receiving it (the office's calendar: weekends, holidays and closures not counted). No service
standard in the seeds names a time for answering complaints, so the target is five working
days. The status is the one each complaint has now.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import select

from library.i18n import N_
from library.models import ELEMENT_CODES, Complaint, ComplaintStatus
from library.models.labels import label
from library.quality.complaints.records import ANSWER_WORKING_DAYS
from library.quality.elements import BY_CODE
from library.reports.scope import Scope
from library.reports.tables import Cell, Chart, Column, Kind, Label, Section, Table
from library.uow import UnitOfWork

NOT_CLASSIFIED = Label("none", message=N_("Not classified yet"))
BY_STATUS = (
    Column("complaint_status", N_("Status"), Kind.LABEL),
    Column("complaints", N_("Complaints"), Kind.COUNT),
)
BY_ELEMENT = (
    Column("skm_element", N_("SKM element"), Kind.LABEL),
    Column("complaints", N_("Complaints"), Kind.COUNT),
)
ANSWERS = (
    Column("received", N_("Received"), Kind.COUNT),
    Column("answered", N_("Answered"), Kind.COUNT),
    Column("target_working_days", N_("Target (working days)"), Kind.COUNT),
    Column("within_target", N_("Within target"), Kind.COUNT),
    Column("within_target_percent", N_("Within target (%)"), Kind.PERCENT),
    Column("median_hours", N_("Median time to answer (hours)"), Kind.HOURS),
    Column("open", N_("Not answered yet"), Kind.COUNT),
)


def complaints_section(uow: UnitOfWork, scope: Scope) -> Section:
    """Return the period's complaints by status and by element, and how soon they were answered."""
    rows = uow.session.scalars(
        select(Complaint).where(
            Complaint.office_id == scope.office_id,
            Complaint.received_at >= scope.starts_at,
            Complaint.received_at < scope.ends_before,
        )
    ).all()
    return Section(
        key="complaints",
        title=N_("Complaints"),
        note=N_(
            "Complaints received in the period, through every channel, with the status each has now. "
            "A complaint is within target when it was answered within the target of working days "
            "shown, counted from when it was received (no service standard names a time for "
            "complaints: the office holds itself to five working days)."
        ),
        tables=(_by_status(rows), _by_element(rows), _answers(rows, scope)),
        charts=(
            Chart(
                "complaints_by_element",
                N_("Complaints per SKM element"),
                table="complaints_by_element",
                label_column="skm_element",
                value_column="complaints",
                maximum=None,
            ),
        ),
    )


# Every status and element once there are complaints; none (and no chart) in a quiet period.
def _by_status(rows: Sequence[Complaint]) -> Table:
    """Return the table of the complaints by the status each has now."""
    statuses = Counter(row.status for row in rows)
    by_status = tuple((Label(s.value, message=label(s)), statuses[s.value]) for s in ComplaintStatus if rows)
    return Table(
        "complaints_by_status", N_("Complaints by status"), BY_STATUS, by_status, N_("No complaints.")
    )


def _by_element(rows: Sequence[Complaint]) -> Table:
    """Return the table of the complaints by SKM element, those not classified yet last."""
    elements = Counter(row.element or NOT_CLASSIFIED.code for row in rows)
    by_element: tuple[tuple[Cell, ...], ...] = tuple(
        (Label(code, message=BY_CODE[code].name), elements[code]) for code in ELEMENT_CODES if rows
    ) + (((NOT_CLASSIFIED, elements[NOT_CLASSIFIED.code]),) if rows else ())
    return Table(
        "complaints_by_element", N_("Complaints by SKM element"), BY_ELEMENT, by_element, N_("No complaints.")
    )


def _answers(rows: Sequence[Complaint], scope: Scope) -> Table:
    """Return the table of how many complaints were answered, how many within target, and how soon."""
    hours: list[float] = []
    within = 0
    for row in rows:
        if row.answered_at is None:
            continue
        hours.append((row.answered_at - row.received_at).total_seconds() / 3600)
        within += row.answered_at <= scope.rules.calendar.add_working_days(
            row.received_at, ANSWER_WORKING_DAYS
        )
    answers: tuple[Cell, ...] = (
        len(rows),
        len(hours),
        ANSWER_WORKING_DAYS,
        within,
        round(100 * within / len(hours), 1) if hours else None,
        round(statistics.median(hours), 1) if hours else None,
        len(rows) - len(hours),
    )
    return Table(
        "complaints_answers", N_("Time to answer complaints"), ANSWERS, (answers,), N_("No complaints.")
    )
