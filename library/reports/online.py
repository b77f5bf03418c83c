"""The online requests section: softcopy requests answered within their target of working days.

Counted: the office's softcopy requests made in the period, online or at a library terminal.
A request is answered when its copy is ready or a librarian refused it; it is within target
when that happened by its due moment (set when it was made: working days from the office's
calendar, weekends, holidays and closures not counted). A breach is a request answered late,
or still unanswered past its due moment now.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence

from sqlalchemy import select

from library.i18n import N_
from library.models import RequestStatus, ServiceKind, SoftcopyRequest
from library.models.labels import label
from library.reports.scope import Scope
from library.reports.tables import Cell, Chart, Column, Kind, Label, Section, Table
from library.uow import UnitOfWork

SERVICES = (
    Column("service", N_("Service"), Kind.LABEL),
    Column("target_working_days", N_("Target (working days)"), Kind.COUNT),
    Column("requests", N_("Requests"), Kind.COUNT),
    Column("at_terminal", N_("At a library terminal"), Kind.COUNT),
    Column("answered", N_("Answered"), Kind.COUNT),
    Column("within_target", N_("Within target"), Kind.COUNT),
    Column("within_target_percent", N_("Within target (%)"), Kind.PERCENT),
    Column("open", N_("Not answered yet"), Kind.COUNT),
    Column("median_hours", N_("Median time to answer (hours)"), Kind.HOURS),
    Column("p90_hours", N_("90th percentile time to answer (hours)"), Kind.HOURS),
    Column("breaches", N_("Breaches"), Kind.COUNT),
)
BREACHES = (
    Column("submitted", N_("Asked on"), Kind.DATE),
    Column("number", N_("Request"), Kind.TEXT),
    Column("due", N_("Due on"), Kind.DATE),
    Column("answered_on", N_("Answered on"), Kind.DATE),
    Column("status", N_("Status"), Kind.LABEL),
    Column("reason", N_("Reason recorded"), Kind.TEXT),
)


def online_section(uow: UnitOfWork, scope: Scope) -> Section:
    """Return the period's softcopy requests against their target, and each one answered late."""
    requests = uow.session.scalars(
        select(SoftcopyRequest)
        .where(
            SoftcopyRequest.office_code == scope.office_code,
            SoftcopyRequest.submitted_at >= scope.starts_at,
            SoftcopyRequest.submitted_at < scope.ends_before,
        )
        .order_by(SoftcopyRequest.submitted_at, SoftcopyRequest.id)
    ).all()
    breaches = tuple(
        _breach_row(scope, request, answered)
        for request in requests
        if _breached(scope, request, answered := answered_at(request))
    )
    return Section(
        key="online",
        title=N_("Softcopy requests"),
        note=N_(
            "Requests made in the period, online or at a library terminal. A request is answered "
            "when its copy is ready or a librarian refused it, and within target when that happened "
            "by its due time, counted in the office's working days. A breach is a request answered "
            "late, or still unanswered past its due time."
        ),
        tables=(
            Table(
                "online",
                N_("Requests and answers"),
                SERVICES,
                (_answers(scope, requests, breaches),),
                N_("No requests."),
            ),
            Table(
                "online_breaches",
                N_("Requests answered late or overdue"),
                BREACHES,
                breaches,
                N_("No request was late in this period."),
            ),
        ),
        charts=(
            Chart(
                "online_within_target",
                N_("Requests answered within the target (%)"),
                table="online",
                label_column="service",
                value_column="within_target_percent",
                maximum=100.0,
            ),
        ),
    )


def _answers(
    scope: Scope, requests: Sequence[SoftcopyRequest], breaches: tuple[tuple[Cell, ...], ...]
) -> tuple[Cell, ...]:
    """Return the row of how many requests were answered, how many within target, and how soon."""
    hours: list[float] = []
    within = 0
    for request in requests:
        answered = answered_at(request)
        if answered is not None:
            hours.append((answered - request.submitted_at).total_seconds() / 3600)
            within += answered <= request.due_at
    return (
        scope.service(ServiceKind.LIBRARY),
        scope.rules.online_working_days,
        len(requests),
        sum(1 for r in requests if r.visit_id is not None),
        len(hours),
        within,
        round(100 * within / len(hours), 1) if hours else None,
        len(requests) - len(hours),
        round(statistics.median(hours), 1) if hours else None,
        percentile(hours, 90),
        len(breaches),
    )


def _breached(scope: Scope, request: SoftcopyRequest, answered: dt.datetime | None) -> bool:
    """Tell whether a request was answered late, or is still unanswered past its due moment now."""
    return (answered is None and request.due_at < scope.now) or (
        answered is not None and answered > request.due_at
    )


def answered_at(request: SoftcopyRequest) -> dt.datetime | None:
    """Return when a request was answered: its copy ready, or its refusal; None while it is neither."""
    if request.status == RequestStatus.READY:
        return request.ready_at
    if request.status == RequestStatus.REFUSED:
        return request.decided_at
    return None


def percentile(values: list[float], percent: int) -> float | None:
    """Return the nearest-rank percentile of the values to one decimal, or None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-percent * len(ordered) // 100))  # ceil(p * n / 100)
    return round(ordered[rank - 1], 1)


def _breach_row(scope: Scope, request: SoftcopyRequest, answered: dt.datetime | None) -> tuple[Cell, ...]:
    """Return one late request's row."""
    status = RequestStatus(request.status)
    return (
        scope.local_day(request.submitted_at),
        request.number,
        scope.local_day(request.due_at),
        scope.local_day(answered) if answered else None,
        Label(status.value, message=label(status)),
        request.refusal_reason or request.failure_reason or None,
    )
