"""Benchmark the Whoosh search engine against SQLite FTS5 on the same synthetic pages.

    python benchmarks/search.py                 # 300,000 pages (long: see --help)
    python benchmarks/search.py --pages 5000    # a quick run while developing

Builds a seeded corpus of statistical Indonesian publications, indexes it with the
Whoosh engine and with a page-per-row FTS5 table, runs the same query mix on both and
prints indexing pages/s (and, from CPU times, what idle cores would do: other work on the
machine slows the wall clock) and query p50/p95 with Whoosh/FTS5 ratios. FTS5 runs each query
twice: doing the engine's job (ten best publications, the total and six facet counts)
and doing only its cheapest one (the ten best pages). It has no stemming, no typo
tolerance and no snippets here.

Then, as a long-running server lives, a second engine re-indexes small publications
--updates times while one engine stays open and searches after each; the query mix on
that engine is compared with an engine newly opened on the same index (a ratio near 1:
updates leave nothing behind), and every total is checked. This changes the fingerprints
stored in --workdir's index.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from whoosh.index import exists_in  # noqa: E402

from benchmarks._search_corpus import Corpus, build_corpus  # noqa: E402
from search.engine import Query  # noqa: E402
from search.whoosh.engine import WhooshSearchEngine  # noqa: E402
from search.whoosh.schema import INDEX_NAME  # noqa: E402

# Baseline: one FTS5 row per page, publication metadata in a plain table.


def build_fts(path: Path, corpus: Corpus) -> float:
    """Index the corpus in SQLite FTS5 and return the seconds it took."""
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE pub (id TEXT PRIMARY KEY, year TEXT, subject TEXT, office TEXT,
                          publication_type TEXT, language TEXT, access_level TEXT,
                          katalog TEXT, issn TEXT, newest INTEGER);
        CREATE INDEX pub_katalog ON pub (katalog);
        CREATE INDEX pub_issn ON pub (issn);
        CREATE VIRTUAL TABLE page USING fts5(pub_id UNINDEXED, number UNINDEXED, text);
    """)
    started = time.perf_counter()
    with db:
        for doc in corpus.docs:
            db.execute(
                "INSERT INTO pub VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.publication_id,
                    str(doc.year),
                    doc.subject,
                    doc.office_code,
                    doc.publication_type,
                    doc.language,
                    doc.access_level,
                    doc.katalog_bps,
                    doc.issn,
                    doc.newest_key(),
                ),
            )
            db.executemany(
                "INSERT INTO page VALUES (?,?,?)", ((doc.publication_id, p.number, p.text) for p in doc.pages)
            )
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


FACET_COLUMNS = ("year", "subject", "office", "publication_type", "language", "access_level")


def fts_search(
    db: sqlite3.Connection,
    match: str | None = None,
    where: str = "",
    args: tuple = (),
    identifier: str | None = None,
) -> None:
    """Do the same job as one engine search: top 10 publications, total, facet counts."""
    db.execute("DROP TABLE IF EXISTS temp.h")
    if identifier is not None:
        db.execute(
            "CREATE TEMP TABLE h AS SELECT id AS pub_id, 0 AS r FROM pub WHERE katalog = ? OR issn = ?",
            (identifier, identifier),
        )
    else:
        db.execute(
            "CREATE TEMP TABLE h AS SELECT page.pub_id, min(rank) AS r FROM page "
            f"JOIN pub ON pub.id = page.pub_id WHERE page MATCH ? {where} "
            "GROUP BY page.pub_id",
            (match, *args),
        )
    db.execute("SELECT pub_id FROM h ORDER BY r LIMIT 10").fetchall()
    db.execute("SELECT count(*) FROM h").fetchone()
    for column in FACET_COLUMNS:
        db.execute(
            f"SELECT pub.{column}, count(*) FROM h JOIN pub ON pub.id = h.pub_id GROUP BY pub.{column}"
        ).fetchall()


