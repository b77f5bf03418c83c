"""The wait a visitor is told: the people ahead, shared by the counters open now, at the day's pace.

Pure functions on plain values. The status page (`visit_status`) gathers the inputs: which
counters are open (a counter is open when it has a ticket called or in service now, or called,
started or finished a service in the last half hour: the console records nothing else about a
counter), and how long services took today, else in the last four weeks, else a usual length.

An estimate above the service's promise is never shown bare: it carries what the office does
about it (the library's terminals serve at once; consultation staff must record why a visitor
waited past the promise).
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from library.frontoffice.queue.clocks import ClockRule
from library.i18n import N_, N_plural
from library.models.office import WalkInClock

OPEN_WINDOW = dt.timedelta(minutes=30)  # a counter that worked within this is taken as open
RECENT_DAYS = 28  # the weeks looked back on before any service of the day has finished
USUAL_MINUTES = 10.0  # the service length assumed when there is nothing to go by


class Pace(enum.StrEnum):
    """Where the length of one service in the estimate comes from."""

    TODAY = "today"
    RECENT = "recent"  # the last four weeks
    USUAL = "usual"  # the fixed fallback


# The basis in words, by pace: the count of open counters picks the plural.
BASIS_TEXTS = {
    Pace.TODAY: N_plural(
        "Based on %(num)s open counter and today's average service of %(minutes)s minutes.",
        "Based on %(num)s open counters and today's average service of %(minutes)s minutes.",
    ),
    Pace.RECENT: N_plural(
        "Based on %(num)s open counter and the average service of the last four weeks, %(minutes)s minutes.",
        "Based on %(num)s open counters and the average service of the last four weeks, %(minutes)s minutes.",
    ),
    Pace.USUAL: N_plural(
        "Based on %(num)s open counter and a usual service of %(minutes)s minutes.",
        "Based on %(num)s open counters and a usual service of %(minutes)s minutes.",
    ),
}
# What the office does when the estimate runs past its promise, by the service's clock.
PROMISE_ACTIONS = {
    WalkInClock.GUEST_BOOK: N_(
        "The queue is long. You need not wait for the counter: start a session at a free library "
        "terminal with the QR code or terminal code on your ticket; the session counts as your service."
    ),
    WalkInClock.PREVIOUS_FINISHED: N_(
        "The queue is long. Our promise still holds: you will be served within %(minutes)s minutes of "
        "the previous visitor's service ending; if you are not, staff must record why."
    ),
}


@dataclass(frozen=True)
class CounterMark:
    """A counter's latest work on one ticket of the queue: when, and whether the ticket is still open."""

    counter: str
    at: dt.datetime | None
    open_ticket: bool = False  # called or being served there now


@dataclass(frozen=True)
class ServicePace:
    """The length of one service used for the estimate, and where it comes from."""

    minutes: float
    pace: Pace


@dataclass(frozen=True)
class WaitEstimate:
    """The wait a visitor is told, with what it is based on and the office's answer to a long one."""

    minutes: int
    counters: int
    service_minutes: int  # one service, rounded for the words
    pace: Pace
    promise_minutes: int | None  # the service's target, when its standard sets one
    action: str  # to translate when shown, with `promise_minutes`; "" within the promise

    @property
    def basis(self) -> tuple[str, str]:
        """Return the words saying what the estimate is based on (singular, plural by counters)."""
        return BASIS_TEXTS[self.pace]

    @property
    def over_promise(self) -> bool:
        """Tell whether the estimate runs past the service's promise."""
        return self.promise_minutes is not None and self.minutes > self.promise_minutes


def open_counters(marks: Iterable[CounterMark], now: dt.datetime) -> int:
    """Return how many counters are open: working a ticket now, or worked one in the last half hour.

    Never fewer than one: somebody serves the queue the visitor is in.
    """
    names = {
        mark.counter
        for mark in marks
        if mark.counter and (mark.open_ticket or (mark.at is not None and now - mark.at <= OPEN_WINDOW))
    }
    return max(1, len(names))


def service_pace(today: Sequence[float], recent: Sequence[float]) -> ServicePace:
    """Return the average service length of today, else of the recent weeks, else the usual one."""
    if today:
        return ServicePace(statistics.fmean(today), Pace.TODAY)
    if recent:
        return ServicePace(statistics.fmean(recent), Pace.RECENT)
    return ServicePace(USUAL_MINUTES, Pace.USUAL)


def estimate_wait(ahead: int, counters: int, pace: ServicePace, rule: ClockRule | None) -> WaitEstimate:
    """Return the expected wait: the people ahead shared by the open counters, at the service's pace.

    A wait behind someone is never "0 minutes"; with nobody ahead it is 0.
    """
    counters = max(1, counters)
    minutes = max(1, math.ceil(pace.minutes * ahead / counters)) if ahead > 0 else 0
    promise = None if rule is None else rule.minutes
    over = promise is not None and minutes > promise
    return WaitEstimate(
        minutes=minutes,
        counters=counters,
        service_minutes=max(1, round(pace.minutes)),
        pace=pace.pace,
        promise_minutes=promise,
        action=PROMISE_ACTIONS[rule.starts] if over and rule is not None else "",
    )
