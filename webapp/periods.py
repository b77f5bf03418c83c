"""The period a report page shows, as its address names it: `periode`, `tanggal`, `dari`, `sampai`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask import request
from flask_babel import gettext as _

from library.errors import InvalidField, InvalidInput
from library.i18n import N_
from library.reports.periods import Period, PeriodKind, period_of, range_period
from webapp.current_runtime import current_runtime

KINDS = {  # the address's words for the kinds of period
    "hari": PeriodKind.DAY,
    "bulan": PeriodKind.MONTH,
    "triwulan": PeriodKind.QUARTER,
    "tahun": PeriodKind.YEAR,
    "rentang": PeriodKind.RANGE,
}
WORDS = {kind: word for word, kind in KINDS.items()}
PERIOD_ARGS = ("periode", "tanggal", "dari", "sampai")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Choice:
    """The period as the form shows it: its kind's word and the dates typed."""

    kind: str
    day: str
    start: str
    end: str


def chosen() -> Choice:
    """Return the period as the address gives it (a month holding today when it gives none)."""
    args = request.args
    return Choice(
        kind=args.get("periode", "bulan").strip(),
        day=args.get("tanggal", "").strip()[:10],
        start=args.get("dari", "").strip()[:10],
        end=args.get("sampai", "").strip()[:10],
    )


def period_chosen(choice: Choice) -> Period:
    """Return the period chosen; refuse a kind or a date that cannot be read, naming its field."""
    kind = KINDS.get(choice.kind)
    if kind is None:
        raise InvalidField("periode", N_("Choose a day, a month, a quarter, a year or a range of days."))
    if kind is PeriodKind.RANGE:
        return range_period(_day(choice.start, "dari"), _day(choice.end, "sampai"))
    day = _day(choice.day, "tanggal") if choice.day else current_runtime().today()
    return period_of(kind, day)


def _day(text: str, field: str) -> dt.date:
    """Return a date typed as YYYY-MM-DD, between the years 1900 and 2999."""
    if not text:
        raise InvalidField(field, N_("Give the first and the last day of the range."))
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidField(field, N_("Write the date as YYYY-MM-DD, for example 2026-11-30.")) from None
    if not 1900 <= day.year <= 2999:
        raise InvalidField(field, N_("Write a date between the years 1900 and 2999."))
    return day


def period_args(period: Period) -> dict[str, str]:
    """Return the address arguments that name a period (for its downloads and links)."""
    if period.kind is PeriodKind.RANGE:
        return {
            "periode": WORDS[period.kind],
            "dari": period.start.isoformat(),
            "sampai": period.end.isoformat(),
        }
    return {"periode": WORDS[period.kind], "tanggal": period.start.isoformat()}


def around(period: Period) -> dict[str, dict[str, str]]:
    """Return the arguments of the periods before and after this one."""
    around = {}
    for name, step in (("previous", period.previous), ("next", period.next)):
        try:
            around[name] = period_args(step())
        except (InvalidInput, ValueError, OverflowError):
            continue  # past the calendar's ends
    return around


def kind_labels() -> dict[str, str]:
    """Return the words for each kind of period."""
    return {
        "hari": _("Day"),
        "bulan": _("Month"),
        "triwulan": _("Quarter"),
        "tahun": _("Year"),
        "rentang": _("Range of days"),
    }
