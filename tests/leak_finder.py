"""A pytest plugin that says where each SQLite connection left to the garbage collector was opened.

Python 3.13 reports such a connection (a ResourceWarning, an error in these tests) in whichever
later test the collector happens to run, which names the wrong test. Run a tier with this
plugin to find the right one:

    .venv/bin/python -m pytest -p tests.leak_finder -p no:cov tests/browser

Every `sqlite3.connect` and `sqlite3.dbapi2.connect` (SQLAlchemy calls the second, Huey and the
search page store the first) then makes a connection that remembers the test and the stack that
opened it; one collected without being closed appends both to `build/leaks-<pid>.txt`. Not
loaded by `scripts/test`: the stacks cost.
"""

from __future__ import annotations

import os
import sqlite3
import sqlite3.dbapi2
import traceback
from pathlib import Path
from typing import Any

_connect = sqlite3.connect
REPORT = Path("build") / f"leaks-{os.getpid()}.txt"


class TrackedConnection(sqlite3.Connection):
    """A connection that notes where it was opened, and says so if it is collected unclosed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opened_in = os.environ.get("PYTEST_CURRENT_TEST", "outside a test")
        stack = [frame for frame in traceback.extract_stack(limit=22) if frame.filename != __file__]
        self.opened_at = "".join(traceback.format_list(stack[-20:]))
        self.closed = False

    def close(self) -> None:
        self.closed = True
        super().close()

    def __del__(self) -> None:
        if not self.closed:
            REPORT.parent.mkdir(exist_ok=True)
            with REPORT.open("a", encoding="utf-8") as report:
                report.write(f"=== opened in {self.opened_in}\n{self.opened_at}\n")


def _tracked_connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
    kwargs.setdefault("factory", TrackedConnection)
    return _connect(*args, **kwargs)


def pytest_configure() -> None:
    """Make every SQLite connection of the run a tracked one, through either name of `connect`."""
    sqlite3.connect = _tracked_connect  # type: ignore[assignment]
    sqlite3.dbapi2.connect = _tracked_connect  # type: ignore[assignment]
