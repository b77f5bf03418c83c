"""Benchmark the PostgreSQL search engine against the Whoosh engine on the same publications.

    python benchmarks/postgres_search.py                  # the contract library and 3,000 pages
    python benchmarks/postgres_search.py --pages 10000    # a larger synthetic corpus

Indexes the search contract's small library, then a seeded corpus of statistical Indonesian
pages (benchmarks/_search_corpus.py), with both engines; runs the same query mix on both, each
query on one then the other (the mix of benchmarks/search.py on the corpus), and prints
p50/p95 per kind of query with the ratio PostgreSQL/Whoosh, indexing time and storage. Whoosh
keeps whole answers and vocabulary lookups per index version; here both are emptied before each
of its searches, as are PostgreSQL's kept answers, so both engines work every answer out.
Then it compares the answers: totals, facets, suggestions and the first page's publications (as
sets: the two rank with different formulas). PostgreSQL runs in a schema of its own in
--database-url, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

from benchmarks._search_corpus import build_corpus  # noqa: E402
from benchmarks.search import query_mix  # noqa: E402
from search.engine import PublicationDoc, Query  # noqa: E402
from search.postgres.engine import PostgresSearchEngine  # noqa: E402
from search.whoosh.engine import WhooshSearchEngine  # noqa: E402
from tests.integration.search.library_docs import LIBRARY  # noqa: E402

DEFAULT_URL = os.environ.get("PUSTAKA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

LIBRARY_MIX = [
    ("words", Query("migrasi")),
    ("words", Query("penduduk kepadatan")),
    ("stems", Query("kependudukan")),
    ("phrase", Query('"pengangguran terbuka"')),
    ("prefix", Query("migr*")),
    ("typo", Query("migarsi")),
    ("suggest", Query("mugrasu keluar")),
    ("identifier", Query("ISSN 2089-1234")),
    ("filters", Query(filters={"year": ("2021", "2022")})),
    ("newest", Query("kecamatan", sort="newest")),
]


def percentile(values: list[float], fraction: float) -> float:
    """Return the value at a fraction (0.5: the median) of the sorted values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def time_queries(searches: list, mix: list[tuple[str, Query]], rounds: int) -> list[dict[str, list[float]]]:
    """Run the mix once to warm up, then `rounds` times; return each search's milliseconds per kind.

    Each query runs on every engine in turn, so that whatever else the machine runs weighs on both.
    """
    for search in searches:
        for _, query in mix:
            search(query)
    timings: list[dict[str, list[float]]] = [{} for _ in searches]
    for _ in range(rounds):
        for kind, query in mix:
            for search, times in zip(searches, timings, strict=True):
                started = time.perf_counter()
                search(query)
                times.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    return timings


def worked_out(engine: PostgresSearchEngine | WhooshSearchEngine):
    """Return a search on the engine with its kept answers (and Whoosh's lookups) emptied first."""

    def search(query: Query):
        engine._answers.clear()
        if isinstance(engine, WhooshSearchEngine):
            engine._lookups.clear()
        return engine.search(query)

    return search


def print_table(postgres: dict[str, list[float]], whoosh: dict[str, list[float]]) -> None:
    """Print p50/p95 per kind of query for both engines, and PostgreSQL's over Whoosh's."""
    heads = f"{'PostgreSQL p50':>15}{'p95':>7}{'Whoosh p50':>12}{'p95':>7}{'p50 PG/W':>10}{'p95 PG/W':>10}"
    print(f"{'query':<11}{heads}  (ms)")
    for kind in [*postgres, "all"]:
        pg = sum(postgres.values(), []) if kind == "all" else postgres[kind]
        wh = sum(whoosh.values(), []) if kind == "all" else whoosh[kind]
        p50s = percentile(pg, 0.5), percentile(wh, 0.5)
        p95s = percentile(pg, 0.95), percentile(wh, 0.95)
        print(
            f"{kind:<11}{p50s[0]:>15.2f}{p95s[0]:>7.2f}{p50s[1]:>12.2f}{p95s[1]:>7.2f}"
            f"{p50s[0] / p50s[1]:>9.2f}x{p95s[0] / p95s[1]:>9.2f}x"
        )


