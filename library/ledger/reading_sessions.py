"""Reading sessions: every opening of the reader, recorded so a screenshot of a page names its reader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from library.errors import NotFound
from library.i18n import N_
from library.ledger.stamped_versions import StampedVersion, stamped_version
from library.models import Publication, ReadingSession
from library.uow import UnitOfWork
from watermark.marks.mark import READING_ID_LENGTH, is_delivery_id, new_reading_id, stamp_text

_ATTEMPTS = 8  # a fresh id repeats an old one about once in 30 000 at a million sessions


@dataclass(frozen=True)
class ReaderIdentity:
    """Who reads: a signed-in person, a visitor at a library terminal (then `visit_id` and `place`),
    or someone not signed in reading an open publication (then `anonymous_id`, minted per browser session).
    """

    name: str
    email: str = ""
    user_id: int | None = None
    visit_id: int | None = None
    place: str = ""  # the terminal's name; "" online
    anonymous_id: str = ""


@dataclass(frozen=True)
class ReadingSessionRecord:
    """One row of the reading ledger, with the title of what was read."""

    session_id: str
    publication_id: int
    publication_title: str
    reader_name: str
    reader_email: str
    reader_user_id: int | None
    visit_id: int | None
    place: str
    office_code: str
    client_address: str
    started_at: dt.datetime
    anonymous_reader: str = ""
    version: StampedVersion = StampedVersion()  # the file version whose pages it showed


def open_reading_session(
    uow: UnitOfWork,
    reader: ReaderIdentity,
    publication_id: int,
    office_code: str,
    now: dt.datetime,
    client_address: str = "",
    file_version: int | None = None,
) -> ReadingSessionRecord:
    """Record that the reader opened a publication's version, under a new short id; the caller commits."""
    session_id = _unused_id(uow)
    row = ReadingSession(
        session_id=session_id,
        publication_id=publication_id,
        reader_user_id=reader.user_id,
        visit_id=reader.visit_id,
        reader_name=stamp_text(reader.name)[:200],
        reader_email=reader.email.strip()[:254],
        place=stamp_text(reader.place)[:200],
        anonymous_reader=reader.anonymous_id[:16],
        office_code=office_code,
        client_address=client_address[:64],
        started_at=now,
        file_version=file_version,
    )
    uow.session.add(row)
    uow.session.flush()
    return _record(uow, row)


def reading_session_of(
    uow: UnitOfWork, session_id: str, reader: ReaderIdentity, publication_id: int
) -> ReadingSessionRecord | None:
    """Return the reader's own session of this publication with this id, or None.

    A session of somebody else (another anonymous browser among them), of another publication
    or at another visit is never returned: pages are stamped only with their reader's own session.
    """
    if not session_id or len(session_id) != READING_ID_LENGTH or not is_delivery_id(session_id):
        return None
    row = uow.session.scalar(select(ReadingSession).where(ReadingSession.session_id == session_id))
    if (
        row is None
        or row.publication_id != publication_id
        or row.reader_user_id != reader.user_id
        or row.visit_id != reader.visit_id
        or row.anonymous_reader != reader.anonymous_id
    ):
        return None
    return _record(uow, row)


def find_reading_session(uow: UnitOfWork, session_id: str) -> ReadingSessionRecord:
    """Return the reading session with this id."""
    row = uow.session.scalar(select(ReadingSession).where(ReadingSession.session_id == session_id.upper()))
    if row is None:
        raise NotFound(N_("No reading session has the id %(id)s."), id=session_id)
    return _record(uow, row, traced=True)


def _unused_id(uow: UnitOfWork) -> str:
    """Return a reading id no session has yet (the unique constraint is the last word)."""
    for _ in range(_ATTEMPTS):
        candidate = new_reading_id()
        taken = uow.session.scalar(select(ReadingSession.id).where(ReadingSession.session_id == candidate))
        if taken is None:
            return candidate
    return new_reading_id()


def _title(uow: UnitOfWork, publication_id: int) -> str:
    return uow.session.scalar(select(Publication.title).where(Publication.id == publication_id)) or ""


def _record(uow: UnitOfWork, row: ReadingSession, *, traced: bool = False) -> ReadingSessionRecord:
    """Return a session's record; `traced`: with its version derived and any newer one (a trace's)."""
    return ReadingSessionRecord(
        session_id=row.session_id,
        publication_id=row.publication_id,
        publication_title=_title(uow, row.publication_id),
        reader_name=row.reader_name,
        reader_email=row.reader_email,
        reader_user_id=row.reader_user_id,
        visit_id=row.visit_id,
        place=row.place,
        office_code=row.office_code,
        client_address=row.client_address,
        started_at=row.started_at,
        anonymous_reader=row.anonymous_reader,
        version=(
            stamped_version(uow, row.publication_id, row.file_version, row.started_at)
            if traced
            else StampedVersion(row.file_version)
        ),
    )


_WINDOW = 3  # characters of a damaged read looked up together, to find the few ids worth comparing
_CLOSE, _NEAR = 1, 2  # edits from a session's id: close names it; near needs a long read or two


def match_damaged_reads(uow: UnitOfWork, reads: tuple[str, ...]) -> list[tuple[ReadingSessionRecord, str]]:
    """Return the sessions that damaged OCR reads of their id name beyond doubt, each with its read.

    A session is named when a read is one character off its id, or two off (a read of at least
    seven characters, or two reads), and no other session's id is that close to the reads.
    Only sessions sharing three characters in a row with a read are compared: with ten
    thousand sessions, a wrong session that close turns up about once in a thousand traces.
    """
    reads = tuple(r for r in dict.fromkeys(reads) if len(r) >= READING_ID_LENGTH - _NEAR and r.isalnum())
    rows: dict[str, ReadingSession] = {}
    for read in reads:
        for start in range(len(read) - _WINDOW + 1):
            window = read[start : start + _WINDOW]
            found = uow.session.scalars(
                select(ReadingSession)
                .where(ReadingSession.session_id.contains(window, autoescape=True))
                .limit(500)
            )
            rows.update((row.session_id, row) for row in found)
    named = []
    for session_id, row in rows.items():
        distances = sorted((_edits(read, session_id), read) for read in reads)
        best, read = distances[0]
        agreeing = sum(d <= _NEAR for d, _ in distances)
        if best <= _CLOSE or (best <= _NEAR and (len(read) >= READING_ID_LENGTH - 1 or agreeing >= 2)):
            named.append((row, distances[0][1]))
    if len(named) != 1:  # none, or two sessions as close: the reads name nobody for certain
        return []
    row, read = named[0]
    return [(_record(uow, row, traced=True), read)]


def _edits(a: str, b: str) -> int:
    """Return the Levenshtein distance between two short strings."""
    previous = list(range(len(b) + 1))
    for i, ch in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ch != other)))
        previous = current
    return previous[-1]
