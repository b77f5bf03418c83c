"""The leak finder names the test and stack of a SQLite connection collected unclosed, and only those."""

from __future__ import annotations

import gc
import sqlite3
import sqlite3.dbapi2
from pathlib import Path

import pytest
import sqlalchemy

from tests import leak_finder


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_connection_collected_unclosed_is_reported_with_where_it_was_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "leaks.txt"
    monkeypatch.setattr(leak_finder, "REPORT", report)

    def open_and_forget() -> None:
        sqlite3.connect(":memory:", factory=leak_finder.TrackedConnection)

    sqlite3.connect(":memory:", factory=leak_finder.TrackedConnection).close()
    gc.collect()
    assert not report.exists()  # closed: nothing to say

    open_and_forget()
    gc.collect()
    said = report.read_text()
    assert said.startswith("=== opened in tests/unit/test_leak_finder.py::")
    assert "in open_and_forget" in said


def test_sqlalchemy_connections_are_tracked_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLAlchemy opens its SQLite connections through `sqlite3.dbapi2.connect`, not `sqlite3.connect`."""
    monkeypatch.setattr(sqlite3, "connect", sqlite3.connect)
    monkeypatch.setattr(sqlite3.dbapi2, "connect", sqlite3.dbapi2.connect)
    leak_finder.pytest_configure()
    engine = sqlalchemy.create_engine("sqlite://")
    with engine.connect() as connection:
        assert isinstance(connection.connection.dbapi_connection, leak_finder.TrackedConnection)
    engine.dispose()
