"""What a new search page costs, by what it shows, against an earlier revision in the same run.

    python benchmarks/search_page_cost.py --baseline 0aac51c          # makes both demo instances
    python benchmarks/search_page_cost.py --baseline 0aac51c --keep   # and keeps them (printed)
    python benchmarks/search_page_cost.py --baseline 0aac51c --instances DIR   # kept ones again
    python benchmarks/search_page_cost.py --baseline 0aac51c --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

The baseline revision is checked out beside this tree (a git worktree, removed at the end) and
each tree gets its own demo instance, loaded by its own code. Each round, each tree's app runs
in a process of its own (Flask's test client, as `observability_cost` does) and is asked the
same fresh slice of searches after the same warm-up: every timed search is new to both. For
each search the process's CPU time is read around the request, and the page's count of
publications found. Two mixes, as `serving` asks: searches made of the demo's title words
("titles") and the judged queries with filters, pages and typos ("people's").

With `--postgres URL` each tree's instance is on a schema of its own in that database (dropped
at the end), searched by PostgreSQL's engine, and each round also reads the CPU the database
server's processes serving that app spent (from /proc, by the connections' application name):
a round trip costs the server as well as the web process.

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

    settings = Settings.from_env({**_database_env(), "PUSTAKA_PROXY_COUNT": "1"}, instance_dir=instance)
    client = create_app(settings).test_client()
    server = _ServerCpu(os.environ.get("PAGE_COST_APPLICATION", ""))
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
        if n == WARM_UP - 1:
            server.start()
        if n >= WARM_UP:
            print(json.dumps([path, spent * 1000, total]))
    print(json.dumps(["(server)", server.spent_ms(), len(paths) - WARM_UP]))  # ms over that many pages


def _database_env() -> dict[str, str]:
    url = os.environ.get("PUSTAKA_DATABASE_URL")
    return {"PUSTAKA_DATABASE_URL": url} if url else {}


class _ServerCpu:
    """The CPU the PostgreSQL processes serving one application name spent since `start`."""

    def __init__(self, application: str) -> None:
        self.application = application
        self.began: dict[int, int] = {}

    def _backends(self) -> list[int]:
        if not self.application:
            return []
        import psycopg

        with psycopg.connect(os.environ["PAGE_COST_ADMIN"], autocommit=True) as conn:
            sql = "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
            return [pid for (pid,) in conn.execute(sql, (self.application,))]

    @staticmethod
    def _ticks(pid: int) -> int:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            return 0  # a backend that ended (a connection the pool let go)
        return int(fields[11]) + int(fields[12])

    def start(self) -> None:
        self.began = {pid: self._ticks(pid) for pid in self._backends()}

    def spent_ms(self) -> float:
        pids = set(self.began) | set(self._backends())
        ticks = sum(self._ticks(pid) - self.began.get(pid, 0) for pid in pids)
        return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def run_child(
    tree: Path, instance: Path, paths: list[str], work: Path, database: dict[str, str]
) -> dict[str, tuple[float, int]]:
    """Run one tree's app over the paths (after the warm-up ones); return each timed path's CPU and count.

    With a database, the "(server)" entry is the CPU its server's processes spent on them in all.
    """
    paths_file = work / "paths.txt"
    paths_file.write_text("\n".join(paths))
    env = {**os.environ, "PYTHONPATH": str(tree), **database}
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(instance), str(paths_file)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {path: (ms, total) for path, ms, total in map(json.loads, out.splitlines())}


def make_instance(folder: Path, tree: Path = ROOT, database: dict[str, str] | None = None) -> Path:
    """Migrate a fresh instance with a tree's code (this one's unless told) and load the demo catalogue."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(tree), "PUSTAKA_INSTANCE_DIR": str(folder), **(database or {})}
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
    """Return each mix's rounds: the warm-up searches, then a slice no round asked before.

    The last mix asks the warm-up's searches again instead: what a search kept costs.
    """
    sys.path.insert(0, str(ROOT))
    from benchmarks._search_paths import judged_paths, new_search_paths

    size = WARM_UP + requests
    titles = new_search_paths(size * rounds, seed=61)
    first, second = judged_paths()
    people = first + second
    if len(people) < size * rounds:
        raise SystemExit(f"the people's mix holds {len(people)} searches: ask fewer --requests or --rounds")
    chosen = {
        name: [paths[r * size : (r + 1) * size] for r in range(rounds)]
        for name, paths in (("titles", titles), ("people's", people))
    }
    # The people's searches asked again: the warm-up's, each kept by both (the engine's answer).
    chosen["people's, asked again"] = [
        paths[:WARM_UP] + [paths[i % WARM_UP] for i in range(requests)] for paths in chosen["people's"]
    ]
    return chosen


def group_of(mine: int, theirs: int) -> str:
    """Name what the two pages showed (this tree's count, the baseline's)."""
    if mine and theirs:
        return GROUPS[1]
    if mine:
        return GROUPS[2]
    return GROUPS[3] if theirs else GROUPS[0]


