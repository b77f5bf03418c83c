"""Benchmark how fast the `pustaka` command starts.

    python benchmarks/cli.py                          # a fresh instance: schema, empty index
    python benchmarks/cli.py --instance DIR           # an instance of your own (e.g. with the demo)
    python benchmarks/cli.py --against ../main        # also time another checkout, in the same run

Runs each command in a new process, as the `pustaka` script does (import `cli`, call
`main`), and prints the median wall time and CPU time (user + system) of 5 runs, each with its
ratio to `python -c "import flask, sqlalchemy"` measured in the same run: the least a command that
reads the database needs. The commands take turns, so a change in the machine's load hits them
all alike; CPU time is the steadier figure on a machine others are using. The last row imports
every command module at once, as a group that loads its commands eagerly does. With --against,
the same commands run from the other checkout's code (its folder first on sys.path).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
PUSTAKA = "from cli import main; main()"
# Every module the command line's lazy group names (`cli.COMMANDS`), whatever it holds today.
EVERY_MODULE = (
    "import importlib; from cli import COMMANDS; "
    "[importlib.import_module(f'cli.{e.module}') for e in COMMANDS.values()]"
)


@dataclass
class Row:
    """One command, run from one checkout, and its times."""

    label: str
    args: list[str]
    code: Path = HERE
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)


def run(row: Row, env: dict[str, str]) -> tuple[float, float]:
    """Run one process to its end and return its wall and CPU seconds (a traceback fails the run)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(row.args, env=env, cwd=row.code, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if "Traceback" in done.stderr:
        raise SystemExit(f"{row.label} failed:\n{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def rows_for(word: str, code: Path, suffix: str = "") -> list[Row]:
    """Return the commands to time, run from the checkout in `code`."""
    python = sys.executable
    return [
        Row(f"pustaka --help{suffix}", [python, "-c", PUSTAKA, "--help"], code),
        Row(f"pustaka search {word}{suffix}", [python, "-c", PUSTAKA, "search", word], code),
        Row(f"pustaka check{suffix}", [python, "-c", PUSTAKA, "check"], code),
        Row(f"import every command module{suffix}", [python, "-c", EVERY_MODULE], code),
    ]


def main() -> None:
    """Time the commands against the baseline and print one row each."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--instance", type=Path, help="instance folder to use (default: a fresh one)")
    parser.add_argument("--against", type=Path, help="another checkout to time the same commands from")
    parser.add_argument("--word", default="penduduk", help="the word `pustaka search` looks for")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    baseline = Row('python -c "import flask, sqlalchemy"', [sys.executable, "-c", "import flask, sqlalchemy"])
    rows = [baseline, *rows_for(args.word, HERE)]
    if args.against:
        rows += rows_for(args.word, args.against.resolve(), f" ({args.against})")
    with tempfile.TemporaryDirectory(prefix="pustaka-cli-bench-") as scratch:
        env = {**os.environ, "PUSTAKA_INSTANCE_DIR": str(args.instance or scratch)}
        if args.instance is None:
            run(Row("pustaka db upgrade", [sys.executable, "-c", PUSTAKA, "db", "upgrade"]), env)
        for row in rows:  # warm the bytecode and page caches
            run(row, env)
        for _ in range(args.repeats):
            for row in rows:
                wall, cpu = run(row, env)
                row.walls.append(wall)
                row.cpus.append(cpu)

    base_wall, base_cpu = statistics.median(baseline.walls), statistics.median(baseline.cpus)
    print(f"instance: {args.instance or 'fresh (schema only, empty index)'}; median of {args.repeats} runs")
    print(f"{'':48} {'wall':>8} {'ratio':>6}  {'CPU':>8} {'ratio':>6}")
    for row in rows:
        wall, cpu = statistics.median(row.walls), statistics.median(row.cpus)
        print(
            f"{row.label:48} {wall * 1000:5.0f} ms {wall / base_wall:5.2f}x  "
            f"{cpu * 1000:5.0f} ms {cpu / base_cpu:5.2f}x"
        )


if __name__ == "__main__":
    main()
