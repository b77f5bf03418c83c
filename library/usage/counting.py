"""The COUNTER rules, pure: raw usage events in, each publication's figures per office day out.

- **Double clicks** (COUNTER R5, 7.2): the same item asked for again by the same session within
  30 seconds counts once; of a run of such clicks only the last counts, so the run counts on the
  day it ended. The item is the publication for a view or a download, and the page for a page
  shown (turning pages is reading, not clicking twice).
- **Sessions** (R5, 7.3): a session is a session key (a person, or a client and browser for the
  day) within one clock hour. `reads` counts the sessions that were shown at least one page of
  the publication (Total_Item_Requests of reading: pages shown is a figure of its own), and
  `sessions` those that read or downloaded it (Unique_Item_Requests).
- **Robots** (R5, 7.8) never reach here: they are left out when an event is recorded.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

DOUBLE_CLICK = dt.timedelta(seconds=30)


class Kind(enum.StrEnum):
    """What a usage event was."""

    VIEW = "view"  # the publication's page opened (an investigation)
    PAGE = "page"  # a page of it shown in the reader (a request)
    DOWNLOAD = "download"  # a delivered copy of it downloaded (a request)


@dataclass(frozen=True)
class Event:
    """One usage event as recorded: when, of which publication, what, by which session."""

    at: dt.datetime  # UTC
    publication_id: int
    kind: str  # a Kind
    session: str
    page: int = 0

    def item(self) -> tuple[str, int, str, int]:
        """Return what a double click repeats: the same session asking for the same thing."""
        return (self.session, self.publication_id, self.kind, self.page)


@dataclass
class Figures:
    """One publication's usage over some days, as the COUNTER rules count it."""

    views: int = 0
    reads: int = 0
    pages: int = 0
    downloads: int = 0
    sessions: int = 0

    def add(self, other: Figures) -> None:
        """Add another's figures to these."""
        self.views += other.views
        self.reads += other.reads
        self.pages += other.pages
        self.downloads += other.downloads
        self.sessions += other.sessions

    def values(self) -> tuple[int, int, int, int, int]:
        """Return the figures in their order: views, reads, pages, downloads, sessions."""
        return (self.views, self.reads, self.pages, self.downloads, self.sessions)


def without_double_clicks(events: Iterable[Event]) -> list[Event]:
    """Return the events that count: each one not followed by the same click within 30 seconds."""
    runs: dict[tuple[str, int, str, int], list[Event]] = defaultdict(list)
    for event in sorted(events, key=lambda e: e.at):
        runs[event.item()].append(event)
    kept: list[Event] = []
    for clicks in runs.values():
        kept.extend(
            e
            for e, after in zip(clicks, [*clicks[1:], None], strict=True)
            if after is None or after.at - e.at > DOUBLE_CLICK
        )
    return sorted(kept, key=lambda e: e.at)


def count_events(
    events: Iterable[Event], day_of: Callable[[dt.datetime], dt.date], first: dt.date, last: dt.date
) -> dict[tuple[int, dt.date], Figures]:
    """Count events into figures per (publication, office day), for the days from first to last.

    Events just past `last` may be given: they only decide whether a click before them counts.
    """
    figures: dict[tuple[int, dt.date], Figures] = defaultdict(Figures)
    reading: set[tuple[int, str, dt.datetime]] = set()
    asking: set[tuple[int, str, dt.datetime]] = set()
    for event in without_double_clicks(events):
        day = day_of(event.at)
        if not first <= day <= last:
            continue
        counted = figures[(event.publication_id, day)]
        hour = event.at.replace(minute=0, second=0, microsecond=0)
        if event.kind == Kind.VIEW:
            counted.views += 1
        elif event.kind == Kind.PAGE:
            counted.pages += 1
            counted.reads += _first_in(reading, (event.publication_id, event.session, hour))
        elif event.kind == Kind.DOWNLOAD:
            counted.downloads += 1
        if event.kind != Kind.VIEW:
            counted.sessions += _first_in(asking, (event.publication_id, event.session, hour))
    return dict(figures)


def _first_in(seen: set[tuple[int, str, dt.datetime]], key: tuple[int, str, dt.datetime]) -> int:
    """Return 1 the first time a key is seen (and note it), else 0."""
    if key in seen:
        return 0
    seen.add(key)
    return 1
