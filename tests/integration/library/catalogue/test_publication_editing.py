"""Librarians edit, withdraw and restore a publication after ingest; every change is kept, none is lost."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import select

from library.catalogue.editing import (
    EditConflict,
    check_edit_publication,
    check_restore_publication,
    check_withdraw_publication,
    get_editable,
)
from library.catalogue.indexing import check_index, do_index_publications, do_reindex
from library.catalogue.metadata_rules import MetadataRefused, PublicationFields
from library.catalogue.read_models import get_publication, list_publications
from library.catalogue.reading import check_read
from library.errors import InvalidField, NotAllowed, NotFound
from library.models import Office, Publication, PublicationChange, Role, User
from library.permissions import SYSTEM
from library.uow import UnitOfWork
from search.memory.engine import MemorySearchEngine
from tests.integration.library.accounts_helpers import stored_person
from tests.integration.library.ingest_fixtures import RecordingQueue

TODAY = dt.date(2026, 11, 27)
NOW = dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def librarian(uow: UnitOfWork) -> User:
    return stored_person(uow, "wulan@bps.go.id", [Role.LIBRARIAN], "Wulan Pustakawan", email_verified=True)


@pytest.fixture
def other_librarian(uow: UnitOfWork) -> User:
    return stored_person(uow, "budi@bps.go.id", [Role.LIBRARIAN], "Budi Pustakawan", email_verified=True)


@pytest.fixture
def reader(uow: UnitOfWork) -> User:
    return stored_person(uow, "rina@example.com", [Role.READER], "Rina Pembaca", email_verified=True)


@pytest.fixture
def pid(uow: UnitOfWork) -> int:
    """Store a publication as an ingest leaves it; return its id."""
    with uow:
        uow.session.add(Office(code="1805", name="BPS Kabupaten Tulang Bawang"))
        publication = Publication(
            key="mda",
            title="Kota Metro Dalam Angka 2O24",
            issuing_office=Office(code="1872", name="BPS Kota Metro"),
            language="id",
            actual_release=dt.date(2024, 2, 28),
        )
        uow.session.add(publication)
        uow.commit()
        return publication.id


def editable(uow: UnitOfWork, actor: User, pid: int):  # type: ignore[no-untyped-def]
    with uow:
        return get_editable(uow, actor, pid)


def save(
    uow: UnitOfWork, actor: User, pid: int, version: int, fields: PublicationFields, queue: RecordingQueue
) -> tuple[str, ...]:
    """Save the fields and commit, as the view does; return the fields changed."""
    with uow:
        saved = check_edit_publication(uow, actor, queue, pid, version, fields, today=TODAY, now=NOW)
        uow.commit()
    return saved.changed


REASON = "Diganti edisi revisi."
TYPO, FIXED = "Kota Metro Dalam Angka 2O24", "Kota Metro Dalam Angka 2024"


def withdraw(uow: UnitOfWork, actor: User, pid: int, queue: RecordingQueue, reason: str = REASON) -> None:
    with uow:
        version = uow.session.get(Publication, pid).version  # type: ignore[union-attr]
        check_withdraw_publication(uow, actor, queue, pid, version, reason, now=NOW)
        uow.commit()


def restore(uow: UnitOfWork, actor: User, pid: int, queue: RecordingQueue) -> None:
    with uow:
        version = uow.session.get(Publication, pid).version  # type: ignore[union-attr]
        check_restore_publication(uow, actor, queue, pid, version, now=NOW)
        uow.commit()


def history(uow: UnitOfWork, pid: int) -> list[tuple[int, str, str, str, str]]:
    with uow:
        rows = uow.session.scalars(select(PublicationChange).where(PublicationChange.publication_id == pid))
        return [(r.version, r.changed_by_name, r.field, r.old_value, r.new_value) for r in rows]


def test_a_librarian_changes_the_title_and_access_and_the_history_says_who_changed_what(
    uow, librarian, pid, queue
) -> None:
    before = editable(uow, librarian, pid)
    typed = replace(before.fields, title="Kota Metro Dalam Angka 2024", access_level="restricted")
    assert save(uow, librarian, pid, before.version, typed, queue) == ("title", "access_level")
    after = editable(uow, librarian, pid)
    assert (after.title, after.fields.access_level, after.version) == (
        "Kota Metro Dalam Angka 2024",
        "restricted",
        before.version + 1,
    )
    assert history(uow, pid) == [
        (after.version, "Wulan Pustakawan", "title", TYPO, FIXED),
        (after.version, "Wulan Pustakawan", "access_level", "open", "restricted"),
    ]
    assert [c.changed_at for c in after.history] == [NOW, NOW]


def test_a_saved_change_reindexes_the_publication_after_the_commit(uow, librarian, pid, queue) -> None:
    before = editable(uow, librarian, pid)
    save(uow, librarian, pid, before.version, replace(before.fields, subject="Statistik Umum"), queue)
    assert queue.indexed == [pid]


def test_a_refused_save_stores_nothing_and_queues_nothing(uow, librarian, pid, queue) -> None:
    before = editable(uow, librarian, pid)
    with pytest.raises(MetadataRefused) as refused:
        save(uow, librarian, pid, before.version, replace(before.fields, title="", issn="1"), queue)
    assert [e.field for e in refused.value.errors] == ["title", "issn"]
    assert editable(uow, librarian, pid) == before
    assert queue.indexed == []


def test_saving_nothing_new_changes_no_version_and_keeps_no_history(uow, librarian, pid, queue) -> None:
    before = editable(uow, librarian, pid)
    assert save(uow, librarian, pid, before.version, before.fields, queue) == ()
    assert editable(uow, librarian, pid).version == before.version
    assert history(uow, pid) == [] and queue.indexed == []


def test_the_issuing_office_and_dates_are_changed_by_code_and_iso_date(uow, librarian, pid, queue) -> None:
    before = editable(uow, librarian, pid)
    typed = replace(before.fields, office="1805", actual_release="2024-03-01", scheduled_release="2024-02-28")
    save(uow, librarian, pid, before.version, typed, queue)
    with uow:
        stored = uow.session.get(Publication, pid)
        assert stored is not None
        assert stored.issuing_office.code == "1805"
        assert stored.actual_release == dt.date(2024, 3, 1)
        assert stored.scheduled_release == dt.date(2024, 2, 28)


def test_a_save_on_an_older_version_is_refused_keeping_both_librarians_changes(
    uow, librarian, other_librarian, pid, queue
) -> None:
    opened = editable(uow, librarian, pid)
    save(uow, other_librarian, pid, opened.version, replace(opened.fields, subject="Kependudukan"), queue)
    with pytest.raises(EditConflict) as conflict:
        save(uow, librarian, pid, opened.version, replace(opened.fields, title=FIXED), queue)
    assert conflict.value.current == opened.version + 1
    assert [(c.changed_by, c.field) for c in conflict.value.theirs] == [("Budi Pustakawan", "subject")]
    merged = conflict.value.merged
    assert (merged.title, merged.subject) == ("Kota Metro Dalam Angka 2024", "Kependudukan")
    stored = editable(uow, librarian, pid)
    assert (stored.title, stored.fields.subject) == ("Kota Metro Dalam Angka 2O24", "Kependudukan")
    save(uow, librarian, pid, conflict.value.current, merged, queue)
    stored = editable(uow, librarian, pid)
    assert (stored.title, stored.fields.subject) == ("Kota Metro Dalam Angka 2024", "Kependudukan")


def test_readers_and_the_system_may_not_edit_a_publication(uow, reader, pid, queue) -> None:
    with pytest.raises(NotAllowed):
        editable(uow, reader, pid)
    with uow, pytest.raises(NotAllowed):
        check_edit_publication(uow, SYSTEM, queue, pid, 1, PublicationFields(), today=TODAY, now=NOW)
    with pytest.raises(NotAllowed):
        withdraw(uow, reader, pid, queue)


def test_a_withdrawal_needs_a_reason(uow, librarian, pid, queue) -> None:
    with pytest.raises(InvalidField) as refused:
        withdraw(uow, librarian, pid, queue, reason="  ")
    assert refused.value.field == "reason"


def test_a_withdrawn_publication_is_hidden_from_the_public_but_not_from_librarians(
    uow, librarian, reader, pid, queue
) -> None:
    withdraw(uow, librarian, pid, queue)
    with uow:
        assert list_publications(uow, today=TODAY).total == 0
        with pytest.raises(NotFound):
            get_publication(uow, pid, today=TODAY, viewer=reader)
        with pytest.raises(NotFound):
            get_publication(uow, pid, today=TODAY)  # a softcopy request asks this way
        with pytest.raises(NotFound):
            check_read(uow, reader, pid, TODAY)
        with pytest.raises(NotFound):
            check_read(uow, librarian, pid, TODAY, at_terminal=True)
        shown = get_publication(uow, pid, today=TODAY, viewer=librarian)
    assert shown.withdrawal_reason == "Diganti edisi revisi." and shown.withdrawn_at == NOW
    assert [field for _v, _who, field, _old, _new in history(uow, pid)] == ["status", "withdrawal_reason"]
    assert queue.indexed == [pid]


def test_a_restored_publication_is_public_again_and_its_history_shows_both_steps(
    uow, librarian, reader, pid, queue
) -> None:
    withdraw(uow, librarian, pid, queue)
    restore(uow, librarian, pid, queue)
    with uow:
        assert get_publication(uow, pid, today=TODAY, viewer=reader).withdrawn_at is None
    statuses = [(old, new) for _v, _who, field, old, new in history(uow, pid) if field == "status"]
    assert statuses == [("published", "withdrawn"), ("withdrawn", "published")]
    assert queue.indexed == [pid, pid]


def test_a_withdrawal_on_an_older_version_is_refused(uow, librarian, other_librarian, pid, queue) -> None:
    opened = editable(uow, librarian, pid)
    save(uow, other_librarian, pid, opened.version, replace(opened.fields, subject="Ekonomi"), queue)
    with uow, pytest.raises(EditConflict):
        check_withdraw_publication(uow, librarian, queue, pid, opened.version, "Salah unggah.", now=NOW)
    assert editable(uow, librarian, pid).withdrawn_at is None


def test_a_reindex_reads_in_a_transaction_that_has_ended_when_the_engine_commits(uow, pid) -> None:
    # PostgreSQL's VACUUM after a rebuild marks nothing all-visible under an older open transaction.
    reading: list[bool] = []

    class Committing(MemorySearchEngine):
        def rebuild(self, docs) -> None:  # type: ignore[no-untyped-def]
            super().rebuild(docs)
            reading.append(uow.session.in_transaction())  # what the rebuild's tidy-up would meet

    with uow:
        assert do_reindex(uow, Committing(), TODAY) == 1
    assert reading == [False]


def test_the_search_index_drops_a_withdrawn_publication_and_takes_it_back_when_restored(
    uow, librarian, pid, queue
) -> None:
    engine = MemorySearchEngine()
    with uow:
        do_reindex(uow, engine, TODAY)
    assert engine.ids() == {str(pid)}
    withdraw(uow, librarian, pid, queue)
    with uow:
        do_index_publications(uow, engine, queue.indexed, TODAY)
        assert engine.ids() == set() and check_index(uow, engine, TODAY).clean
        assert do_reindex(uow, engine, TODAY) == 0
    restore(uow, librarian, pid, queue)
    with uow:
        do_index_publications(uow, engine, queue.indexed, TODAY)
        assert engine.ids() == {str(pid)} and check_index(uow, engine, TODAY).clean
