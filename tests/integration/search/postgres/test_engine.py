"""What the PostgreSQL engine adds to the contract: writes in a caller's transaction, one index for all."""

from __future__ import annotations

import pytest
from psycopg import IsolationLevel
from sqlalchemy import create_engine, event, text

from search.engine import PageQuery, Query
from search.postgres.engine import PostgresSearchEngine
from search.postgres.tables import store
from tests.conftest import postgres_schema
from tests.integration.search.library_docs import LIBRARY

pytestmark = pytest.mark.integration


@pytest.fixture
def database():
    """Yield a SQLAlchemy engine on a schema of its own."""
    with postgres_schema("search_pg", migrated=False) as url:
        engine = create_engine(url)
        yield engine
        engine.dispose()


def test_publications_stored_in_a_transaction_that_rolls_back_are_not_found(database):
    search = PostgresSearchEngine(database)

    with pytest.raises(RuntimeError), database.begin() as conn:
        store(conn, LIBRARY[:1])
        raise RuntimeError("the publication's own transaction fails")

    assert search.ids() == set()
    assert search.search(Query("kepadatan")).total == 0


def test_publications_stored_in_a_caller_transaction_are_found_once_it_commits(database):
    search = PostgresSearchEngine(database)

    with database.begin() as conn:
        store(conn, LIBRARY[:1])
        assert search.search(Query("kepadatan")).total == 0  # not before the commit

    assert search.search(Query("kepadatan")).total == 1


def test_every_engine_on_one_database_sees_the_others_writes_at_once(database):
    writer, reader = PostgresSearchEngine(database), PostgresSearchEngine(database)
    assert reader.search(Query("migrasi")).total == 0

    writer.index(LIBRARY)

    assert reader.search(Query("migrasi")).total == 1
    writer.delete(["tuba-2022"])
    assert reader.search(Query("migrasi")).total == 0
    writer.rebuild(LIBRARY)
    assert reader.search(Query("migrasi")).total == 1
    writer.clear()
    assert reader.search(Query("migrasi")).total == 0


def test_a_search_asked_again_reads_only_the_index_version_until_any_engine_writes(database):
    # The reader keeps its answers under the version it read with them; the writer is another
    # engine (another host's process) on the same tables.
    reader, writer = PostgresSearchEngine(database), PostgresSearchEngine(database)
    writer.index(LIBRARY[1:])
    statements: list[str] = []
    event.listen(database, "before_cursor_execute", lambda *args: statements.append(args[2]))
    ways: list[tuple[bool, object]] = []  # autocommit, and the isolation of the transaction if not
    way = lambda *args: ways.append((args[1].connection.autocommit, args[1].connection.isolation_level))  # noqa: E731
    event.listen(database, "before_cursor_execute", way)
    query, inside = Query("kepadatan penduduk"), PageQuery("tuba-2022", "migrasi")

    first = reader.search(query)
    assert len(statements) > 4  # the words looked up, ranked, their pages located
    # The version on its own, then one snapshot for the whole search (its total and hits agree).
    assert ways[0][0] and {(False, IsolationLevel.REPEATABLE_READ)} == set(ways[1:])
    pages = reader.search_pages(inside)
    statements.clear()
    ways.clear()
    again, pages_again = reader.search(query), reader.search_pages(inside)

    assert again is first and pages_again is pages
    assert [" ".join(sql.split()) for sql in statements] == ["SELECT version FROM fts_version"] * 2
    assert [autocommit for autocommit, _ in ways] == [True, True]  # no BEGIN and ROLLBACK around it
    writer.index(LIBRARY[:1])
    statements.clear()
    assert (first.total, reader.search(query).total) == (0, 1)
    assert len(statements) > 1


def test_closing_an_engine_given_a_database_engine_leaves_it_usable(database):
    PostgresSearchEngine(database).close()

    with database.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM fts_publication")) == 0


def test_a_second_engine_on_the_same_tables_creates_nothing_again(database):
    first = PostgresSearchEngine(database)
    first.index(LIBRARY)

    assert PostgresSearchEngine(database).ids() == {doc.publication_id for doc in LIBRARY}


def test_a_rebuild_vacuums_its_tables(database):
    # After a rebuild the search tables are VACUUMed at once (pages marked all-visible, so a term
    # is looked up in its index alone; the replaced rows gone), without waiting for autovacuum.
    # Counted by VACUUM's own statistics: what it could mark depends on every other transaction
    # open on the server (a busy test run's), whether it ran does not.
    search = PostgresSearchEngine(database)
    search.index(LIBRARY)
    counts = text(
        "SELECT relname, vacuum_count FROM pg_stat_user_tables "
        "WHERE relname IN ('fts_term', 'fts_page', 'fts_publication', 'fts_lexicon') "
        "AND schemaname = current_schema()"
    )
    with database.connect() as conn:
        before = dict(conn.execute(counts).all())

    search.rebuild(LIBRARY)

    with database.connect() as conn:
        conn.execute(text("SELECT pg_stat_clear_snapshot()"))
        after = dict(conn.execute(counts).all())
    assert sorted(after) == ["fts_lexicon", "fts_page", "fts_publication", "fts_term"]
    assert all(after[name] == before[name] + 1 for name in after), (before, after)
    assert search.search(Query("migrasi")).total == 1


def test_a_deleted_version_row_is_made_again_by_the_next_write_which_every_engine_then_sees(database):
    reader, writer = PostgresSearchEngine(database), PostgresSearchEngine(database)
    with database.begin() as conn:
        conn.execute(text("DELETE FROM fts_version"))
    assert reader.search(Query("migrasi")).total == 0

    writer.index(LIBRARY)

    assert reader.search(Query("migrasi")).total == 1
    with database.connect() as conn:
        assert conn.scalar(text("SELECT version FROM fts_version")) > 0
