"""The service benchmark's site: a fresh instance, its database and queue, its processes, their memory.

Each process runs `pustaka` as a person would start it, in its own process group, so that it
and everything it starts (OCR, web processes) can be watched and stopped together.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import redis
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
PUSTAKA = [sys.executable, "-c", "from cli import main; main()"]
POSTGRES_URL = os.environ.get(
    "PUSTAKA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = "redis://127.0.0.1:6379"
_TICKS = os.sysconf("SC_CLK_TCK")
_OWNER_KEY = "pustaka-bench:owner"


class SiteError(Exception):
    """The site could not be set up or did not start."""


@dataclass
class Setup:
    """Where one run keeps its data: an instance folder, and a database and queue when not SQLite."""

    name: str
    label: str
    instance: Path
    database_url: str = ""
    redis_url: str = ""
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    def cleanup(self) -> None:
        """Drop what the run created outside its instance folder."""
        for step in reversed(self.cleanups):
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - report and go on cleaning
                print(f"  (cleanup of {self.name}: {exc})", file=sys.stderr)


def sqlite_setup(instance: Path) -> Setup:
    """Return the default setup: SQLite and the SQLite queue consumed inside `pustaka serve`."""
    return Setup("sqlite", "SQLite + SQLite queue inside `pustaka serve`", instance)


def postgres_redis_setup(instance: Path, postgres_url: str, redis_url: str) -> Setup | str:
    """Return a setup on a private PostgreSQL schema and an empty Redis database, or why not."""
    setup = Setup("redis", "PostgreSQL + Redis queue + `pustaka worker` processes", instance)
    schema = f"pustaka_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url)
    try:
        setup.redis_url = _claim_redis_db(redis_url, setup)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001 - unreachable services only skip this setup
        setup.cleanup()
        admin.dispose()
        return f"PostgreSQL or Redis not reachable ({type(exc).__name__}: {str(exc).splitlines()[0]})"

    def drop_schema() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    setup.cleanups.append(drop_schema)
    joiner = "&" if "?" in postgres_url else "?"
    setup.database_url = f"{postgres_url}{joiner}options=-csearch_path%3D{schema}"
    return setup


def _claim_redis_db(base_url: str, setup: Setup) -> str:
    """Claim an empty Redis database (15 down to 1: tests use 0) and empty it again at the end."""
    for number in range(15, 0, -1):
        client = redis.Redis.from_url(f"{base_url.rstrip('/')}/{number}")
        if client.dbsize() == 0 and client.set(_OWNER_KEY, str(os.getpid()), nx=True):
            setup.cleanups.append(client.flushdb)
            return f"{base_url.rstrip('/')}/{number}"
    raise SiteError("no empty Redis database among 1-15")


def free_port() -> int:
    """Return a TCP port free on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Site:
    """The running site: `pustaka serve` and any `pustaka worker` processes of one setup."""

    def __init__(self, setup: Setup, extra_env: dict[str, str]) -> None:
        self.setup = setup
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_env = extra_env
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.logs = setup.instance / "logs"

    def env(self) -> dict[str, str]:
        """Return the environment of every process: this setup's PUSTAKA_* settings only."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PUSTAKA_")}
        env.update(
            PUSTAKA_INSTANCE_DIR=str(self.setup.instance),
            PUSTAKA_DATABASE_URL=self.setup.database_url,
            PUSTAKA_REDIS_URL=self.setup.redis_url,
            PUSTAKA_BASE_URL=self.url,
        )
        env.update(self.extra_env)
        return env

    def cli(self, *args: str) -> str:
        """Run one `pustaka` command to its end and return what it printed."""
        done = subprocess.run(
            [*PUSTAKA, *args], env=self.env(), cwd=ROOT, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise SiteError(f"pustaka {' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")
        return done.stdout

    def supports(self, command: str, option: str) -> bool:
        """Tell whether this checkout's `pustaka COMMAND` has an option."""
        return option in self.cli(command, "--help")

    def start(self, role: str, args: list[str], ready: Callable[[], bool], timeout: float = 120) -> None:
        """Start one process in its own group and wait until `ready()` says it serves."""
        self.logs.mkdir(parents=True, exist_ok=True)
        with open(self.logs / f"{role}.log", "ab") as log:
            self.processes[role] = subprocess.Popen(
                [*PUSTAKA, *args],
                env=self.env(),
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while not ready():
            if self.processes[role].poll() is not None or time.monotonic() > deadline:
                raise SiteError(f"{role} did not start; see {self.logs / (role + '.log')}")
            time.sleep(0.2)

    def answers(self) -> bool:
        """Tell whether the web server answers its health check."""
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as reply:
                return bool(reply.status == 200)
        except OSError:
            return False

    def logged(self, role: str, words: str) -> Callable[[], bool]:
        """Return a check that a process has printed some words in its log."""
        return lambda: words in (self.logs / f"{role}.log").read_text(errors="replace")

    def stop(self) -> None:
        """Stop every process group: politely, then for good."""
        for process in self.processes.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
            _signal_group(process, signal.SIGKILL)  # whatever it started and left behind

    def remove(self, keep: bool) -> None:
        """Drop the database and queue, and the instance folder unless asked to keep it."""
        self.setup.cleanup()
        if keep:
            print(f"  instance kept in {self.setup.instance}")
        else:
            shutil.rmtree(self.setup.instance, ignore_errors=True)


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    """Send a signal to the process group a process leads, if it is still there."""
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


# -- watching processes: memory and CPU from /proc ----------------------------------------------
def _parents() -> dict[int, int]:
    """Return every process's parent."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields:
                parents[int(entry)] = int(fields[1])
    return parents


def _stat_fields(pid: int) -> list[str]:
    """Return the fields of /proc/PID/stat after the command name (state first), or none."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _program(pid: int) -> str:
    """Return the program name of a process."""
    try:
        with open(f"/proc/{pid}/comm") as comm:
            return comm.read().strip()
    except OSError:
        return "?"


def status_kb(pid: int, key: str) -> int:
    """Return one kB figure of /proc/PID/status (VmRSS, VmHWM), 0 if the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int, parents: dict[int, int]) -> list[int]:
    """Return the processes started by a process, and by those, and so on."""
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def machine_busy_seconds() -> float:
    """Return the CPU time every CPU of the machine has spent busy so far (all processes)."""
    with open("/proc/stat") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks[:8]) - idle) / _TICKS  # guest time is already in user time


class ProcessWatch(threading.Thread):
    """Sample the resident memory of each role's process and of what it started, per phase."""

    def __init__(self, roots: dict[str, int], interval: float = 0.25) -> None:
        super().__init__(name="process-watch", daemon=True)
        self.roots = roots
        self.interval = interval
        self.phase = "setup"
        self.peaks: dict[str, dict[str, int]] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        """Sample until stopped."""
        while not self.stopping.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        """Record, if higher than seen in this phase: each role's RSS, its children's summed RSS,
        and their summed RSS by program (`ROLE > tesseract`)."""
        parents = _parents()
        peaks = self.peaks.setdefault(self.phase, {})
        for role, pid in self.roots.items():
            now = {role: status_kb(pid, "VmRSS"), role + " +children": 0}
            for child in descendants(pid, parents):
                kb = status_kb(child, "VmRSS")
                now[role + " +children"] += kb
                name = f"{role} > {_program(child)}"
                now[name] = now.get(name, 0) + kb
            for label, kb in now.items():
                peaks[label] = max(peaks.get(label, 0), kb)

    def cpu_seconds(self, role: str) -> float:
        """Return the CPU time used so far by a role's process and the processes it started."""
        pid = self.roots[role]
        total = 0
        for one in (pid, *descendants(pid, _parents())):
            fields = _stat_fields(one)
            if fields:
                # utime, stime, and those of its children that ended (tesseract, an ingest child):
                # a process that ends passes its own to its parent's, so nothing is lost or counted twice
                total += sum(int(value) for value in fields[11:15])
        return total / _TICKS

    def stop(self) -> None:
        """Stop sampling."""
        self.stopping.set()
        self.join()
