"""How fast PostgreSQL's search index is built and rebuilt (`pustaka reindex`), beside a baseline's code.

    python benchmarks/postgres_rebuild.py                       # 100,000 pages, against the previous release
    python benchmarks/postgres_rebuild.py --pages 20000         # a quick run
    python benchmarks/postgres_rebuild.py --baseline 4d2c1e0    # against another revision

The baseline is the revision's own code, checked out beside this tree (benchmarks/_baseline.py),
never a re-typed "old way". Each round runs each tree in a process of its own, taking turns (the
baseline first in odd rounds), on a fresh schema of --database-url:

- first index: the engine's `rebuild` into empty tables, what a fresh `pustaka reindex` does;
- rebuild: the same again over the full index, what a later `pustaka reindex` does.

Both trees index the search benchmark's seeded corpus (benchmarks/_search_corpus.py) as their own
code generates it; the run stops, reporting nothing, unless both generated the same pages and each
index holds every publication. Prints the median pages/s of each step and tree, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

DEFAULT_URL = os.environ.get("PUSTAKA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
STEPS = ("first index", "rebuild")


def child(url: str, pages: int) -> None:
    """Index the corpus into the empty schema `url` names, then rebuild it; print what was measured."""
    from sqlalchemy import create_engine, text

    from benchmarks._search_corpus import build_corpus
    from search.analysis import load_stemmers
    from search.postgres.engine import PostgresSearchEngine

    corpus = build_corpus(pages)
    load_stemmers()
    database = create_engine(url)
    try:
        engine = PostgresSearchEngine(database)
        seconds = []
        for _ in STEPS:
            started = time.perf_counter()
            engine.rebuild(corpus.docs)
            seconds.append(time.perf_counter() - started)
        with database.connect() as conn:
            held = conn.scalar(text("SELECT count(*) FROM fts_publication"))
    finally:
        database.dispose()
    print(
        json.dumps(
            {"pages": corpus.pages, "publications": len(corpus.docs), "held": held, "seconds": seconds}
        )
    )


def measure(tree: Path, url: str, pages: int) -> dict:
    """Run one tree's child on a fresh schema of its own (dropped after); return what it printed."""
    from sqlalchemy import create_engine, text

    from benchmarks._baseline import run_in

    schema = f"bench_rebuild_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        out = run_in(tree, Path(__file__), f"{url}?options=-csearch_path%3D{schema}", str(pages))
        return json.loads(out.splitlines()[-1])
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def run(pages: int, rounds: int, url: str, revision: str) -> None:
    """Measure both trees in turns, check they measured the same corpus, and print the figures."""
    from benchmarks._baseline import ROOT, checked_out
    from benchmarks._measured import require

    with checked_out(revision) as baseline:
        trees = {"baseline": baseline, "this tree": ROOT}
        found: dict[str, list[dict]] = {name: [] for name in trees}
        for number in range(rounds):
            for name in trees if number % 2 == 0 else reversed(list(trees)):
                done = measure(trees[name], url, pages)
                found[name].append(done)
                rates = zip(STEPS, done["seconds"], strict=True)
                steps = ", ".join(f"{step} {done['pages'] / took:,.0f} pages/s" for step, took in rates)
                print(f"  round {number + 1}, {name}: {steps}", flush=True)
    runs = [done for side in found.values() for done in side]
    require(len({done["pages"] for done in runs}) == 1, "the two trees generated different corpora")
    require(all(done["held"] == done["publications"] for done in runs), "an index lacks publications")
    print(f"{runs[0]['publications']:,} publications, {runs[0]['pages']:,} pages; baseline {revision}")
    print(f"{'':<14}{'baseline':>14}{'this tree':>14}{'ratio':>8}")
    for index, step in enumerate(STEPS):
        rate = {n: runs[0]["pages"] / statistics.median(d["seconds"][index] for d in found[n]) for n in found}
        ratio = rate["this tree"] / rate["baseline"]
        print(f"{step:<14}{rate['baseline']:>10,.0f} p/s{rate['this tree']:>10,.0f} p/s{ratio:>7.2f}x")


def main() -> None:
    """Run the benchmark."""
    from benchmarks._baseline import previous_release

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=100_000, help="pages of the synthetic corpus")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each tree, taking turns")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="a PostgreSQL database to work in")
    parser.add_argument("--baseline", help="the revision to compare with (default: the previous release)")
    args = parser.parse_args()
    run(args.pages, args.rounds, args.database_url, args.baseline or previous_release())


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        sys.path.remove(str(Path(__file__).resolve().parent))  # the tree's packages, not this folder's
        child(sys.argv[2], int(sys.argv[3]))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        main()
