"""Processes started together on an empty database: one migrates, the others wait, none fails."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

import catalog_data
from library import migrate
from library.db import make_engine
from library.models import Office
from tests.conftest import postgres_schema
from tests.waiting import wait_until

# Each process imports what it needs, then waits for the same signal to start: their migrations
# begin within milliseconds of each other instead of an import's length apart.
AT_THE_SIGNAL = (
    "import sys, time, pathlib\n"
    "import cli.database, cli.serve\n"
    "from cli import main\n"
    "go, ready = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])\n"
    "ready.touch()\n"
    "while not go.exists():\n"
    "    time.sleep(0.005)\n"
    "main(sys.argv[3:])\n"
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a database with no tables at all: a new SQLite file, or a new schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new.sqlite3'}"
        return
    with postgres_schema("pustaka_first", migrated=False) as url:
        yield url


def start_together(tmp_path: Path, database_url: str, commands: list[list[str]]) -> list[subprocess.Popen]:
    """Start one `pustaka` process per command on the database, and let them all go at once."""
    env = {**os.environ, "PUSTAKA_INSTANCE_DIR": str(tmp_path / "instance")}
    env["PUSTAKA_DATABASE_URL"] = database_url
    env.pop("PUSTAKA_REDIS_URL", None)
    go = tmp_path / "go"
    processes = []
    for number, args in enumerate(commands):
        with (tmp_path / f"{number}.log").open("wb") as out:
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-c", AT_THE_SIGNAL, str(go), str(tmp_path / f"{number}.ready"), *args],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )

    def ready(number: int, process: subprocess.Popen) -> bool:
        return (tmp_path / f"{number}.ready").exists() or process.poll() is not None

    wait_until(
        lambda: all(ready(n, p) for n, p in enumerate(processes)),
        timeout=120,
        message="timed out waiting for the processes to be ready",
    )
    go.touch()
    return processes


def output(tmp_path: Path, number: int) -> str:
    return (tmp_path / f"{number}.log").read_text(errors="replace")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def offices(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        assert migrate.is_up_to_date(engine)
        with engine.connect() as conn:
            return conn.scalar(select(func.count(Office.id))) or 0
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_db_upgrades_started_together_all_succeed_and_load_the_offices_once(
    tmp_path: Path, empty_database: str
) -> None:
    processes = start_together(tmp_path, empty_database, [["db", "upgrade"]] * 3)
    for process in processes:
        try:
            process.wait(timeout=180)
        finally:
            stop(process)
    logs = [output(tmp_path, n) for n in range(len(processes))]
    assert [p.returncode for p in processes] == [0, 0, 0], logs
    assert sum("Upgraded the database from empty" in log for log in logs) == 1, logs
    assert offices(empty_database) == len(catalog_data.load_offices())


def test_serve_and_worker_started_together_on_an_empty_database_both_run(
    tmp_path: Path, empty_database: str
) -> None:
    serve = ["serve", "--no-demo", "--processes", "1", "--port", str(free_port())]
    processes = start_together(tmp_path, empty_database, [serve, ["worker", "--lane", "batch"]])
    try:
        wait_until(
            lambda: "Pustaka is running" in output(tmp_path, 0) or processes[0].poll() is not None,
            timeout=180,
            message="timed out waiting for serve to start",
        )
        wait_until(
            lambda: "Pustaka worker:" in output(tmp_path, 1) or processes[1].poll() is not None,
            timeout=180,
            message="timed out waiting for the worker to start",
        )
        running = [p.poll() is None for p in processes]
        logs = [output(tmp_path, 0), output(tmp_path, 1)]  # what they said starting, not stopping
    finally:
        for process in processes:
            stop(process)
    assert running == [True, True], logs
    assert "Pustaka is running" in logs[0] and "Pustaka worker:" in logs[1], logs
    assert not any("Error" in log or "Traceback" in log for log in logs), logs
    assert offices(empty_database) == len(catalog_data.load_offices())
