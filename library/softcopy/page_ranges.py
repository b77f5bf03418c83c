"""Page ranges as people write them ("1-5, 9, 12–14"), checked against a publication."""

from __future__ import annotations

import re

from library.errors import InvalidField, InvalidFields, PustakaError
from library.i18n import N_
from library.text import format_page_ranges  # written short the same way in the ledger

MAX_RANGES = 50
MAX_WRITTEN = 200  # the stored form, ', ' between ranges included
_RANGE = re.compile(r"^(\d{1,6})(?:\s*[-\u2013\u2014]\s*(\d{1,6}))?$")


def parse_page_ranges(text: str, page_count: int, field: str = "pages") -> tuple[str, tuple[int, ...]]:
    """Return the ranges written tidily and the sorted pages they name; refuse all bad parts at once."""
    parts = [p.strip() for p in re.split(r"[,;]", text or "") if p.strip()]
    if not parts:
        raise InvalidField(field, N_("Write the pages you want, for example 1-5, 9."))
    if len(parts) > MAX_RANGES:
        raise InvalidField(field, N_("Write at most %(max)s page ranges."), max=MAX_RANGES)
    pages: set[int] = set()
    problems: list[PustakaError] = []
    for part in parts:
        try:
            pages.update(_pages_of(part, page_count, field))
        except InvalidField as problem:
            problems.append(problem)
    if problems:
        raise problems[0] if len(problems) == 1 else InvalidFields(problems)
    ordered = tuple(sorted(pages))
    tidy = format_page_ranges(ordered)
    if len(tidy) > MAX_WRITTEN:
        raise InvalidField(field, N_("Too many separate pages; join them into fewer ranges such as 10-40."))
    return tidy, ordered


def _pages_of(part: str, page_count: int, field: str) -> range:
    """Return the pages one written part names, or refuse it saying why."""
    match = _RANGE.match(part)
    if match is None:
        raise InvalidField(field, N_("'%(part)s' is not a page or a range such as 3-7."), part=part)
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if first > last:
        raise InvalidField(field, N_("In '%(part)s' the first page comes after the last."), part=part)
    if first < 1 or last > page_count:
        raise InvalidField(
            field,
            N_("This publication has pages 1 to %(count)s; '%(part)s' is outside them."),
            count=page_count,
            part=part,
        )
    return range(first, last + 1)
