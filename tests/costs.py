"""What a run of the suite cost, read from pytest's JUnit XML: per tier, per database, per module.

`scripts/test` writes the XML to `build/test-results.xml`, prints this summary at the end and
appends one line per whole run to `tests/suite-times.tsv` (date, commit, wall seconds, each
tier's test-seconds, the five slowest tests), a file git keeps: committed with the change that
ran it, its lines show the suite's growth change after change:

    .venv/bin/python -m tests.costs build/test-results.xml [--modules 15] [--history FILE --wall S]

Test-seconds are each test's setup, call and teardown, summed: on two workers the run's wall
time is about half their sum, so a tier's share of the sum is its share of the wait.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

TIERS = ("unit", "integration", "functional", "browser")


@dataclass
class Costs:
    """Test-seconds of one run, summed by tier, by tier on PostgreSQL, and by module."""

    tests: int = 0
    tiers: Counter[str] = field(default_factory=Counter)
    postgres: Counter[str] = field(default_factory=Counter)
    modules: Counter[str] = field(default_factory=Counter)
    slowest: list[tuple[float, str]] = field(default_factory=list)

    @property
    def total(self) -> float:
        """Return the run's test-seconds."""
        return sum(self.tiers.values())


def read(path: Path, keep: int = 15) -> Costs:
    """Sum a JUnit XML file's test times."""
    costs = Costs()
    every: list[tuple[float, str]] = []
    for case in ET.parse(path).iter("testcase"):
        seconds = float(case.get("time") or 0)
        module, name = case.get("classname", ""), case.get("name", "")
        parts = module.split(".")
        tier = next((t for t in TIERS if t in parts), "other")
        costs.tests += 1
        costs.tiers[tier] += seconds
        if "postgres" in name:
            costs.postgres[tier] += seconds
        costs.modules[module] += seconds
        every.append((seconds, f"{module}::{name}"))
    costs.slowest = sorted(every, reverse=True)[:keep]
    return costs


def summary(costs: Costs, modules: int = 15) -> str:
    """Return the per-tier table, the costliest modules and the slowest tests, as lines to read."""
    total = costs.total or 1.0
    lines = [f"{costs.tests} tests, {costs.total:.0f} test-seconds:"]
    for tier, seconds in costs.tiers.most_common():
        on_pg = costs.postgres[tier]
        lines.append(
            f"  {tier:<12}{seconds:7.0f} s  {seconds / total:4.0%}  (PostgreSQL runs {on_pg:5.0f} s)"
        )
    costliest = costs.modules.most_common(modules)
    lines.append(f"The {len(costliest)} costliest modules:")
    lines += [f"  {seconds:7.1f} s  {name}" for name, seconds in costliest]
    lines.append(f"The {len(costs.slowest)} slowest tests:")
    lines += [f"  {seconds:7.1f} s  {name}" for seconds, name in costs.slowest]
    return "\n".join(lines)


def history_line(costs: Costs, wall: int, commit: str, when: dt.datetime) -> str:
    """Return one run's line of the history: when, commit, wall seconds, tests, each tier's
    seconds, and the five slowest tests (seconds and id, `; ` between them)."""
    tiers = "\t".join(f"{costs.tiers[tier]:.0f}" for tier in TIERS)
    slowest = "; ".join(f"{seconds:.1f} {name}" for seconds, name in costs.slowest[:5])
    return f"{when:%Y-%m-%dT%H:%M}\t{commit}\t{wall}\t{costs.tests}\t{tiers}\t{slowest}"


HISTORY_HEADER = "when\tcommit\twall_s\ttests\t" + "\t".join(f"{t}_s" for t in TIERS) + "\tslowest"


def append_history(path: Path, line: str) -> None:
    """Add a run's line to the history file (its header first, when new)."""
    new = not path.exists()
    with path.open("a", encoding="utf-8") as history:
        if new:
            history.write(HISTORY_HEADER + "\n")
        history.write(line + "\n")


def _commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return found.stdout.strip() or "-"


def main(argv: list[str] | None = None) -> int:
    """Print a run's costs; with --history and --wall, append its line to the history."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("--modules", type=int, default=15)
    parser.add_argument("--history", type=Path)
    parser.add_argument("--wall", type=int, default=0, help="the run's wall seconds")
    args = parser.parse_args(argv)
    if not args.results.exists():
        print(f"No test results at {args.results}.")
        return 1
    costs = read(args.results)
    print(summary(costs, args.modules))
    if args.history is not None:
        append_history(args.history, history_line(costs, args.wall, _commit(), dt.datetime.now()))
        print(f"This run's line is added to {args.history}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
