"""An embargo ends on its date; other access levels hold as set."""

from __future__ import annotations

import datetime as dt

import pytest

from library.models import AccessLevel, Publication


@pytest.mark.parametrize(
    ("level", "until", "today", "expected"),
    [
        ("embargoed", dt.date(2027, 1, 15), dt.date(2027, 1, 14), AccessLevel.EMBARGOED),
        ("embargoed", dt.date(2027, 1, 15), dt.date(2027, 1, 15), AccessLevel.OPEN),
        ("restricted", None, dt.date(2030, 1, 1), AccessLevel.RESTRICTED),
        ("open", None, dt.date(2020, 1, 1), AccessLevel.OPEN),
    ],
)
def test_effective_access_follows_the_embargo_date(
    level: str, until: dt.date | None, today: dt.date, expected: AccessLevel
) -> None:
    publication = Publication(access_level=level, embargo_until=until)
    assert publication.effective_access(today) is expected


def test_the_year_is_the_actual_release_else_the_scheduled_one() -> None:
    assert Publication(scheduled_release=dt.date(2024, 2, 28)).year == 2024
    assert (
        Publication(scheduled_release=dt.date(2024, 12, 28), actual_release=dt.date(2025, 1, 3)).year == 2025
    )
    assert Publication().year is None
