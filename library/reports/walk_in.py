"""The walk-in section: visits per service, served within the standard's target, waits, breaches.

The figures are the walk-in service report's (`library.frontoffice.service_report`), on each
standard's own clock; this module lays them out as the report's tables.
"""

from __future__ import annotations

from library.frontoffice.report import ServiceReport, service_report
from library.i18n import N_
from library.reports.scope import Scope
from library.reports.tables import Cell, Chart, Column, Kind, Label, Section, Table
from library.uow import UnitOfWork

SERVICES = (
    Column("service", N_("Service"), Kind.LABEL),
    Column("target_minutes", N_("Target (minutes)"), Kind.COUNT),
    Column("visits", N_("Visits"), Kind.COUNT),
    Column("served", N_("Served"), Kind.COUNT),
    Column("within_target", N_("Within target"), Kind.COUNT),
    Column("within_target_percent", N_("Within target (%)"), Kind.PERCENT),
    Column("not_served", N_("Not served"), Kind.COUNT),
    Column("transferred", N_("Transferred"), Kind.COUNT),
    Column("median_wait_minutes", N_("Median wait (minutes)"), Kind.MINUTES),
    Column("p90_wait_minutes", N_("90th percentile wait (minutes)"), Kind.MINUTES),
    Column("breaches", N_("Breaches"), Kind.COUNT),
)
BREACHES = (
    Column("day", N_("Day"), Kind.DATE),
    Column("service", N_("Service"), Kind.LABEL),
    Column("ticket", N_("Ticket"), Kind.TEXT),
    Column("waited_minutes", N_("Waited (minutes)"), Kind.MINUTES),
    Column("reason", N_("Reason given"), Kind.TEXT),
)


def walk_in_section(uow: UnitOfWork, scope: Scope) -> Section:
    """Return the walk-in figures of the period per service, and each breach with its reason."""
    report = service_report(uow, scope.office_code, scope.period.start, scope.period.end)
    return Section(
        key="walk_in",
        title=N_("Walk-in service"),
        note=N_(
            "Visits are the queue tickets taken at the guest book. Each visit is counted once as served, "
            "not served (did not come, or still waiting at the close) or transferred to another service, "
            "where it counts as a visit too: visits = served + not served + transferred. Each wait of a "
            "visitor served is measured on the service standard's own clock: the library's from the guest "
            "book, consultation's from the end of the previous visitor's service. A breach is a service "
            "started after its target. Priority visitors (the elderly, people with disabilities, pregnant "
            "women, visitors with a small child) are counted again on their own, under the same targets: "
            "each of their figures is part of the service's."
        ),
        tables=(
            Table(
                "walk_in",
                N_("Visits and waits per service"),
                SERVICES,
                _service_rows(report),
                N_("No services."),
            ),
            Table(
                "walk_in_priority",
                N_("Priority visitors per service"),
                SERVICES,
                _service_rows(report, priority=True),
                N_("No services."),
            ),
            Table(
                "walk_in_breaches",
                N_("Breaches and the reasons staff gave"),
                BREACHES,
                _breach_rows(report),
                N_("No breaches in this period."),
            ),
        ),
        charts=(
            Chart(
                "walk_in_within_target",
                N_("Visitors served within the target (%)"),
                table="walk_in",
                label_column="service",
                value_column="within_target_percent",
                maximum=100.0,
            ),
        ),
    )


def _name(code: str, name: str, name_en: str) -> Label:
    return Label(code, indonesian=name, english=name_en or name)


def _service_rows(report: ServiceReport, *, priority: bool = False) -> tuple[tuple[Cell, ...], ...]:
    """Return one row per walk-in service (its priority tickets alone, if asked)."""
    return tuple(
        (
            _name(f.code, f.name, f.name_en),
            f.target_minutes,
            f.visits,
            f.served,
            f.within_target,
            f.within_target_percent,
            f.not_served,
            f.transferred,
            f.median_wait_minutes,
            f.p90_wait_minutes,
            len(f.breaches),
        )
        for f in (report.priority if priority else report.services)
    )


def _breach_rows(report: ServiceReport) -> tuple[tuple[Cell, ...], ...]:
    """Return every breach of the period, by day and then by service."""
    rows = [
        (b.day, _name(f.code, f.name, f.name_en), b.code, b.waited_minutes, b.reason or None)
        for f in report.services
        for b in f.breaches
    ]
    return tuple(sorted(rows, key=lambda row: (row[0], row[2])))
