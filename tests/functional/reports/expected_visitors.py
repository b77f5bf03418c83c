"""The visitors' tables computed from the month's guest-book entries, with the test's own arithmetic."""

from __future__ import annotations

from collections import Counter

from library.frontoffice.categories import AGE_BANDS, EDUCATIONS, OCCUPATIONS, SEXES
from tests.functional.reports.month import FIRST, LAST, TARGETS, WIB
from tests.functional.reports.month_records import Month

Row = dict[str, object]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def percent(part: int, whole: int) -> float | None:
    """Return a share in percent, one decimal."""
    return round(100 * part / whole, 1) if whole else None


def visitors(month: Month) -> dict[str, list[Row]]:
    """Return the visitors' tables: guest-book entries of November by WIB hour, weekday and answer."""
    guests = [g for g in month.guests if FIRST <= g.day <= LAST]
    total = len(guests)

    def rows(column: str, counted: list[tuple[str, int]]) -> list[Row]:
        return [{column: name, "visits": n, "share_percent": percent(n, total)} for name, n in counted]

    def answers(field: str, codes: list[str]) -> list[Row]:
        given = Counter(getattr(g, field) for g in guests)
        return rows(
            field, [*((c, given[c]) for c in codes), ("not_recorded", total - sum(given[c] for c in codes))]
        )

    hours = Counter(g.arrived.astimezone(WIB).hour for g in guests)
    weekdays = Counter(g.day.weekday() for g in guests)
    chose = Counter(g.service for g in guests)
    return {
        "visitors_hour": rows("hour", [(f"{h:02d}:00", hours[h]) for h in range(24)]),
        "visitors_weekday": rows("weekday", [(name, weekdays[n]) for n, name in enumerate(WEEKDAYS)]),
        "visitors_month": rows("month", [("2026-11", total)]),
        "visitors_service": [{"service": s, "visits": chose[s]} for s in TARGETS],
        "visitors_education": answers("education", [c.code for c in EDUCATIONS]),
        "visitors_occupation": answers("occupation", [c.code for c in OCCUPATIONS]),
        "visitors_age_band": answers("age_band", [c.code for c in AGE_BANDS]),
        "visitors_sex": answers("sex", [c.code for c in SEXES]),
    }