def report(name: str, taken: list[tuple[dict, dict]], on_postgres: bool) -> None:
    """Print a mix's CPU per page each way (median round) and grouped by what the pages showed."""
    servers = []
    for mine, base in taken:  # the database server's CPU per page, when measured
        mine_db, mine_pages = mine.pop("(server)", (0, 0))
        base_db, base_pages = base.pop("(server)", (0, 0))
        if mine_db and base_db:
            servers.append((mine_db / mine_pages, base_db / base_pages))
    if on_postgres and len(servers) < len(taken):
        raise SystemExit(
            f"{name}: no PostgreSQL server process was found spending CPU for a side's app "
            "(a server on another host, or /proc not readable): its CPU was not measured"
        )
    per_round = [
        (statistics.fmean(ms for ms, _ in mine.values()), statistics.fmean(ms for ms, _ in base.values()))
        for mine, base in taken
    ]
    mine_ms, base_ms = (statistics.median(side) for side in zip(*per_round, strict=True))
    print(f"\n{name}: {len(taken)} rounds of {len(taken[0][0])} searches")
    print(f"  {'every page':<28}{base_ms:>9.3f} ms{mine_ms:>9.3f} ms{mine_ms / base_ms:>8.2f}")
    if servers:
        mine_db, base_db = (statistics.median(side) for side in zip(*servers, strict=True))
        print(f"  {'+ the database server':<28}{base_db:>9.3f} ms{mine_db:>9.3f} ms{mine_db / base_db:>8.2f}")
        both_mine, both_base = mine_ms + mine_db, base_ms + base_db
        print(f"  {'both':<28}{both_base:>9.3f} ms{both_mine:>9.3f} ms{both_mine / both_base:>8.2f}")
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
    parser.add_argument(
        "--postgres", metavar="URL", help="each instance on a schema of its own in this PostgreSQL database"
    )
    args = parser.parse_args()
    if args.postgres and (args.instances or args.keep):
        parser.error("--postgres makes its instances afresh and drops them: no --instances or --keep")
    work = Path(tempfile.mkdtemp(prefix="pustaka-page-cost-"))
    baseline = work / "baseline-tree"
    git = ["git", "-C", str(ROOT), "worktree"]
    subprocess.run([*git, "add", "--detach", str(baseline), args.baseline], check=True)
    databases = {side: _schema(args.postgres, side) if args.postgres else {} for side in ("this", "baseline")}
    try:
        instances = args.instances or work / "instances"
        if args.instances is None:
            print("loading the demo catalogue into an instance of each tree (about two minutes)", flush=True)
            make_instance(instances / "this", ROOT, databases["this"])
            make_instance(instances / "baseline", baseline, databases["baseline"])
        print(f"{'':<30}{'baseline':>11}{'this tree':>11}{'ratio':>8}")
        for name, rounds in mixes(args.rounds, args.requests).items():
            taken = []
            for r, paths in enumerate(rounds):
                sides = [(ROOT, "this"), (baseline, "baseline")]
                if r % 2:
                    sides.reverse()  # each side first in half the rounds
                answers = {
                    tree: run_child(tree, instances / side, paths, work, databases[side])
                    for tree, side in sides
                }
                taken.append((answers[ROOT], answers[baseline]))
            report(name, taken, bool(args.postgres))
        if args.keep and args.instances is None:
            kept = Path(tempfile.mkdtemp(prefix="pustaka-page-cost-instances-"))
            shutil.move(str(instances), kept)
            print(f"\nthe instances are kept in {kept / 'instances'} (--instances)")
    finally:
        subprocess.run([*git, "remove", "--force", str(baseline)], check=False)
        shutil.rmtree(work, ignore_errors=True)
        for database in databases.values():
            if database:
                _admin_sql(
                    database["PAGE_COST_ADMIN"], f'DROP SCHEMA "{database["PAGE_COST_SCHEMA"]}" CASCADE'
                )


def _admin_sql(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def _schema(url: str, side: str) -> dict[str, str]:
    """Create a schema for one side's instance; return the settings its processes run with."""
    schema = f"page_cost_{side}_{os.getpid()}"
    admin = url.replace("postgresql+psycopg://", "postgresql://", 1)
    _admin_sql(admin, f'CREATE SCHEMA "{schema}"')
    application = f"page-cost-{side}-{os.getpid()}"
    joiner = "&" if "?" in url else "?"
    settings = f"options=-csearch_path%3D{schema}&application_name={application}"
    return {
        "PUSTAKA_DATABASE_URL": f"{url}{joiner}{settings}",
        "PAGE_COST_APPLICATION": application,
        "PAGE_COST_ADMIN": admin,
        "PAGE_COST_SCHEMA": schema,
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        sys.path.remove(str(Path(__file__).resolve().parent))  # the tree's packages, not this folder's
        child(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