def print_asked_again(postgres: PostgresSearchEngine, mix: list[tuple[str, Query]], rounds: int) -> None:
    """Print PostgreSQL's p50 of a search asked again (its kept answer) beside one worked out, same mix.

    The two are timed one after the other, not in turn: a search worked out empties the kept answers.
    """
    (kept,) = time_queries([postgres.search], mix, rounds)
    (fresh,) = time_queries([worked_out(postgres)], mix, rounds)
    every_kept, every_fresh = sum(kept.values(), []), sum(fresh.values(), [])
    print(
        f"asked again: PostgreSQL p50 {percentile(every_kept, 0.5):.2f} ms (its kept answer, the "
        f"version read), worked out {percentile(every_fresh, 0.5):.2f} ms: "
        f"{percentile(every_kept, 0.5) / percentile(every_fresh, 0.5):.2f}x"
    )


def compare(postgres: PostgresSearchEngine, whoosh: WhooshSearchEngine, mix: list[tuple[str, Query]]) -> None:
    """Print, per query, where the two engines' answers differ (totals, first page, suggestion)."""
    same = 0
    for kind, query in mix:
        pg, wh = postgres.search(query), whoosh.search(query)
        pg_ids, wh_ids = {h.publication_id for h in pg.hits}, {h.publication_id for h in wh.hits}
        if (pg.total, pg_ids, pg.suggestion, pg.facets) == (wh.total, wh_ids, wh.suggestion, wh.facets):
            same += 1
            continue
        print(
            f"  differs: {kind} {query.text!r}: totals {pg.total} / {wh.total}, first page shares "
            f"{len(pg_ids & wh_ids)} of {len(wh_ids)}, suggestions {pg.suggestion!r} / {wh.suggestion!r}"
            + ("" if pg.facets == wh.facets else ", facets differ")
        )
    print(f"  same total, first page, facets and suggestion: {same} of {len(mix)} queries")


def run(label: str, docs: list[PublicationDoc], mix: list[tuple[str, Query]], url: str, rounds: int) -> None:
    """Index the publications with both engines, time the mix on both and compare the answers."""
    pages = sum(len(doc.pages) for doc in docs)
    print(f"\n{label}: {len(docs):,} publications, {pages:,} pages, {len(mix)} queries x {rounds} rounds")
    schema = f"bench_pg_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        with tempfile.TemporaryDirectory() as folder:
            database = create_engine(f"{url}?options=-csearch_path%3D{schema}")
            with PostgresSearchEngine(database) as postgres, WhooshSearchEngine(Path(folder)) as whoosh:
                pg_seconds = _seconds(lambda: postgres.rebuild(docs))
                wh_seconds = _seconds(lambda: whoosh.rebuild(docs))
                wh_size = sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file())
                pg_size = schema_bytes(database, schema)
                print(
                    f"indexing: PostgreSQL {pages / pg_seconds:,.0f} pages/s ({pg_seconds:.1f} s), "
                    f"Whoosh rebuild {pages / wh_seconds:,.0f} pages/s ({wh_seconds:.1f} s); storage "
                    f"PostgreSQL {pg_size / 1e6:,.1f} MB, Whoosh {wh_size / 1e6:,.1f} MB"
                )
                print_table(*time_queries([worked_out(postgres), worked_out(whoosh)], mix, rounds))
                print_asked_again(postgres, mix, rounds)
                compare(postgres, whoosh, mix)
            database.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def schema_bytes(database, schema: str) -> float:
    """Return the bytes of a schema's tables with their indexes and TOAST."""
    with database.connect() as conn:
        size = conn.scalar(
            text(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                "WHERE c.relkind = 'r' AND c.relnamespace = CAST(:schema AS regnamespace)"
            ),
            {"schema": schema},
        )
    return float(size or 0)


def _seconds(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    """Run the benchmark on the contract library and on a synthetic corpus."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=3000, help="pages of the synthetic corpus")
    parser.add_argument("--rounds", type=int, default=20, help="times the query mix runs on each engine")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="a PostgreSQL database to work in")
    args = parser.parse_args()
    run("contract library", list(LIBRARY), LIBRARY_MIX, args.database_url, args.rounds)
    corpus = build_corpus(args.pages)
    mix = [(kind, query) for kind, query, _ in query_mix(corpus)]
    run("synthetic corpus", corpus.docs, mix, args.database_url, max(1, args.rounds // 2))


if __name__ == "__main__":
    main()
