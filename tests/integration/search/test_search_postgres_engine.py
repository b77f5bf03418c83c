"""What the PostgreSQL engine adds to the contract: writes in a caller's transaction, one index for all."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from search.engine import Query
from search.postgres_engine import PostgresSearchEngine
from search.postgres_tables import store
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


def test_closing_an_engine_given_a_database_engine_leaves_it_usable(database):
    PostgresSearchEngine(database).close()

    with database.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM fts_publication")) == 0


def test_a_second_engine_on_the_same_tables_creates_nothing_again(database):
    first = PostgresSearchEngine(database)
    first.index(LIBRARY)

    assert PostgresSearchEngine(database).ids() == {doc.publication_id for doc in LIBRARY}


def test_a_rebuild_leaves_its_tables_vacuumed(database):
    # After a rebuild every page of the search tables is marked all-visible (a term is looked up
    # in its index alone) and the replaced rows are gone, without waiting for autovacuum.
    search = PostgresSearchEngine(database)
    search.index(LIBRARY)
    search.rebuild(LIBRARY)

    with database.connect() as conn:
        tables = conn.execute(
            text(
                "SELECT c.relname, c.relallvisible, c.relpages, s.n_dead_tup FROM pg_class c "
                "JOIN pg_stat_user_tables s ON s.relid = c.oid "
                "WHERE c.relname IN ('fts_term', 'fts_page', 'fts_publication') "
                "AND c.relnamespace = CAST(current_schema() AS regnamespace)"
            )
        ).all()
    assert len(tables) == 3
    for name, all_visible, pages, dead in tables:
        assert pages > 0 and all_visible == pages, name
        assert dead == 0, name
    assert search.search(Query("migrasi")).total == 1