def fts_top_pages(
    db: sqlite3.Connection,
    match: str | None = None,
    where: str = "",
    args: tuple = (),
    identifier: str | None = None,
) -> None:
    """Do FTS5's cheapest useful job: the ten best pages (no totals, no facets)."""
    if identifier is not None:
        db.execute("SELECT id FROM pub WHERE katalog = ? OR issn = ?", (identifier, identifier)).fetchall()
        return
    db.execute(
        "SELECT page.pub_id, page.number FROM page JOIN pub ON pub.id = page.pub_id "
        f"WHERE page MATCH ? {where} ORDER BY rank LIMIT 10",
        (match, *args),
    ).fetchall()


def query_mix(corpus: Corpus) -> list[tuple[str, Query, dict]]:
    """Return (kind, engine query, FTS5 equivalent) for the fixed mix of queries."""
    middle = corpus.docs[len(corpus.docs) // 2]
    largest = max(corpus.docs, key=lambda d: len(d.pages))
    return [
        ("words", Query("jumlah penduduk"), {"match": "jumlah penduduk"}),
        ("words", Query("tingkat pengangguran terbuka"), {"match": "tingkat pengangguran terbuka"}),
        ("words", Query("produksi padi kecamatan"), {"match": "produksi padi kecamatan"}),
        ("words", Query("kependudukan"), {"match": "kependudukan"}),
        ("phrase", Query('"indeks harga konsumen"'), {"match": '"indeks harga konsumen"'}),
        ("phrase", Query('"jumlah penduduk"'), {"match": '"jumlah penduduk"'}),
        ("prefix", Query("pendud*"), {"match": "pendud*"}),
        ("prefix", Query("ekspor*"), {"match": "ekspor*"}),
        ("typo", Query("pendudk"), {"match": "pendudk"}),
        ("typo", Query("pengangguan terbuka"), {"match": "pengangguan terbuka"}),
        (
            "filters",
            Query("penduduk", filters={"year": ("2020",)}),
            {"match": "penduduk", "where": "AND pub.year = ?", "args": ("2020",)},
        ),
        (
            "filters",
            Query("produksi padi", filters={"subject": ("Pertanian",), "language": ("id",)}),
            {
                "match": "produksi padi",
                "where": "AND pub.subject = ? AND pub.language = ?",
                "args": ("Pertanian", "id"),
            },
        ),
        ("identifier", Query(middle.katalog_bps), {"identifier": middle.katalog_bps}),
        ("identifier", Query(f"ISSN {middle.issn}"), {"identifier": middle.issn}),
        (
            "within",
            Query("penduduk", within_publication=largest.publication_id),
            {"match": "penduduk", "where": "AND pub.id = ?", "args": (largest.publication_id,)},
        ),
        ("newest", Query("inflasi", sort="newest"), {"match": "inflasi"}),
    ]


def _percentile(values: list[float], fraction: float) -> float:
    """Return the value at a fraction (0.5: the median) of the sorted values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _time_queries(run, mix, rounds: int) -> dict[str, list[float]]:
    """Run the mix once to warm up, then `rounds` times; return the milliseconds of each kind."""
    for _, *spec in mix:  # warm caches, as a long-running server would have them
        run(*spec)
    timings: dict[str, list[float]] = {}
    for _ in range(rounds):
        for kind, *spec in mix:
            started = time.perf_counter()
            run(*spec)
            timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    return timings


def _computed(engine: WhooshSearchEngine, query):
    """Search with the engine's kept answers and lookups emptied first: the answer is worked out."""
    engine._answers.clear()
    engine._lookups.clear()
    return engine.search(query)


def _folder_size(path: Path) -> int:
    """Return the bytes of every file under a folder."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _seconds(action) -> float:
    """Run an action once and return the seconds it took."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _print_table(columns: dict[str, dict[str, list[float]]]) -> None:
    """Print p50/p95 per query kind for each engine, and Whoosh's p95 over each other's."""
    names = list(columns)
    print(
        "query      "
        + "".join(f"{name + ' p50':>22}{'p95':>7}" for name in names)
        + "".join(f"{'p95 vs ' + name:>22}" for name in names[1:])
        + "  (ms)"
    )
    for kind in [*columns[names[0]], "all"]:
        row, p95s = f"{kind:<11}", []
        for times in columns.values():
            values = sum(times.values(), []) if kind == "all" else times[kind]
            p95s.append(_percentile(values, 0.95))
            row += f"{_percentile(values, 0.5):>22.1f}{p95s[-1]:>7.1f}"
        row += "".join(f"{p95s[0] / p95:>21.2f}x" for p95 in p95s[1:])
        print(row)


@dataclass(frozen=True)
class Timing:
    """How long an action took: wall seconds, and CPU seconds in this process and in its children."""

    wall: float
    cpu_here: float
    cpu_children: float

    @property
    def cpu(self) -> float:
        """Return the CPU seconds of this process and its children together."""
        return self.cpu_here + self.cpu_children

    def idle_bound(self, cores: int) -> float:
        """Return the seconds it would take on idle cores: the CPU shared by them, or this process's own."""
        return max(self.cpu_here, self.cpu / cores)


def _timed(action) -> Timing:
    """Run an action once and return its wall and CPU seconds (children: those it waited for)."""

    def cpu(who: int) -> float:
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    here, children, started = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
    action()
    return Timing(
        time.perf_counter() - started,
        cpu(resource.RUSAGE_SELF) - here,
        cpu(resource.RUSAGE_CHILDREN) - children,
    )


def _build_both(corpus: Corpus, whoosh_dir: Path, fts_path: Path, procs: int, old_build: bool) -> None:
    """Index the corpus with both engines and print the indexing figures.

    Whoosh builds it twice with `old_build`: first as `pustaka reindex` did before (a writer
    and a commit for each batch of 50 publications, in one process), then as it does now
    (`WhooshSearchEngine.rebuild`: one writer, a process per core, its default pool size).
    Wall times depend on what else the machine runs; CPU times much less, and the rate on
    idle cores is worked out from them.
    """
    shutil.rmtree(whoosh_dir, ignore_errors=True)
    fts_path.unlink(missing_ok=True)
    fts_seconds = build_fts(fts_path, corpus)
    pages, cores = corpus.pages, len(os.sched_getaffinity(0))
    old = None
    if old_build:
        with WhooshSearchEngine(whoosh_dir, procs=procs, limitmb=256) as engine:
            batches = [corpus.docs[i : i + 50] for i in range(0, len(corpus.docs), 50)]
            old = _timed(lambda: [engine.index(batch) for batch in batches])
        shutil.rmtree(whoosh_dir)
        print(
            f"indexing as before (a commit per 50 publications, procs={procs}): Whoosh "
            f"{pages / old.wall:,.0f} pages/s ({old.wall:,.0f} s; CPU {old.cpu / pages * 1000:.2f} ms a page)"
        )
    with WhooshSearchEngine(whoosh_dir) as engine:
        new = _timed(lambda: engine.rebuild(corpus.docs))
    whoosh_rate, fts_rate = pages / new.wall, pages / fts_seconds
    print(
        f"indexing: Whoosh rebuild {whoosh_rate:,.0f} pages/s ({new.wall:,.0f} s, one writer, "
        f"{cores} cores), FTS5 {fts_rate:,.0f} pages/s ({fts_seconds:,.1f} s); "
        f"FTS5/Whoosh {fts_rate / whoosh_rate:.1f}x"
        + (f", rebuild/before {old.wall / new.wall:.2f}x" if old else "")
    )
    print(
        f"indexing CPU: rebuild {new.cpu / pages * 1000:.2f} ms a page ({new.cpu_here / pages * 1000:.2f} "
        f"in this process, {new.cpu_children / pages * 1000:.2f} in its writers)"
        + (f", before/rebuild {old.cpu / new.cpu:.2f}x" if old else "")
        + f"; on {cores} idle cores at most {pages / new.idle_bound(cores):,.0f} pages/s"
        + (f" (before {pages / old.idle_bound(cores):,.0f})" if old else "")
    )
    print(
        f"index size: Whoosh {_folder_size(whoosh_dir) / 1e6:,.0f} MB with page texts, "
        f"FTS5 {fts_path.stat().st_size / 1e6:,.0f} MB"
    )


def _after_updates(whoosh_dir: Path, corpus: Corpus, mix, updates: int, rounds: int) -> None:
    """Print the query times of a long-lived engine after many updates against a new one's."""
    small = sorted(corpus.docs, key=lambda d: len(d.pages))[:7]
    first, wrong = [], 0
    with WhooshSearchEngine(whoosh_dir) as reader, WhooshSearchEngine(whoosh_dir) as writer:
        reader.search(mix[0][1])
        for n in range(updates):
            writer.index([replace(small[n % len(small)], fingerprint=f"update-{n}")])
            started = time.perf_counter()
            wrong += reader.search(Query()).total != len(corpus.docs)
            first.append((time.perf_counter() - started) * 1000)
        lived = _time_queries(lambda q, _: _computed(reader, q), mix, rounds)
    with WhooshSearchEngine(whoosh_dir) as fresh:
        opened = _time_queries(lambda q, _: _computed(fresh, q), mix, rounds)
    print(
        f"after {updates:,} updates of small publications: first query after each p50 "
        f"{_percentile(first, 0.5):,.0f} ms, p95 {_percentile(first, 0.95):,.0f} ms; "
        f"totals wrong {wrong} of {updates:,}"
    )
    _print_table({"long-lived": lived, "newly opened": opened})


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=5, help="times the query mix runs")
    parser.add_argument("--procs", type=int, default=1, help="Whoosh processes of the old build")
    parser.add_argument(
        "--no-old-build", dest="old_build", action="store_false", help="skip the build as before"
    )
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument(
        "--updates", type=int, default=200, help="updates under a long-lived engine (0: skip)"
    )
    parser.add_argument("--workdir", type=Path, help="keep the indexes here (default: temporary)")
    parser.add_argument(
        "--reuse", action="store_true", help="time queries on the indexes already in --workdir, if any"
    )
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="search-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    whoosh_dir, fts_path = workdir / "whoosh", workdir / "fts.sqlite"
    reuse = args.reuse and fts_path.exists() and exists_in(whoosh_dir, indexname=INDEX_NAME)

    started = time.perf_counter()
    corpus = build_corpus(args.pages, args.seed)  # the query mix picks identifiers from it
    print(
        f"corpus: {corpus.pages:,} pages in {len(corpus.docs):,} publications "
        f"(generated in {time.perf_counter() - started:.0f} s)"
    )
    if reuse:
        print(f"indexing: skipped, reusing the indexes in {workdir}")
    else:
        _build_both(corpus, whoosh_dir, fts_path, args.procs, args.old_build)

    mix = query_mix(corpus)
    db = sqlite3.connect(fts_path)
    # A fresh engine, as a web process would open it; its first query builds the caches.
    with WhooshSearchEngine(whoosh_dir) as engine:
        first = _seconds(lambda: engine.search(mix[0][1]))
        whoosh_times = _time_queries(lambda q, _: _computed(engine, q), mix, args.rounds)
        update = _seconds(lambda: engine.index([corpus.docs[0]]))  # as after an ingest
        after_update = _seconds(lambda: engine.search(mix[0][1]))
    fts_times = _time_queries(lambda _, f: fts_search(db, **f), mix, args.rounds)
    fts_page_times = _time_queries(lambda _, f: fts_top_pages(db, **f), mix, args.rounds)
    db.close()
    print(
        f"Whoosh first query after opening {first * 1000:,.0f} ms; re-indexing one "
        f"publication {update * 1000:,.0f} ms, first query after it {after_update * 1000:,.0f} ms"
    )
    _print_table({"Whoosh": whoosh_times, "FTS5 same job": fts_times, "FTS5 top pages": fts_page_times})
    if args.updates:
        _after_updates(whoosh_dir, corpus, mix, args.updates, args.rounds)
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
