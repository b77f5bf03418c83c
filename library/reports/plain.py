"""The report as plain JSON values for scripts: codes for names, numbers as numbers, ISO dates.

Every table is a list of rows keyed by column; a named thing (a service, a channel, an
element, a grade, a status) is its code, so a script reads the same keys whatever the
language of the office. Nothing to measure is null.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from library.reports.report import QualityReport
from library.reports.tables import Cell, Label, Table

JsonValue = str | int | float | None


def plain_cell(value: Cell) -> JsonValue:
    """Return a cell as a JSON value."""
    if isinstance(value, Label):
        return value.code
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def plain_table(table: Table) -> list[dict[str, JsonValue]]:
    """Return a table's rows as objects keyed by column."""
    keys = [column.key for column in table.columns]
    return [dict(zip(keys, (plain_cell(v) for v in row), strict=True)) for row in table.rows]


def plain_report(report: QualityReport) -> dict[str, object]:
    """Return the whole report as JSON values: its office, period and each section's tables."""
    return {
        "office": {"code": report.office_code, "name": report.office_name, "timezone": report.timezone},
        "period": {
            "kind": report.period.kind.value,
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
            "days": report.period.days,
            "working_days": report.working_days,
        },
        "generated_at": report.generated_at.isoformat(),
        "sections": {
            section.key: {table.key: plain_table(table) for table in section.tables}
            for section in report.sections
        },
    }
