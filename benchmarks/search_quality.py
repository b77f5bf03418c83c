"""Judge the search engine's answers on the demo catalogue against a plain full-text baseline.

    python benchmarks/search_quality.py                    # Whoosh, and FTS5 as the baseline
    python benchmarks/search_quality.py --engine postgres  # PostgreSQL's engine (a scratch schema)
    python benchmarks/search_quality.py --show 0.8         # list the queries scoring below 0.8

Loads the demo catalogue into a fresh instance (through the ingest pipeline, as `scripts/run`
does: pages extracted and OCR'd), indexes it with the engine, runs every judged query as
the search page does (`search_publications`, the site of Kota Metro), each set reported apart:
`search_judgments.toml` (written from the titles) and `search_judgments_typed.toml` (written from
what visitors type); and, in the same run, as a baseline: SQLite FTS5 over the titles and
abstracts, its words ANDed, ranked by bm25, no stemming. Prints nDCG@10, success@1 (the first
answer is one of the query's best graded) and recall@10 (of every publication graded 1 or
more), overall and by kind of query, for both, with the engine/baseline ratio.

--instance keeps the loaded instance in a folder to reuse (loading takes most of the run).
"""

from __future__ import annotations

import argparse
import math
import os
import sqlite3
import sys
import tempfile
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select, text  # noqa: E402

import catalog_data  # noqa: E402
from cli.database import load_demo_catalogue  # noqa: E402
from library.catalogue.indexing import do_reindex  # noqa: E402
from library.catalogue.search import search_publications  # noqa: E402
from library.db import make_engine  # noqa: E402
from library.models import Publication  # noqa: E402
from library.settings import Settings  # noqa: E402
from runtime.root import Runtime  # noqa: E402

JUDGMENTS = Path(__file__).with_name("search_judgments.toml")
TYPED = Path(__file__).with_name("search_judgments_typed.toml")
SETS = {"titles": JUDGMENTS, "typed": TYPED}
SCHEMA = "pustaka_search_quality"  # PostgreSQL: dropped and made anew unless --instance keeps it
CUTOFF = 10


@dataclass(frozen=True)
class Judged:
    """One judged query: its words, its kind, and the grade of each publication that answers it."""

    text: str
    kind: str
    grades: dict[str, int]


@dataclass(frozen=True)
class Scores:
    """The measures of one ranking against its judgments."""

    ndcg: float
    success: float
    recall: float


def load_judgments(path: Path = JUDGMENTS) -> list[Judged]:
    """Read the judged queries, checking every graded key names a demo publication."""
    known = {record.key for record in catalog_data.load_demo_catalogue()}
    queries = [
        Judged(q["text"], q["kind"], dict(q["grades"])) for q in tomllib.loads(path.read_text())["query"]
    ]
    for query in queries:
        unknown = set(query.grades) - known
        if unknown:
            raise SystemExit(f"{path.name}: {query.text!r} grades unknown publications {sorted(unknown)}")
    return queries


def score(ranking: Sequence[str], grades: dict[str, int], cutoff: int = CUTOFF) -> Scores:
    """Return nDCG@cutoff (gain 2^grade - 1), success@1 and recall@cutoff of a ranking of keys."""
    gains = [2 ** grades.get(key, 0) - 1 for key in ranking[:cutoff]]
    dcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))
    ideal = sorted((2**g - 1 for g in grades.values()), reverse=True)[:cutoff]
    idcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(ideal))
    best = max(grades.values())
    success = 1.0 if ranking and grades.get(ranking[0], 0) == best else 0.0
    relevant = {key for key, grade in grades.items() if grade > 0}
    recall = len(relevant & set(ranking[:cutoff])) / len(relevant)
    return Scores(dcg / idcg if idcg else 0.0, success, recall)


def postgres_schema(*, keep: bool) -> str:
    """Return the URL of a schema of this benchmark's own in the PostgreSQL database (new unless `keep`)."""
    base = os.environ.get("PUSTAKA_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    admin = make_engine(base)
    with admin.begin() as conn:
        if not keep:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA}"'))
    admin.dispose()
    return f"{base}?options=-csearch_path%3D{SCHEMA}"


def demo_instance(folder: Path, env: dict[str, str]) -> Runtime:
    """Return a runtime on the demo catalogue in `folder`, loading and indexing it if not there yet."""
    runtime = Runtime(Settings.from_env(env, instance_dir=folder))
    from library import migrate

    migrate.upgrade(runtime.engine)
    with runtime.uow() as uow:
        loaded = uow.session.scalar(select(Publication.id).limit(1)) is not None
    if not loaded:
        load_demo_catalogue(runtime, show_progress=False, index_now=True)
    with runtime.uow() as uow:
        do_reindex(uow, runtime.index(), runtime.today())
    return runtime


def keys_by_id(runtime: Runtime) -> dict[str, str]:
    """Return each stored publication's demo key by its id (matched on the Nomor Publikasi)."""
    by_number = {r.nomor_publikasi: r.key for r in catalog_data.load_demo_catalogue()}
    with runtime.uow() as uow:
        rows = uow.session.execute(select(Publication.id, Publication.nomor_publikasi)).all()
    return {str(pid): by_number[number] for pid, number in rows if number in by_number}


