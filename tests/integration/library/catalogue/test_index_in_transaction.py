"""On PostgreSQL's search engine a publication's change and its search rows share one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import Engine

from library.catalogue.editing import check_edit_publication, check_withdraw_publication, get_editable
from library.catalogue.indexing import check_index, index_in_transactions
from library.db import make_engine, make_session_factory
from library.models import Office, Publication, Role, User
from library.models.identifier import PREFIX_KEY
from library.uow import UnitOfWork
from search.engine import Query
from search.postgres import tables as postgres_tables
from search.postgres.engine import PostgresSearchEngine
from tests.conftest import empty_all_tables
from tests.integration.library.accounts_helpers import stored_person
from tests.integration.library.ingest_fixtures import RecordingQueue

pytestmark = pytest.mark.postgres
TODAY = dt.date(2026, 11, 27)
NOW = dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def database(postgres_schema_url: str) -> Iterator[Engine]:
    """Yield an engine on the session's migrated PostgreSQL schema, emptied after the test."""
    engine = make_engine(postgres_schema_url)
    yield engine
    empty_all_tables(engine)
    engine.dispose()


@pytest.fixture
def bound(database: Engine) -> UnitOfWork:
    """Return a unit of work whose sessions write the search rows in their own transaction."""
    factory = make_session_factory(database)
    index_in_transactions(factory, postgres_tables, lambda: TODAY)
    return UnitOfWork(factory)


@pytest.fixture
def other_host(postgres_schema_url: str) -> Iterator[PostgresSearchEngine]:
    """Return a search engine with connections of its own, as another web host reads."""
    engine = make_engine(postgres_schema_url)
    with PostgresSearchEngine(engine, create=False) as search:
        yield search
    engine.dispose()


@pytest.fixture
def librarian(bound: UnitOfWork) -> User:
    return stored_person(bound, "wulan@bps.go.id", [Role.LIBRARIAN], "Wulan Pustakawan", email_verified=True)


@pytest.fixture
def pid(bound: UnitOfWork, librarian: User, queue: RecordingQueue) -> int:
    """Store a publication and index it with a first committed edit; return its id."""
    with bound as uow:
        publication = Publication(
            key="mda",
            title="Kota Metro Dalam Angka",
            issuing_office=Office(code="1872", name="BPS Kota Metro"),
            language="id",
            actual_release=dt.date(2024, 2, 28),
        )
        uow.session.add(publication)
        uow.commit()
    edit(bound, librarian, publication.id, queue, subject="Kependudukan", commit=True)
    return publication.id


def edit(
    uow: UnitOfWork, actor: User, pid: int, queue: RecordingQueue, *, commit: bool, **changed: str
) -> None:
    """Save the changed fields as the view does; commit or leave the block without committing."""
    with uow:
        before = get_editable(uow, actor, pid)
        fields = replace(before.fields, **changed)
        check_edit_publication(uow, actor, queue, pid, before.version, fields, today=TODAY, now=NOW)
        if commit:
            uow.commit()


def test_binding_the_index_keeps_what_the_sessions_knew_before(database) -> None:
    factory = make_session_factory(database)
    factory.configure(info={PREFIX_KEY: "bps1872"})

    index_in_transactions(factory, postgres_tables, lambda: TODAY)

    assert factory().info[PREFIX_KEY] == "bps1872"


def titles(search: PostgresSearchEngine, words: str) -> list[str]:
    return [hit.title for hit in search.search(Query(text=words)).hits]


def test_a_committed_change_is_found_at_once_by_another_host_and_queues_no_job(
    bound, librarian, pid, queue, other_host
) -> None:
    edit(bound, librarian, pid, queue, title="Statistik Hortikultura Kota Metro", commit=True)
    assert titles(other_host, "hortikultura") == ["Statistik Hortikultura Kota Metro"]
    assert titles(other_host, "dalam angka") == []
    assert queue.indexed == []
    with bound as uow:
        assert check_index(uow, other_host, TODAY).clean


def test_a_change_that_rolls_back_leaves_the_index_as_it_was(
    bound, librarian, pid, queue, other_host
) -> None:
    before = other_host.fingerprints()
    edit(bound, librarian, pid, queue, title="Statistik Hortikultura Kota Metro", commit=False)
    assert other_host.fingerprints() == before
    assert titles(other_host, "hortikultura") == []
    assert titles(other_host, "dalam angka") == ["Kota Metro Dalam Angka"]


def test_the_search_rows_are_written_before_the_commit_and_shown_to_others_only_after_it(
    bound, librarian, pid, queue, other_host
) -> None:
    with bound as uow:
        before = get_editable(uow, librarian, pid)
        fields = replace(before.fields, title="Statistik Hortikultura")
        check_edit_publication(uow, librarian, queue, pid, before.version, fields, today=TODAY, now=NOW)
        written = uow.session.connection().exec_driver_sql(
            "SELECT title FROM fts_publication WHERE publication_id = %s", (str(pid),)
        )
        assert written.scalar() == "Statistik Hortikultura"  # in this transaction already
        assert titles(other_host, "hortikultura") == []  # not committed yet
        uow.commit()
    assert titles(other_host, "hortikultura") == ["Statistik Hortikultura"]


def test_a_withdrawal_takes_the_publication_out_of_the_index_in_its_transaction(
    bound, librarian, pid, queue, other_host
) -> None:
    with bound as uow:
        version = uow.session.get(Publication, pid).version  # type: ignore[union-attr]
        check_withdraw_publication(uow, librarian, queue, pid, version, "Diganti edisi revisi.", now=NOW)
        uow.commit()
    assert other_host.ids() == set()
    assert titles(other_host, "metro") == []


def test_a_change_raises_the_index_version_only_as_it_commits_and_other_hosts_then_search_anew(
    bound, librarian, pid, queue, other_host, database
) -> None:
    # The version's row is locked from the raise to the commit: taken last, a change holding it
    # never waits on rows another change holds. The other host keeps its answer till then.
    assert titles(other_host, "hortikultura") == []
    with database.connect() as conn:
        version = conn.exec_driver_sql("SELECT version FROM fts_version").scalar()
    with bound as uow:
        before = get_editable(uow, librarian, pid)
        fields = replace(before.fields, title="Statistik Hortikultura")
        check_edit_publication(uow, librarian, queue, pid, before.version, fields, today=TODAY, now=NOW)
        with uow.session.begin_nested():  # a SAVEPOINT released is no commit: the version waits
            uow.session.get(Publication, pid)
        with database.connect() as conn:  # free before the commit: NOWAIT would fail on a lock
            locked = "SELECT version FROM fts_version FOR UPDATE NOWAIT"
            assert conn.exec_driver_sql(locked).scalar() == version
        assert titles(other_host, "hortikultura") == []
        uow.commit()
    with database.connect() as conn:
        assert conn.exec_driver_sql("SELECT version FROM fts_version").scalar() > version
    assert titles(other_host, "hortikultura") == ["Statistik Hortikultura"]
