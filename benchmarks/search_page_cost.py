"""What a new search page costs, by what it shows, against an earlier revision in the same run.

    python benchmarks/search_page_cost.py --baseline 0aac51c          # makes both demo instances
    python benchmarks/search_page_cost.py --baseline 0aac51c --keep   # and keeps them (printed)
    python benchmarks/search_page_cost.py --baseline 0aac51c --instances DIR   # kept ones again

The baseline revision is checked out beside this tree (a git worktree, removed at the end) and
each tree gets its own demo instance, loaded by its own code. Each round, each tree's app runs
in a process of its own (Flask's test client, as `observability_cost` does) and is asked the
same fresh slice of searches after the same warm-up: every timed search is new to both. For
each search the process's CPU time is read around the request, and the page's count of
publications found. Two mixes, as `serving` asks: searches made of the demo's title words
("titles") and the judged queries with filters, pages and typos ("people's").

Printed per mix: CPU per page each way (median round) and, from every round's searches, the
CPU per page grouped by what the two pages showed: nothing either way, results either way,
or results on one side only. A search the newer code answers where the older showed nothing
(a partial answer, an English word) costs what a page of results costs, so the whole-mix
figure moves with how many searches are answered; the groups tell the two apart.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 300
GROUPS = ("nothing either way", "results either way", "results on this tree only", "results on baseline only")


def child(instance: Path, paths_file: Path) -> None:
    """In a tree's own process: ask the paths, print one JSON line per timed page (CPU ms, found)."""
    import logging

    from library.settings import Settings
    from webapp import create_app

    settings = Settings.from_env({"PUSTAKA_PROXY_COUNT": "1"}, instance_dir=instance)
    client = create_app(settings).test_client()
    logging.disable(logging.CRITICAL)  # the request log's lines are not what is measured
    found = re.compile(rb'id="results-count"[^>]*>\s*([\d.,]+)')
    paths = paths_file.read_text().split()
    for n, path in enumerate(paths):
        began = time.process_time()
        answer = client.get(path, headers={"X-Forwarded-For": f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"})
        body = answer.get_data()
        answer.close()
        spent = time.process_time() - began
        if answer.status_code != 200:
            raise SystemExit(f"{path} answered {answer.status_code}")
        count = found.search(body)
        total = int(re.sub(rb"\D", b"", count.group(1))) if count else 0
        if n >= WARM_UP:
            print(json.dumps([path, spent * 1000, total]))


def run_child(tree: Path, instance: Path, paths: list[str], work: Path) -> dict[str, tuple[float, int]]:
    """Run one tree's app over the paths (after the warm-up ones); return each timed path's CPU and count."""
    paths_file = work / "paths.txt"
    paths_file.write_text("\n".join(paths))
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(instance), str(paths_file)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {path: (ms, total) for path, ms, total in map(json.loads, out.splitlines())}


def make_instance(folder: Path, tree: Path = ROOT) -> Path:
    """Migrate a fresh instance with a tree's code (this one's unless told) and load the demo catalogue."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(tree), "PUSTAKA_INSTANCE_DIR": str(folder)}
    for args in (("db", "upgrade"), ("demo", "load"), ("reindex",)):
        subprocess.run(
            [sys.executable, "-c", "from cli import main; main()", *args],
            cwd=tree,
            env=env,
            check=True,
            capture_output=True,
        )
    return folder


def mixes(rounds: int, requests: int) -> dict[str, list[list[str]]]:
    """Return each mix's rounds: the warm-up searches, then a slice no round asked before."""
    sys.path.insert(0, str(ROOT))
    from benchmarks._search_paths import judged_paths, new_search_paths

    size = WARM_UP + requests
    titles = new_search_paths(size * rounds, seed=61)
    first, second = judged_paths()
    people = first + second
    if len(people) < size * rounds:
        raise SystemExit(f"the people's mix holds {len(people)} searches: ask fewer --requests or --rounds")
    return {
        name: [paths[r * size : (r + 1) * size] for r in range(rounds)]
        for name, paths in (("titles", titles), ("people's", people))
    }


def group_of(mine: int, theirs: int) -> str:
    """Name what the two pages showed (this tree's count, the baseline's)."""
    if mine and theirs:
        return GROUPS[1]
    if mine:
        return GROUPS[2]
    return GROUPS[3] if theirs else GROUPS[0]


def report(name: str, taken: list[tuple[dict, dict]]) -> None:
    """Print a mix's CPU per page each way (median round) and grouped by what the pages showed."""
    per_round = [
        (statistics.fmean(ms for ms, _ in mine.values()), statistics.fmean(ms for ms, _ in base.values()))
        for mine, base in taken
    ]
    mine_ms, base_ms = (statistics.median(side) for side in zip(*per_round, strict=True))
    print(f"\n{name}: {len(taken)} rounds of {len(taken[0][0])} new searches")
    print(f"  {'every page':<28}{base_ms:>9.3f} ms{mine_ms:>9.3f} ms{mine_ms / base_ms:>8.2f}")
    grouped: dict[str, list[tuple[float, float]]] = {group: [] for group in GROUPS}
    for mine, base in taken:
        for path, (ms, total) in mine.items():
            if path in base:
                grouped[group_of(total, base[path][1])].append((ms, base[path][0]))
    for group, pairs in grouped.items():
        if pairs:
            theirs = statistics.fmean(b for _, b in pairs)
            ours = statistics.fmean(m for m, _ in pairs)
            share = 100 * len(pairs) / sum(map(len, grouped.values()))
            figures = f"{theirs:>9.3f} ms{ours:>9.3f} ms{ours / theirs:>8.2f}"
            print(f"  {group:<28}{figures}   {share:4.1f} % of pages")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="the revision to compare with (a commit or tag)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=1200, help="timed new searches a round and side")
    parser.add_argument("--instances", type=Path, help="a folder --keep left: both demo instances")
    parser.add_argument(
        "--keep", action="store_true", help="keep the demo instances (their folder is printed)"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pustaka-page-cost-"))
    baseline = work / "baseline-tree"
    git = ["git", "-C", str(ROOT), "worktree"]
    subprocess.run([*git, "add", "--detach", str(baseline), args.baseline], check=True)
    try:
        instances = args.instances or work / "instances"
        if args.instances is None:
            print("loading the demo catalogue into an instance of each tree (about two minutes)", flush=True)
            make_instance(instances / "this")
            make_instance(instances / "baseline", baseline)
        print(f"{'':<30}{'baseline':>11}{'this tree':>11}{'ratio':>8}")
        for name, rounds in mixes(args.rounds, args.requests).items():
            taken = []
            for r, paths in enumerate(rounds):
                sides = [(ROOT, instances / "this"), (baseline, instances / "baseline")]
                if r % 2:
                    sides.reverse()  # each side first in half the rounds
                answers = {tree: run_child(tree, instance, paths, work) for tree, instance in sides}
                taken.append((answers[ROOT], answers[baseline]))
            report(name, taken)
        if args.keep and args.instances is None:
            kept = Path(tempfile.mkdtemp(prefix="pustaka-page-cost-instances-"))
            shutil.move(str(instances), kept)
            print(f"\nthe instances are kept in {kept / 'instances'} (--instances)")
    finally:
        subprocess.run([*git, "remove", "--force", str(baseline)], check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        sys.path.remove(str(Path(__file__).resolve().parent))  # the tree's packages, not this folder's
        child(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
