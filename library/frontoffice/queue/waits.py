"""The wait a visitor is told: the people ahead, shared by who serves now, at the day's pace.

Pure functions on plain values. The status page (`visit_status`) gathers the inputs: the
counters staff opened and have not closed today, and for the library the active terminals
(`queue.counters.servers_of`), and how long services took today, else in the last four weeks,
else a usual length. The estimate is the arithmetic its words show: people ahead times the
service length shown, shared among the counters and terminals named.

An estimate above the service's promise is never shown bare: it carries what the office does
about it (the library's terminals serve at once; consultation staff must record why a visitor
waited past the promise).
"""

from __future__ import annotations

import enum
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from library.frontoffice.queue.clocks import ClockRule
from library.i18n import N_, N_plural
from library.models.office import WalkInClock

RECENT_DAYS = 28  # the weeks looked back on before any service of the day has finished
USUAL_MINUTES = 10.0  # the service length assumed when there is nothing to go by


class Pace(enum.StrEnum):
    """Where the length of one service in the estimate comes from."""

    TODAY = "today"
    RECENT = "recent"  # the last four weeks
    USUAL = "usual"  # the fixed fallback


# The pace in words: where the length of one service comes from.
PACE_TEXTS = {
    Pace.TODAY: N_plural(
        "Today's average service: %(num)s minute.", "Today's average service: %(num)s minutes."
    ),
    Pace.RECENT: N_plural(
        "Average service of the last four weeks: %(num)s minute.",
        "Average service of the last four weeks: %(num)s minutes.",
    ),
    Pace.USUAL: N_plural("A usual service: %(num)s minute.", "A usual service: %(num)s minutes."),
}
# Why an estimate may exceed the promise printed beside it: one is now, the other the standard.
PROMISE_EXPLAINED = N_(
    "The estimate is for this queue as it stands now; %(minutes)s minutes is the service standard "
    "the office promises every visitor."
)
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
class ServicePace:
    """The length of one service used for the estimate, and where it comes from."""

    minutes: float
    pace: Pace


@dataclass(frozen=True)
class WaitEstimate:
    """The wait a visitor is told, with what it is based on and the office's answer to a long one."""

    minutes: int
    counters: int  # open now (0: none yet, the estimate counted one)
    terminals: int  # library terminals serving the queue too
    service_minutes: int  # one service, in whole minutes: the estimate uses this figure
    pace: Pace
    promise_minutes: int | None  # the service's target, when its standard sets one
    action: str  # to translate when shown, with `promise_minutes`; "" within the promise

    @property
    def pace_text(self) -> tuple[str, str]:
        """Return the words saying where the service length comes from (singular, plural by minutes)."""
        return PACE_TEXTS[self.pace]

    @property
    def explained(self) -> str:
        """Return why the estimate and the promise differ (to translate with `promise_minutes`)."""
        return PROMISE_EXPLAINED

    @property
    def over_promise(self) -> bool:
        """Tell whether the estimate runs past the service's promise."""
        return self.promise_minutes is not None and self.minutes > self.promise_minutes


def service_pace(today: Sequence[float], recent: Sequence[float]) -> ServicePace:
    """Return the average service length of today, else of the recent weeks, else the usual one."""
    if today:
        return ServicePace(statistics.fmean(today), Pace.TODAY)
    if recent:
        return ServicePace(statistics.fmean(recent), Pace.RECENT)
    return ServicePace(USUAL_MINUTES, Pace.USUAL)


def estimate_wait(
    ahead: int, counters: int, pace: ServicePace, rule: ClockRule | None, terminals: int = 0
) -> WaitEstimate:
    """Return the expected wait: the people ahead shared by the counters and terminals, at the pace.

    One service is counted in the whole minutes the visitor is shown, so the words and the figure
    agree (1 person ahead, 1 counter, "1 minute" is 1 minute). With no counter open and no terminal
    the estimate counts one counter, and says so. A wait behind someone is never "0 minutes"; with
    nobody ahead it is 0.
    """
    service = max(1, math.floor(pace.minutes + 0.5))  # half a minute rounds up, as people count
    servers = max(1, counters + terminals)
    minutes = max(1, math.ceil(service * ahead / servers)) if ahead > 0 else 0
    promise = None if rule is None else rule.minutes
    over = promise is not None and minutes > promise
    return WaitEstimate(
        minutes=minutes,
        counters=max(0, counters),
        terminals=max(0, terminals),
        service_minutes=service,
        pace=pace.pace,
        promise_minutes=promise,
        action=PROMISE_ACTIONS[rule.starts] if over and rule is not None else "",
    )
