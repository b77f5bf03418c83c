"""How fast PostgreSQL's search index is rebuilt (`pustaka reindex`): the old way against the new.

    python -m benchmarks.postgres_rebuild                  # 100,000 pages (issue 59's size)
    python -m benchmarks.postgres_rebuild --pages 20000    # a quick run

Generates the search benchmark's seeded corpus (benchmarks/_search_corpus.py), indexes it once
(untimed: a reindex replaces a full index), then rebuilds it --rounds times each way, taking
turns (the old way first in odd rounds, the new way first in even ones), so that whatever else
the machine runs weighs on both:

- old: the rows deleted and written again into the live tables, INSERT ... unnest, 50
  publications a statement, their GIN indexes kept up to date (the engine before 27 Nov 2026);
- new: `PostgresSearchEngine.rebuild` (`search.postgres_rebuild`): fresh tables loaded by
  COPY with rows analysed in helper processes, indexed once, swapped in at the commit.

Both end with the VACUUM the engine runs. After each rebuild a checksum of every table's rows
is taken: the two ways must leave the same rows. Prints pages/s of each and the ratio new/old.
PostgreSQL runs in a schema of its own in --database-url, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, create_engine, text  # noqa: E402

from benchmarks._search_corpus import build_corpus  # noqa: E402
from search.analysis import load_stemmers  # noqa: E402
from search.engine import PublicationDoc  # noqa: E402
from search.postgres_engine import PostgresSearchEngine  # noqa: E402
from search.postgres_tables import TABLES, remove_all, store, vacuum  # noqa: E402

DEFAULT_URL = os.environ.get("PUSTAKA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
GIN_INDEXES = (
    "fts_publication_meta",
    "fts_publication_body",
    "fts_publication_closed_body",
    "fts_publication_identifiers",
    "fts_page_lexemes",
)
ORDER = {
    "fts_publication": "publication_id",
    "fts_page": "publication_id, ordinal",
    "fts_term": "term, publication_id",
    "fts_lexicon": "word",
}


def old_rebuild(database: Engine, docs: list[PublicationDoc]) -> None:
    """Rebuild the index as the engine did before 27 Nov 2026: DELETE, then INSERT into the live tables."""
    with database.begin() as conn:
        remove_all(conn)
        store(conn, docs)
        for index in GIN_INDEXES:  # its `settle`: the GIN indexes' pending lists merged
            conn.execute(text("SELECT gin_clean_pending_list(CAST(:index AS regclass))"), {"index": index})
        for table in TABLES:
            conn.execute(text(f"ANALYZE {table}"))
    vacuum(database)


def checksum(database: Engine) -> dict[str, str]:
    """Return a checksum of each search table's rows, in key order."""
    with database.connect() as conn:
        return {
            table: conn.scalar(
                text(f"SELECT md5(string_agg(md5(CAST(t AS text)), '' ORDER BY {order})) FROM {table} t")
            )
            for table, order in ORDER.items()
        }


def timed(action: Callable[[], None]) -> float:
    """Return the seconds an action took."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run(pages: int, rounds: int, url: str) -> None:
    """Rebuild the corpus both ways, in turns, and print pages/s and the ratio."""
    corpus = build_corpus(pages)
    load_stemmers()
    print(f"{len(corpus.docs):,} publications, {corpus.pages:,} pages, {rounds} round(s) each way")
    schema = f"bench_rebuild_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = create_engine(f"{url}?options=-csearch_path%3D{schema}")
    try:
        engine = PostgresSearchEngine(database)
        print(f"first index (untimed, new way): {timed(lambda: engine.rebuild(corpus.docs)):.1f} s")
        ways = {"old": lambda: old_rebuild(database, corpus.docs), "new": lambda: engine.rebuild(corpus.docs)}
        seconds: dict[str, list[float]] = {"old": [], "new": []}
        sums: dict[str, dict[str, str]] = {}
        for number in range(rounds):
            for way in ("old", "new") if number % 2 == 0 else ("new", "old"):
                took = timed(ways[way])
                seconds[way].append(took)
                sums[way] = checksum(database)
                print(f"  round {number + 1}, {way}: {took:.1f} s, {corpus.pages / took:,.0f} pages/s")
        old, new = (corpus.pages / statistics.median(seconds[way]) for way in ("old", "new"))
        same = "identical" if sums["old"] == sums["new"] else f"DIFFERENT: {sums}"
        print(f"old {old:,.0f} pages/s, new {new:,.0f} pages/s: new/old {new / old:.2f}x; rows {same}")
    finally:
        database.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=100_000, help="pages of the synthetic corpus")
    parser.add_argument("--rounds", type=int, default=1, help="rebuilds each way, taking turns")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="a PostgreSQL database to work in")
    args = parser.parse_args()
    run(args.pages, args.rounds, args.database_url)


if __name__ == "__main__":
    main()
