"""The reading ledger on both databases: sessions recorded append-only, found by id or by a damaged read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError

from library.ledger import reading_sessions
from library.ledger.reading_sessions import (
    ReaderIdentity,
    find_reading_session,
    match_damaged_reads,
    open_reading_session,
    reading_session_of,
)
from library.ledger.tracing import FileReading, trace_file
from library.models import Office, Publication, User
from library.uow import UnitOfWork
from watermark.marks.mark import is_delivery_id
from watermark.trace.evidence import Evidence
from watermark.trace.reading import TraceResult

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def publication_id(uow: UnitOfWork) -> int:
    with uow:
        office = Office(code="1872", name="BPS Kota Metro")
        publication = Publication(key="p", title="Kota Metro Dalam Angka", issuing_office=office)
        uow.session.add(publication)
        uow.commit()
        return publication.id


@pytest.fixture
def siti(uow: UnitOfWork) -> ReaderIdentity:
    with uow:
        user = User(name="Siti Aminah", email="siti@example.id", email_verified=True)
        uow.session.add(user)
        uow.commit()
        return ReaderIdentity(user.name, user.email, user.id)


@pytest.fixture
def next_ids(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Return the ids the next sessions get, in order (random ids once it is empty)."""
    chosen: list[str] = []
    random_id = reading_sessions.new_reading_id
    monkeypatch.setattr(reading_sessions, "new_reading_id", lambda: chosen.pop(0) if chosen else random_id())
    return chosen


def opened(uow: UnitOfWork, reader: ReaderIdentity, publication_id: int) -> str:
    """Open a session and return its id."""
    with uow:
        record = open_reading_session(uow, reader, publication_id, "1872", NOW, "203.0.113.9")
        uow.commit()
    return record.session_id


def test_a_session_gets_a_short_checked_id_and_is_found_by_it(uow, siti, publication_id) -> None:
    session_id = opened(uow, siti, publication_id)
    assert len(session_id) == 8 and is_delivery_id(session_id)
    with uow:
        found = find_reading_session(uow, session_id)
    assert (found.reader_name, found.publication_title, found.client_address, found.started_at) == (
        "Siti Aminah",
        "Kota Metro Dalam Angka",
        "203.0.113.9",
        NOW,
    )


def test_a_session_is_continued_only_by_its_own_reader_on_its_own_publication(
    uow, siti, publication_id
) -> None:
    session_id = opened(uow, siti, publication_id)
    with uow:
        assert reading_session_of(uow, session_id, siti, publication_id) is not None
        assert (
            reading_session_of(uow, session_id, ReaderIdentity("Budi", user_id=None), publication_id) is None
        )
        assert reading_session_of(uow, session_id, siti, publication_id + 1) is None


def test_the_database_refuses_to_change_or_remove_a_session(
    engine: Engine, uow, siti, publication_id
) -> None:
    opened(uow, siti, publication_id)
    for statement in ("UPDATE reading_session SET reader_name = 'X'", "DELETE FROM reading_session"):
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))


def test_a_read_one_character_off_names_its_session(uow, siti, publication_id, next_ids) -> None:
    next_ids += ["FPB4P1XE", "7K3M9QP7"]
    opened(uow, siti, publication_id)
    opened(uow, siti, publication_id)
    with uow:
        [(session, read)] = match_damaged_reads(uow, ("FPB4P1X",))
    assert (session.session_id, read) == ("FPB4P1XE", "FPB4P1X")


def test_a_read_as_close_to_two_sessions_names_neither(uow, siti, publication_id, next_ids) -> None:
    next_ids += ["FPB4P1XE", "FPB4P1ZZ"]
    opened(uow, siti, publication_id)
    opened(uow, siti, publication_id)
    with uow:
        assert match_damaged_reads(uow, ("FPB4P1Z",)) == []


def test_a_read_far_from_every_session_names_nobody(uow, siti, publication_id, next_ids) -> None:
    next_ids.append("FPB4P1XE")
    opened(uow, siti, publication_id)
    with uow:
        assert match_damaged_reads(uow, ("AAAAAAAA", "PB", "FP")) == []


def test_a_short_read_that_passes_the_check_character_still_names_its_session(
    uow, siti, publication_id, next_ids
) -> None:
    # P2SNTVZ is P2SNTVZJ without its last character, and by chance well formed by itself (1 in 32).
    next_ids.append("P2SNTVZJ")
    opened(uow, siti, publication_id)
    assert is_delivery_id("P2SNTVZ")
    marks = TraceResult("shot.jpg", "image", 1, (Evidence("P2SNTVZ", "visible_text"),))
    with uow:
        report = trace_file(uow, Path("shot.jpg"), reading=FileReading(marks, "0" * 64, None))
    assert [
        (d.delivery_id, d.session and d.session.reader_name, d.read_as, d.evidence) for d in report.deliveries
    ] == [("P2SNTVZJ", "Siti Aminah", "P2SNTVZ", ("visible_text",))]
