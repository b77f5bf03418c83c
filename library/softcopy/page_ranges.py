"""Page ranges as people write them ("1-5, 9, 12–14"), checked against a publication."""

from __future__ import annotations

import re

from library.errors import InvalidField
from library.i18n import N_
from library.text import format_page_ranges  # written short the same way in the ledger

MAX_RANGES = 50
MAX_WRITTEN = 200  # the stored form, ', ' between ranges included
_RANGE = re.compile(r"^(\d{1,6})(?:\s*[-\u2013\u2014]\s*(\d{1,6}))?$")


def parse_page_ranges(text: str, page_count: int, field: str = "pages") -> tuple[str, tuple[int, ...]]:
    """Return the ranges written tidily and the sorted page numbers they name."""
    parts = [p.strip() for p in re.split(r"[,;]", text or "") if p.strip()]
    if not parts:
        raise InvalidField(field, N_("Write the pages you want, for example 1-5, 9."))
    if len(parts) > MAX_RANGES:
        raise InvalidField(field, N_("Write at most %(max)s page ranges."), max=MAX_RANGES)
    pages: set[int] = set()
    for part in parts:
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
        pages.update(range(first, last + 1))
    ordered = tuple(sorted(pages))
    tidy = format_page_ranges(ordered)
    if len(tidy) > MAX_WRITTEN:
        raise InvalidField(field, N_("Too many separate pages; join them into fewer ranges such as 10-40."))
    return tidy, ordered