def engine_ranking(runtime: Runtime, keys: dict[str, str]) -> Callable[[str], list[str]]:
    """Return a function ranking the demo keys for a query as the search page does."""
    index = runtime.search()

    def rank(text: str) -> list[str]:
        results = search_publications(index, text, per_page=CUTOFF, prefer_office=runtime.settings.office)
        return [keys[hit.publication_id] for hit in results.hits if hit.publication_id in keys]

    return rank


def fts_ranking(folder: Path) -> Callable[[str], list[str]]:
    """Return a function ranking the demo keys with plain FTS5 over titles and abstracts."""
    db = sqlite3.connect(folder / "baseline.sqlite3")
    db.executescript(
        "DROP TABLE IF EXISTS pub; CREATE VIRTUAL TABLE pub USING fts5(key UNINDEXED, title, abstract);"
    )
    with db:
        for record in catalog_data.load_demo_catalogue():
            title = f"{record.title} {record.alternative_title}".strip()
            db.execute("INSERT INTO pub VALUES (?, ?, ?)", (record.key, title, record.abstract))

    def rank(text: str) -> list[str]:
        words = [w for w in "".join(c if c.isalnum() else " " for c in text).split()]
        if not words:
            return []
        match = " ".join(f'"{w}"' for w in words)
        rows = db.execute("SELECT key FROM pub WHERE pub MATCH ? ORDER BY rank LIMIT ?", (match, CUTOFF))
        return [key for (key,) in rows]

    return rank


def judge(queries: list[Judged], rank: Callable[[str], list[str]]) -> list[Scores]:
    """Return the scores of every judged query's ranking."""
    return [score(rank(query.text), query.grades) for query in queries]


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def report(queries: list[Judged], engine: list[Scores], baseline: list[Scores], name: str) -> None:
    """Print the measures overall and by kind, the engine beside the baseline."""
    print(f"{len(queries)} judged queries on the demo catalogue; {name} against FTS5 (titles and abstracts)")
    print(f"{'kind':<14} {'n':>4}  {'nDCG@10':>15}  {'success@1':>15}  {'recall@10':>15}")
    kinds = ["all", *dict.fromkeys(q.kind for q in queries)]
    for kind in kinds:
        chosen = [i for i, q in enumerate(queries) if kind in ("all", q.kind)]
        cells = []
        for measure in ("ndcg", "success", "recall"):
            ours = mean([getattr(engine[i], measure) for i in chosen])
            base = mean([getattr(baseline[i], measure) for i in chosen])
            cells.append(f"{ours:6.3f} / {base:6.3f}")
        print(f"{kind:<14} {len(chosen):>4}  " + "  ".join(f"{c:>15}" for c in cells))
    overall = mean([s.ndcg for s in engine]), mean([s.ndcg for s in baseline])
    print(f"nDCG@10 ratio {name}/FTS5: {overall[0] / overall[1]:.2f}")
    goal = mean([s.ndcg for s in engine]) >= 0.95 and mean([s.success for s in engine]) >= 0.95
    print(f"goal (nDCG@10 >= 0.95 and success@1 >= 95 %): {'met' if goal else 'MISSED'}")


def show_misses(
    queries: list[Judged], engine: list[Scores], rank: Callable[[str], list[str]], below: float
) -> None:
    """List the queries scoring below `below`, with what the engine ranked first."""
    for query, scores in zip(queries, engine, strict=True):
        if scores.ndcg < below or not scores.success:
            top = rank(query.text)[:3]
            print(
                f"  {scores.ndcg:.2f} {'+' if scores.success else '-'} [{query.kind}] {query.text!r} -> {top}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("whoosh", "postgres"), default="whoosh")
    parser.add_argument("--instance", type=Path, help="keep (and reuse) the loaded instance here")
    parser.add_argument("--show", type=float, default=0.0, help="list queries scoring below this nDCG@10")
    parser.add_argument("--set", choices=(*SETS, "both"), default="both", help="which judged set to run")
    parser.add_argument("--judgments", type=Path, help="judge this file (same format) instead of a set")
    args = parser.parse_args()
    named = {args.judgments.stem: args.judgments} if args.judgments else SETS
    sets = {
        name: load_judgments(path)
        for name, path in named.items()
        if args.judgments or args.set in (name, "both")
    }
    env = {"PUSTAKA_SEARCH_ENGINE": args.engine}
    if args.engine == "postgres":
        env["PUSTAKA_DATABASE_URL"] = postgres_schema(keep=args.instance is not None)
    with tempfile.TemporaryDirectory(prefix="pustaka-quality-") as scratch:
        folder = args.instance or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        runtime = demo_instance(folder, env)
        try:
            rank = engine_ranking(runtime, keys_by_id(runtime))
            fts = fts_ranking(Path(scratch))
            for name, queries in sets.items():
                print(f"\n== the {name} set ({named[name].name})")
                engine = judge(queries, rank)
                report(queries, engine, judge(queries, fts), args.engine.capitalize())
                if args.show:
                    show_misses(queries, engine, rank, args.show)
        finally:
            runtime.close()


if __name__ == "__main__":
    main()
