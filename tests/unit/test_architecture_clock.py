"""The time rule: a use case is told the time by its caller (the runtime's clock), never reads the wall clock.

Views pass `current_runtime().now()`, the runtime and its jobs `rt.now()` or a worker's `now` clock, and tests
their own moment, so one clock moves every use case at once.
"""

from __future__ import annotations

import ast

from tests.unit.import_graph import ROOT, parsed

# Where library/ may still read the clock itself, and why.
MAY_READ_THE_CLOCK = {
    "library/clock.py": "office_today() falls back on the machine's day when a caller names no moment",
    "library/models/": "utcnow() is defined there, and a column's default stamps a row its caller did not",
    "library/migrations/": "a migration stamps the rows it adds when it runs, outside any runtime",
    "library/mail/": "a message's Date header and its outbox file's name are the moment it is written",
    "library/catalogue/page_cache.py": "the reader's page cache evicts by file times: the machine's clock",
}
CLOCK_CLASSES = ("datetime", "date")  # dt.datetime.now(), datetime.now(), dt.date.today(), date.today()


def reads_the_clock(call: ast.Call) -> bool:
    """Tell whether a call reads the wall clock: utcnow(), datetime.now(), date.today(), time.time()."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "utcnow"
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr == "utcnow":  # library.models.base.utcnow(), datetime.utcnow()
        return True
    owner = ast.unparse(func.value).rsplit(".", 1)[-1]
    if func.attr in ("now", "today"):
        return owner in CLOCK_CLASSES
    return owner == "time" and func.attr in ("time", "time_ns")


def names_the_wall_clock(node: ast.AST) -> bool:
    """Tell whether a name is `utcnow` itself, not called: a default that reads the clock later."""
    if isinstance(node, ast.Name):
        return node.id == "utcnow"
    return isinstance(node, ast.Attribute) and node.attr == "utcnow"


def clock_reads(tree: ast.Module, filename: str) -> list[str]:
    """List 'file:line' for every call in the module that reads the wall clock, or clock it holds."""
    lines = {
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Call) and reads_the_clock(node)) or names_the_wall_clock(node)
    }
    return [f"{filename}:{line}" for line in sorted(lines)]


def test_library_code_takes_the_time_from_its_caller() -> None:
    found = []
    for path in sorted((ROOT / "library").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if not name.startswith(tuple(MAY_READ_THE_CLOCK)):
            found += clock_reads(parsed(path), name)
    assert found == [], "take `now: dt.datetime` (or a worker's `now` clock) and let the caller pass rt.now()"


def test_every_module_allowed_to_read_the_clock_still_exists() -> None:
    assert [name for name in MAY_READ_THE_CLOCK if not (ROOT / name).exists()] == []


def test_the_clock_scanner_tells_a_clock_read_from_a_clock_given() -> None:
    source = (
        "import datetime as dt, time\n"
        "from datetime import date, datetime\n"
        "a = utcnow()\n"
        "b = dt.datetime.now(dt.UTC)\n"
        "c = datetime.utcnow()\n"
        "d = date.today()\n"
        "e = time.time()\n"
        "f = base.utcnow()\n"
        "g = rt.now()\n"
        "h = worker.now()\n"
        "i = time.monotonic()\n"
        "j = now or moment\n"
        "k = Worker(now=rt.now)\n"
        "l = Worker(now=utcnow)\n"
        "m: Callable[[], dt.datetime] = base.utcnow\n"
    )
    assert clock_reads(ast.parse(source), "m.py") == [f"m.py:{n}" for n in (*range(3, 9), 14, 15)]
