"""The walk-in service clocks: when each visitor's clock starts, its target, and how late it runs.

Two rules come from the offices' published standards (`catalog_data/offices.toml`):

- `guest_book` (the library): served within N minutes of filling in the guest book, so the
  clock starts when the ticket is issued.
- `previous_finished` (consultation): served within N minutes of the previous visitor's
  service finishing, so the clock starts at the later of the ticket and the end of the previous
  visitor's service (served, skipped or sent elsewhere). The previous visitor is the one ahead
  in the queue order (ticket number), whichever counter serves them. While they are still
  waiting or being served, the clock has not started; a visitor served meanwhile at another
  counter has waited none of the promise (their clock starts when their service does).

Pure functions on plain values: tests run a whole day on a fake clock.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass

from library.models.office import WalkInClock

AMBER_AT = 0.8  # the share of the target after which a waiting visitor shows amber


class Level(enum.StrEnum):
    """How a visitor's wait stands against its target."""

    OK = "ok"
    AMBER = "amber"  # 80 % of the target gone
    RED = "red"  # past the target
    NONE = "none"  # no target, or the clock has not started


@dataclass(frozen=True)
class ClockRule:
    """A service's walk-in target: minutes, counted from the guest book or the previous visitor."""

    minutes: int
    starts: WalkInClock

    @property
    def target(self) -> dt.timedelta:
        """Return the target as a duration."""
        return dt.timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class QueuePlace:
    """One ticket's times, as the clocks need them."""

    issued_at: dt.datetime
    served_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None  # finished, skipped as a no-show, or transferred


def rule_of(minutes: int | None, starts: str | None) -> ClockRule | None:
    """Return the clock rule of a standard's walk-in target, or None when it sets none."""
    if not minutes or not starts:
        return None
    return ClockRule(minutes, WalkInClock(starts))


def clock_starts(rule: ClockRule, places: Sequence[QueuePlace]) -> list[dt.datetime | None]:
    """Return when each place's clock started, for one service's day in queue order (None: not yet)."""
    if rule.starts is WalkInClock.GUEST_BOOK:
        return [place.issued_at for place in places]
    return [
        _after_previous(place, places[index - 1] if index else None) for index, place in enumerate(places)
    ]


def _after_previous(place: QueuePlace, before: QueuePlace | None) -> dt.datetime | None:
    """Return when a place's consultation clock started: the later of its ticket and the previous end."""
    if before is None:
        return place.issued_at
    started = None if before.ended_at is None else max(place.issued_at, before.ended_at)
    if place.served_at is not None and (started is None or place.served_at < started):
        # Served (at another counter) before the previous visitor was done: none of the promise waited.
        return place.served_at
    return started


def target_of(rule: ClockRule, started: dt.datetime | None) -> dt.datetime | None:
    """Return when the service must have started, or None while the clock has not started."""
    return None if started is None else started + rule.target


def level(rule: ClockRule | None, started: dt.datetime | None, now: dt.datetime) -> Level:
    """Return how a waiting visitor's clock stands at `now`: ok, amber (80 %), red (past)."""
    if rule is None or started is None:
        return Level.NONE
    used = (now - started) / rule.target
    if used > 1:
        return Level.RED
    if used >= AMBER_AT:
        return Level.AMBER
    return Level.OK


def is_breach(target: dt.datetime | None, served_at: dt.datetime | None) -> bool:
    """Tell whether a service started after its target."""
    return target is not None and served_at is not None and served_at > target
