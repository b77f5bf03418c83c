"""A whole rebuild of the PostgreSQL search tables: fresh tables, loaded by COPY, indexed once, swapped in.

Writing every row into the live tables kept their GIN indexes up to date a row at a time
(three quarters of the time the pages took); here, in one transaction:

1. The search tables are locked against writers (EXCLUSIVE: searches go on reading them, a
   publication's change waits for the rebuild, as it waited for the rows it deleted before).
2. Fresh tables `fts_*_next` are made like them (`LIKE ... INCLUDING ALL`, no indexes) and
   loaded by `COPY ... (FREEZE)` with rows analysed by helper processes (`search.postgres.copy`).
3. Their indexes and constraints are made at once, from the live tables' own definitions (so
   a migrated database's names and options come out the same), and they are ANALYZEd.
4. The swap: the live tables are locked for a moment (ACCESS EXCLUSIVE, taken in a savepoint
   with a short lock_timeout and tried again, so that a search holding one of them is never
   deadlocked with the rebuild), dropped, and the fresh ones renamed, indexes too.

Searches see the old tables until the commit. A search that reaches a table only after the
commit, with a snapshot taken before it, sees the new rows: they were written frozen, visible
to every snapshot (rows written by an ordinary COPY would be invisible to it: the table would
look empty). Anything failing on the way (a helper process dying, the database) rolls the
whole transaction back: the old tables stay, and the fresh ones never existed.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from search.analysis import load_stemmers
from search.engine import PublicationDoc, SearchError
from search.postgres.copy import (
    PAGE_COLUMNS,
    PUBLICATION_COLUMNS,
    TERM_COLUMNS,
    CopyRows,
    copy_rows,
    lexicon_text,
)
from search.processes import die_with_parent

TABLES = ("fts_publication", "fts_page", "fts_term", "fts_lexicon")  # parents first
NEXT = "_next"
BATCH_PAGES = 250  # pages a helper process analyses at a time
COPY_PAGES = 2_000  # pages whose rows one COPY a table writes
# Batches handed to the helpers ahead of the one being written: more pages than a COPY writes,
# so that they go on analysing while this process waits for PostgreSQL.
AHEAD = 3 * COPY_PAGES // BATCH_PAGES
INDEX_MEMORY = "256MB"  # maintenance_work_mem for the index builds (GIN's sorts its entries in it)
SWAP_LOCK_MS = 200  # how long one try at the swap waits for searches to let go of the tables
SWAP_SECONDS = 120.0  # how long the tries go on before the rebuild gives up (the old index stays)
LOCK_NOT_AVAILABLE = "55P03"
MAX_PROCS = 4  # the writing process and PostgreSQL need cores too


class RebuildFailed(SearchError):
    """A rebuild could not finish; the index it was replacing is still there."""


@dataclass(frozen=True)
class _Shape:
    """What the fresh tables need to look like the live ones: statements, and names to rename."""

    build: list[str]  # indexes and constraints of the fresh tables, in order
    renames: list[tuple[str, str]]  # (temporary index name, the live table's index name)


def rebuild_tables(conn: Connection, docs: Iterable[PublicationDoc], procs: int) -> None:
    """Replace the search tables by ones holding these publications, in the connection's transaction.

    `procs` > 1 analyses the publications in that many helper processes; the connection must
    be READ COMMITTED (COPY FREEZE refuses a transaction that holds a snapshot).
    """
    names = ", ".join(TABLES)
    conn.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
    shape = _shape(conn)
    for table in TABLES:
        conn.execute(text(f"CREATE TABLE {table}{NEXT} (LIKE {table} INCLUDING ALL EXCLUDING INDEXES)"))
    _load(conn, analysed(docs, procs))
    conn.execute(text(f"SET LOCAL maintenance_work_mem = '{INDEX_MEMORY}'"))
    for statement in shape.build:
        conn.execute(text(statement))
    for table in TABLES:
        conn.execute(text(f"ANALYZE {table}{NEXT}"))
    _take_over(conn)
    conn.execute(text(f"DROP TABLE {names}"))
    for table in TABLES:
        conn.execute(text(f"ALTER TABLE {table}{NEXT} RENAME TO {table}"))
    for temporary, name in shape.renames:
        conn.execute(text(f'ALTER INDEX "{temporary}" RENAME TO "{name}"'))


_INDEXES = text(
    "SELECT t.relname, i.relname, pg_get_indexdef(i.oid), format('INDEX %I ON %I.%I ', i.relname, "
    "n.nspname, t.relname), c.contype FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
    "JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
    "LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid "
    "WHERE x.indrelid = ANY(CAST(:tables AS regclass[])) ORDER BY t.relname, i.relname"
)
_CONSTRAINTS = text(
    "SELECT t.relname, c.conname, c.contype, pg_get_constraintdef(c.oid), "
    "CAST(CAST(c.confrelid AS regclass) AS text), r.relname FROM pg_constraint c "
    "JOIN pg_class t ON t.oid = c.conrelid LEFT JOIN pg_class r ON r.oid = c.confrelid "
    "WHERE c.conrelid = ANY(CAST(:tables AS regclass[])) AND c.contype NOT IN ('c', 'p', 'u') "
    "ORDER BY t.relname, c.conname"
)


def _shape(conn: Connection) -> _Shape:
    """Read the live tables' indexes and constraints, as statements for the fresh tables."""
    build, renames = [], []
    for number, (table, index, definition, head, contype) in enumerate(
        conn.execute(_INDEXES, {"tables": list(TABLES)})
    ):
        temporary = f"fts_next_{number}"
        if head not in definition:
            raise RebuildFailed(f"unexpected definition of the index {index}: {definition}")
        build.append(definition.replace(head, f'INDEX "{temporary}" ON {table}{NEXT} ', 1))
        if contype in ("p", "u"):
            kind = "PRIMARY KEY" if contype == "p" else "UNIQUE"
            build.append(
                f'ALTER TABLE {table}{NEXT} ADD CONSTRAINT "{temporary}" {kind} USING INDEX "{temporary}"'
            )
        renames.append((temporary, index))
    # Foreign keys last: made on the loaded tables, each checked by one join (not a row at a time).
    for table, name, contype, definition, referenced, referenced_table in conn.execute(
        _CONSTRAINTS, {"tables": list(TABLES)}
    ):
        target = f" REFERENCES {referenced}("
        if contype != "f" or referenced_table not in TABLES or definition.count(target) != 1:
            raise RebuildFailed(f"the search table {table} has a constraint a rebuild cannot copy: {name}")
        definition = definition.replace(target, f" REFERENCES {referenced_table}{NEXT}(")
        build.append(f'ALTER TABLE {table}{NEXT} ADD CONSTRAINT "{name}" {definition}')
    return _Shape(build, renames)


