"""PostgreSQL's rebuild into fresh tables: the rows, names and answers of indexing one by one, or none."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from dataclasses import replace

import pytest
from sqlalchemy import Engine, create_engine, text

from search import analysis
from search.engine import PageText, Query
from search.postgres.engine import PostgresSearchEngine
from search.postgres.rebuild import RebuildFailed
from tests.conftest import postgres_schema
from tests.integration.search.library_docs import LIBRARY, make_doc
from tests.waiting import wait_until

pytestmark = pytest.mark.integration

ORDER = {
    "fts_publication": "publication_id",
    "fts_page": "publication_id, ordinal",
    "fts_term": "term, publication_id",
    "fts_lexicon": "word",
}
# What COPY's text format must escape, and what a tsvector's or an array's text must quote.
ODD = make_doc(
    "odd\\one",
    'Tabel\t"kutip" O\'Brien \\ garis',
    "Baris satu\r\nbaris dua\tkolom \\N kosong \x00 nul 'petik' \"dua\" {kurung} a,b",
    "ʻokina İstanbul ﬁnal 1.234,5 2023",
    issn='12"34\\-5,{6}',
    language="en",
)


def varied(times: int) -> list:
    """Return `times` copies of the library and the odd publication, each with a page of its own."""
    docs = []
    for n in range(times):
        for doc in [*LIBRARY, ODD]:
            own = PageText(
                len(doc.pages) + 1, f"Tabel {n} nilai {n * 37}.{n:03d} kecamatan ke-{n} tahun 20{n:02d}"
            )
            docs.append(replace(doc, publication_id=f"{doc.publication_id}-{n}", pages=(*doc.pages, own)))
    docs[3] = replace(docs[3], pages_closed=True)
    return docs


@pytest.fixture
def database():
    """Yield a SQLAlchemy engine on a migrated schema of its own (as a deployed database's)."""
    with postgres_schema("search_rebuild", migrated=True) as url:
        engine = create_engine(url)
        yield engine
        engine.dispose()


def rows(database: Engine) -> dict[str, list[tuple]]:
    """Return every row of the search tables, in key order, as text."""
    with database.connect() as conn:
        return {
            table: conn.execute(text(f"SELECT CAST(t AS text) FROM {table} t ORDER BY {order}"))
            .scalars()
            .all()
            for table, order in ORDER.items()
        }


def shape(database: Engine) -> dict[str, list]:
    """Return the search tables' columns, indexes and constraints as the catalogue describes them."""
    tables = {"tables": list(ORDER)}
    queries = {
        "columns": "SELECT attrelid::regclass::text, attname, format_type(atttypid, atttypmod), attnotnull, "
        "attcollation, attnum FROM pg_attribute WHERE attrelid = ANY(CAST(:tables AS regclass[])) "
        "AND attnum > 0 AND NOT attisdropped ORDER BY 1, attnum",
        "indexes": "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid), c.reloptions "
        "FROM pg_index JOIN pg_class c ON c.oid = indexrelid "
        "WHERE indrelid = ANY(CAST(:tables AS regclass[])) ORDER BY 1",
        "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated "
        "FROM pg_constraint WHERE conrelid = ANY(CAST(:tables AS regclass[])) ORDER BY 1, 2",
        "tables": "SELECT relname, reloptions, relkind, relpersistence FROM pg_class "
        "WHERE oid = ANY(CAST(:tables AS regclass[])) ORDER BY 1",
    }
    with database.connect() as conn:
        return {name: conn.execute(text(sql), tables).all() for name, sql in queries.items()}


def answers(engine: PostgresSearchEngine) -> list:
    """Return the engine's answers to a few queries."""
    return [
        engine.search(Query(typed, closed_text=True))
        for typed in ("penduduk", "kependudukan", '"migrasi masuk"', "pendudk", "tabel 7", "2023", "brien")
    ]


@pytest.mark.parametrize("bulk_pages", [1, 1_000_000], ids=["helper processes", "this process"])
def test_a_rebuild_writes_the_rows_indexing_one_publication_at_a_time_writes(database, bulk_pages):
    docs = varied(8)
    with (
        postgres_schema("search_rebuild_one", migrated=True) as url,
        PostgresSearchEngine(url, create=False) as one,
    ):
        for doc in docs:
            one.index([doc])
        rebuilt = PostgresSearchEngine(database, create=False)
        rebuilt.bulk_pages = bulk_pages
        rebuilt.index(LIBRARY)  # replaced, and the odd ones' words gone from the lexicon

        rebuilt.rebuild(docs)

        assert rows(database) == rows(one._engine)
        assert answers(rebuilt) == answers(one)


def test_a_rebuilt_index_has_the_migrated_names_and_takes_updates_and_deletions(database):
    engine = PostgresSearchEngine(database, create=False)
    migrated = shape(database)

    engine.rebuild(varied(2))

    assert shape(database) == migrated
    engine.index([replace(LIBRARY[0], publication_id="metro-2023-0", title="Kota Metro Migrasi")])
    engine.delete(["tuba-2022-0", "tuba-2022-1"])
    assert engine.search(Query("migrasi")).total == 1
    with database.connect() as conn:  # the pages and terms went with their publications (ON DELETE CASCADE)
        assert conn.scalar(text("SELECT count(*) FROM fts_page WHERE publication_id LIKE 'tuba-2022-%'")) == 0
        assert conn.scalar(text("SELECT count(*) FROM fts_term WHERE publication_id LIKE 'tuba-2022-%'")) == 0


def assert_unchanged(database: Engine, engine: PostgresSearchEngine, before: dict) -> None:
    """Assert the index holds what it held, and no fresh table of the failed rebuild is left."""
    assert rows(database) == before
    assert engine.search(Query("migrasi")).total == 1
    with database.connect() as conn:
        assert conn.scalar(text("SELECT to_regclass('fts_publication_next')")) is None


def test_a_rebuild_whose_helper_process_dies_fails_and_keeps_the_old_index(database, monkeypatch):
    engine = PostgresSearchEngine(database, create=False)
    engine.index(LIBRARY)
    before = rows(database)
    engine.bulk_pages = 1
    docs = varied(6)
    docs[0] = replace(docs[0], pages=(*docs[0].pages, PageText(99, "meledakkanlah semuanya")))

    def stem(word: str) -> str:  # kills the process analysing it, as a bug or a lack of memory would
        if word == "meledakkanlah":
            os.kill(os.getpid(), signal.SIGKILL)
        return word

    monkeypatch.setattr(analysis, "stem_indonesian", stem)  # what the forked helpers will call
    with pytest.raises(RebuildFailed):
        engine.rebuild(docs)
    monkeypatch.undo()

    assert multiprocessing.active_children() == []
    assert_unchanged(database, engine, before)


def test_a_rebuild_whose_publications_fail_to_come_keeps_the_old_index(database):
    engine = PostgresSearchEngine(database, create=False)
    engine.index(LIBRARY)
    before = rows(database)

    def docs():
        yield from varied(2)
        raise RuntimeError("the catalogue could not be read")

    with pytest.raises(RuntimeError):
        engine.rebuild(docs())

    assert_unchanged(database, engine, before)


def test_a_search_holding_the_tables_during_the_swap_sees_the_old_index_and_the_rebuild_waits_for_it(
    database,
):
    engine = PostgresSearchEngine(database, create=False)
    engine.index(LIBRARY)
    reader = database.connect().execution_options(isolation_level="REPEATABLE READ")
    assert reader.scalar(text("SELECT count(*) FROM fts_term WHERE term = 'w:migrasi'")) == 1
    rebuilt = threading.Thread(target=engine.rebuild, args=(LIBRARY[:1],))
    rebuilt.start()

    def swapping() -> bool:  # the rebuild waits for the reader's lock on fts_term
        with database.connect() as conn:
            return bool(
                conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                        "WHERE NOT l.granted AND c.relname = 'fts_term' AND l.mode = 'AccessExclusiveLock'"
                    )
                )
            )

    wait_until(swapping, message="the rebuild never came to the swap")
    # Another table, read after the rebuild asked for its lock: no deadlock, the old rows.
    assert reader.scalar(text("SELECT count(*) FROM fts_page WHERE publication_id = 'tuba-2022'")) > 0
    reader.close()
    rebuilt.join()

    assert engine.ids() == {LIBRARY[0].publication_id}
