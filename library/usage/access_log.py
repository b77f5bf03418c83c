"""A web server's access log (combined format) taken in as usage events, by the same rules as live ones.

For the usage of a time Pustaka did not record itself (before this release, or served by another
host's log): each line a successful request (200, 206 or 304, as COUNTER counts) of a
publication's page (`/katalog/N`), a page picture of the reader (`/baca/N/halaman/P.jpg`) or a
copy's download (`POST /permintaan/NUMBER/unduh`) becomes an event; a known robot's line is left
out, and the session is a keyed digest of the address and browser for the day, as live. Days
already counted are counted again from their raw events after the import; lines older than the
raw events kept (PUSTAKA_USAGE_KEEP_EVENTS_MONTHS) are left out, since their days cannot be.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import delete, select

from library.models import Publication, SoftcopyRequest, UsageDay
from library.uow import UnitOfWork
from library.usage.counting import Event, Kind
from library.usage.recording import do_record_events
from library.usage.robots import Robots

LINE = re.compile(
    r'^(?P<address>\S+) \S+ \S+ \[(?P<at>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>\S+)[^"]*" '
    r'(?P<status>\d{3}) \S+(?: "(?:[^"\\]|\\.)*" "(?P<agent>(?:[^"\\]|\\.)*)")?'
)
PREFIX = r"^(?:/[^/?]+)*"  # the site served under a path of its own (/pustaka/katalog/3)
VIEW = re.compile(PREFIX + r"/katalog/(\d+)/?(?:\?.*)?$")
PAGE = re.compile(PREFIX + r"/baca/(\d+)/halaman/(\d+)\.jpg(?:\?.*)?$")
DOWNLOAD = re.compile(PREFIX + r"/permintaan/([^/?]+)/unduh(?:\?.*)?$")
SUCCESS = {"200", "206", "304"}


@dataclass
class LogImport:
    """What an import of a log found, line by line."""

    events: list[Event] = field(default_factory=list)
    robots: int = 0
    not_usage: int = 0  # lines of other pages, failed requests, unknown copies or publications
    unreadable: int = 0
    too_old: int = 0


@dataclass(frozen=True)
class LogLine:
    """One line's request, as usage sees it."""

    at: dt.datetime
    address: str
    agent: str
    method: str
    path: str
    status: str


def parse_line(text: str) -> LogLine | None:
    """Return a combined-format line's request, or None for a line that is not one."""
    match = LINE.match(text)
    if match is None:
        return None
    try:
        at = dt.datetime.strptime(match["at"], "%d/%b/%Y:%H:%M:%S %z").astimezone(dt.UTC)
    except ValueError:
        return None
    agent = (match["agent"] or "").replace('\\"', '"')
    return LogLine(at, match["address"], agent, match["method"], match["path"], match["status"])


def read_log(
    lines: Iterable[str],
    robots: Robots,
    session_of: Callable[[LogLine], str],
    copies: Callable[[str], int | None],
    since: dt.datetime,
) -> LogImport:
    """Return the usage events of a log's lines and what was left out (`copies`: a request's publication)."""
    found = LogImport()
    for text in lines:
        line = parse_line(text.rstrip("\n"))
        if line is None:
            found.unreadable += 1
            continue
        event = _event_of(line, copies, session_of) if line.status in SUCCESS else None
        if event is None:
            found.not_usage += 1
        elif line.at < since:
            found.too_old += 1
        elif robots.is_robot(line.agent):
            found.robots += 1
        else:
            found.events.append(event)
    return found


def publications_of_copies(uow: UnitOfWork) -> Callable[[str], int | None]:
    """Return a lookup from a softcopy request's number to its publication, read once per number."""
    known: dict[str, int | None] = {}

    def publication_of(number: str) -> int | None:
        if number not in known:
            known[number] = uow.session.scalar(
                select(SoftcopyRequest.publication_id).where(SoftcopyRequest.number == number)
            )
        return known[number]

    return publication_of


def do_import_events(uow: UnitOfWork, events: list[Event], first_day: dt.date | None) -> int:
    """Insert the events of publications that exist; forget the figures of their days, counted again.

    Return how many events were kept.
    """
    wanted = {e.publication_id for e in events}
    existing = set(uow.session.scalars(select(Publication.id).where(Publication.id.in_(wanted))))
    events = [e for e in events if e.publication_id in existing]
    for batch in _batches(events, 1000):
        do_record_events(uow, batch)
    if first_day is not None:
        uow.session.execute(delete(UsageDay).where(UsageDay.day >= first_day))
    return len(events)


def _event_of(
    line: LogLine, copies: Callable[[str], int | None], session_of: Callable[[LogLine], str]
) -> Event | None:
    """Return the usage event a successful request makes, or None for a request of no publication."""
    if line.method == "GET" and (view := VIEW.match(line.path)):
        return Event(line.at, int(view[1]), Kind.VIEW, session_of(line))
    if line.method == "GET" and (page := PAGE.match(line.path)):
        return Event(line.at, int(page[1]), Kind.PAGE, session_of(line), int(page[2]))
    if line.method == "POST" and (download := DOWNLOAD.match(line.path)):
        publication_id = copies(download[1])
        if publication_id is not None:
            return Event(line.at, publication_id, Kind.DOWNLOAD, session_of(line))
    return None


def _batches(events: list[Event], size: int) -> Iterator[list[Event]]:
    for start in range(0, len(events), size):
        yield events[start : start + size]
