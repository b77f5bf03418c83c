"""Benchmark a searching process's memory against the index's size and its threads.

    python -m benchmarks.search_memory [--pages 100000] [--threads 16] [--index DIR] [--no-baseline]

Builds (or reuses, with --index) a seeded Whoosh index of --pages synthetic pages, then, each
in a fresh process, opens the engine and lets --threads threads search it as waitress' threads
do (each its own searcher): once as Pustaka reads segments (one shared map per segment file,
no copies; `search/whoosh/memory.py`) and once as Whoosh-Reloaded ships (the baseline, in the
same run). Both processes set up memory as `pustaka serve`'s web processes do (threads sharing
two malloc arenas). Printed: the process's resident memory (VmRSS) at start, after the
searches, and after freed memory and the mapped pages are handed back (what a web process's
`MemoryGiver` does every few seconds), with the ratio to the baseline.
Goal (issue 27): a web process under 300 MB at 100k and 1M pages, whatever its threads.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = ("penduduk", "inflasi", "kemiskinan", "harga", "tenaga kerja", "produksi padi", "ekspor", "upah")


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def measure(index: Path, threads: int, searches: int, shared: bool) -> dict[str, float]:
    """Search the index from `threads` threads in this process; return its memory at each step."""
    from whoosh.filedb import compound, structfile

    shipped = (
        structfile.BufferFile.__init__,
        compound.CompoundStorage.__init__,
        compound.CompoundStorage.close,
    )
    from runtime.supervisor import MemoryGiver, few_arenas
    from search.engine import Query
    from search.whoosh import memory as whoosh_memory
    from search.whoosh.engine import WhooshSearchEngine

    few_arenas()  # before any thread starts, as a web process does

    if not shared:  # the baseline: Whoosh as it ships
        structfile.BufferFile.__init__, compound.CompoundStorage.__init__, compound.CompoundStorage.close = (
            shipped
        )
    figures = {"start": _rss_mb()}
    engine = WhooshSearchEngine(index)

    def search(n: int) -> None:
        for i in range(searches):  # years and pages vary: the engine computes each one
            engine.search(Query(text=f"{WORDS[(i + n) % len(WORDS)]} {2010 + i % 15}", page=1 + (i + n) % 5))

    workers = [threading.Thread(target=search, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    figures["after searches"] = _rss_mb()
    MemoryGiver(also=whoosh_memory.MAPS.release_resident).give_back()
    figures["after release"] = _rss_mb()
    engine.close()
    return figures


def build(index: Path, pages: int) -> float:
    """Index `pages` seeded synthetic pages into the folder; return the seconds it took."""
    from benchmarks._search_corpus import build_corpus
    from search.whoosh.engine import WhooshSearchEngine

    corpus = build_corpus(pages)
    started = time.perf_counter()
    with WhooshSearchEngine(index, limitmb=256) as engine:
        engine.rebuild(corpus.docs)  # as `pustaka reindex` builds it
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--searches", type=int, default=40, help="searches per thread")
    parser.add_argument("--index", type=Path, help="reuse (or build once into) this folder")
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip Whoosh as shipped (it copies the segments into every searcher: ~95 GB at 1M pages)",
    )
    parser.add_argument("--child", choices=("shared", "shipped"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.index, args.threads, args.searches, args.child == "shared")))
        return
    index = args.index or Path(tempfile.mkdtemp(prefix="pustaka-search-memory-"))
    if not any(index.glob("*.seg")):
        print(f"Indexing {args.pages:,} pages ...")
        print(f"  {build(index, args.pages):.0f} s")
    size = sum(path.stat().st_size for path in index.glob("*.seg")) / 2**20
    print(f"Index: {size:.0f} MB of segments; {args.threads} threads, {args.searches} searches each.")
    results = {}
    for way in ("shared",) if args.no_baseline else ("shared", "shipped"):
        command = [sys.executable, "-m", "benchmarks.search_memory", "--child", way, "--index", str(index)]
        command += ["--threads", str(args.threads), "--searches", str(args.searches)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        results[way] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\n{'VmRSS, MB':<22}{'shared maps':>14}{'as shipped':>14}{'ratio':>8}")
    for step in results["shared"]:
        ours, theirs = results["shared"][step], results.get("shipped", {}).get(step)
        shipped = f"{theirs:>14.0f}{ours / theirs:>8.2f}" if theirs else f"{'not run':>14}"
        print(f"{step:<22}{ours:>14.0f}{shipped}")
    print(f"\nGoal: under 300 MB: {'met' if results['shared']['after searches'] < 300 else 'not met'}.")


if __name__ == "__main__":
    main()