def _load(conn: Connection, batches: Iterable[CopyRows]) -> None:
    """Write the rows into the fresh tables, a few thousand pages by one COPY a table."""
    # Closed whatever happens (a batch that fails to come, a refused row): the connection stays the pool's.
    with conn.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
        words: set[str] = set()
        pending: list[CopyRows] = []
        for rows in batches:
            pending.append(rows)
            words |= rows.words
            if sum(item.page_count for item in pending) >= COPY_PAGES:
                _copy_batches(cursor, pending)
                pending = []
        _copy_batches(cursor, pending)
        _copy(cursor, "fts_lexicon", ("word",), [lexicon_text(words)])


def _copy_batches(cursor, batches: list[CopyRows]) -> None:  # noqa: ANN001 (a psycopg cursor)
    if batches:
        _copy(cursor, "fts_publication", PUBLICATION_COLUMNS, [rows.publications for rows in batches])
        _copy(cursor, "fts_page", PAGE_COLUMNS, [rows.pages for rows in batches])
        _copy(cursor, "fts_term", TERM_COLUMNS, [rows.terms for rows in batches])


def _copy(cursor, table: str, columns: tuple[str, ...], texts: list[str]) -> None:  # noqa: ANN001
    with cursor.copy(f"COPY {table}{NEXT} ({', '.join(columns)}) FROM STDIN (FREEZE)") as copy:
        for chunk in texts:
            copy.write(chunk)


def _take_over(conn: Connection) -> None:
    """Lock the live tables for the swap, never waiting long enough for a deadlock with a search."""
    deadline = time.monotonic() + SWAP_SECONDS
    while True:
        savepoint = conn.begin_nested()
        try:
            conn.execute(text(f"SET LOCAL lock_timeout = '{SWAP_LOCK_MS}ms'"))
            conn.execute(text(f"LOCK TABLE {', '.join(TABLES)} IN ACCESS EXCLUSIVE MODE"))
        except OperationalError as error:
            savepoint.rollback()  # lets go of the locks it took, and of its lock_timeout
            if getattr(error.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE or time.monotonic() > deadline:
                raise
            continue
        conn.execute(text("SET LOCAL lock_timeout = DEFAULT"))
        savepoint.commit()
        return


def bulk_processes() -> int:
    """Return how many helper processes analyse a large rebuild: one a core (up to MAX_PROCS), 0 for none."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cores, MAX_PROCS) if cores > 1 else 0


def analysed(docs: Iterable[PublicationDoc], procs: int) -> Iterator[CopyRows]:
    """Yield the publications' rows a few hundred pages at a time, analysed by `procs` processes (0: here)."""
    if procs <= 1:
        yield from map(copy_rows, _batches(docs))
        return
    load_stemmers()  # once, before the processes start: each gets them loaded
    pool = ProcessPoolExecutor(procs, mp_context=get_context("fork"), initializer=die_with_parent)
    try:
        pending: deque[Future[CopyRows]] = deque()
        for batch in _batches(docs):
            pending.append(pool.submit(copy_rows, batch))
            if len(pending) > AHEAD:  # some batches ahead, not the whole catalogue in memory
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _result(future: Future[CopyRows]) -> CopyRows:
    try:
        return future.result()
    except BrokenProcessPool as error:
        raise RebuildFailed(f"a process analysing publications for the rebuild ended: {error}") from error


def _batches(docs: Iterable[PublicationDoc]) -> Iterator[list[PublicationDoc]]:
    batch: list[PublicationDoc] = []
    pages = 0
    for doc in docs:
        batch.append(doc)
        pages += len(doc.pages)
        if pages >= BATCH_PAGES:
            yield batch
            batch, pages = [], 0
    if batch:
        yield batch
