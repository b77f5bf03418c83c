"""What the processes count where it happens, in whichever process (read by /metrics in webapp.metrics).

Requests by route and status with their latency, search latency, jobs done, failed, retried and
taken over, copies made and their time to ready, each process's memory. Under `pustaka serve`
and `pustaka worker` every process writes them to files in one folder per host
(PUSTAKA_METRICS_DIR, emptied by `serve` when it starts), and /metrics sums them across the
processes (prometheus_client's multiprocess mode); elsewhere (tests, a single process) they stay
in memory.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, values
from prometheus_client.registry import Collector

from library.settings import Settings

log = logging.getLogger(__name__)
MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"
LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
READY = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600)
MEMORY_EVERY = 15.0  # seconds between two readings of a process's memory


def metrics_folder(settings: Settings) -> Path:
    """Return the folder the processes of this host write their counted figures to."""
    return Path(settings.metrics_dir) if settings.metrics_dir else settings.instance_path / "metrics"


def count_across_processes(settings: Settings, *, fresh: bool = False) -> None:
    """Count in files shared by this host's processes (`fresh`: the supervisor, which empties them).

    Called before any figure is counted in the process; the processes it starts inherit it.
    """
    folder = metrics_folder(settings)
    if fresh and folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROCESS] = str(folder)
    values.ValueClass = values.get_value_class()
    counted.cache_clear()


def process_ended(pid: int) -> None:
    """Forget an ended process's memory gauge (its counters stay in the sums)."""
    if os.environ.get(MULTIPROCESS):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


class Counted:
    """The figures counted where they happen (one set per process)."""

    def __init__(self) -> None:
        registry = CollectorRegistry(auto_describe=True)  # never exposed: /metrics reads the files or it
        self.registry = registry
        self.requests = Counter(
            "pustaka_http_requests", "Requests answered, by route, method and status.",
            ["route", "method", "status"], registry=registry,
        )  # fmt: skip
        self.latency = Histogram(
            "pustaka_http_request_seconds", "Time to answer a request, by route.",
            ["route"], buckets=LATENCY, registry=registry,
        )  # fmt: skip
        self.search = Histogram(
            "pustaka_search_seconds", "Time to search the catalogue (the search page's engine call).",
            buckets=LATENCY, registry=registry,
        )  # fmt: skip
        self.jobs = Counter(
            "pustaka_jobs", "Jobs ended, by lane, task and outcome (done, failed, retried, taken_over).",
            ["lane", "task", "outcome"], registry=registry,
        )  # fmt: skip
        self.copies = Counter(
            "pustaka_copies_delivered", "Stamped copies made ready, by kind (request, scan).",
            ["kind"], registry=registry,
        )  # fmt: skip
        self.copy_ready = Histogram(
            "pustaka_copy_ready_seconds", "Time from approval (or the scan) to a copy ready, by kind.",
            ["kind"], buckets=READY, registry=registry,
        )  # fmt: skip
        self.mailbox = Counter(
            "pustaka_consultation_mailbox_emails",
            "Emails read from the consultation mailbox, by outcome (taken, set_aside, refused, failed).",
            ["outcome"], registry=registry,
        )  # fmt: skip
        self.mailbox_troubles = Counter(
            "pustaka_consultation_mailbox_troubles",
            "Reads of the consultation mailbox stopped by the mailbox (unreachable, sign-in refused).",
            registry=registry,
        )
        self.usage = Counter(
            "pustaka_usage_events",
            "Usage events of publications, by outcome: kept, or not counted (robot, staff, failed).",
            ["outcome"], registry=registry,
        )  # fmt: skip
        self.memory = Gauge(
            "pustaka_process_resident_bytes", "Resident memory of each process, by kind (web, jobs).",
            ["kind"], registry=registry, multiprocess_mode="liveall",
        )  # fmt: skip
        self._memory_at = 0.0

    def read_memory(self, kind: str) -> None:
        """Read this process's resident memory, at most every MEMORY_EVERY seconds."""
        now = time.monotonic()
        if now - self._memory_at < MEMORY_EVERY:
            return
        self._memory_at = now
        try:
            pages = int(Path("/proc/self/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            return
        self.memory.labels(kind).set(pages * os.sysconf("SC_PAGE_SIZE"))


@cache
def counted() -> Counted:
    """Return this process's counted figures (made on first use, after `count_across_processes`)."""
    return Counted()


def copy_made(rt, kind: str, copy_id: int) -> None:
    """Count a copy made ready (kind "request" or "scan") and its time to ready."""
    from library.operations.now import copy_ready_seconds

    with rt.uow() as uow:
        seconds = copy_ready_seconds(uow, kind, copy_id)
    figures = counted()
    figures.copies.labels(kind).inc()
    if seconds is not None:
        figures.copy_ready.labels(kind).observe(seconds)


def exposition(live: Collector) -> bytes:
    """Return the text of /metrics: the counted figures (of every process) and the live ones."""
    registry = CollectorRegistry()
    folder = os.environ.get(MULTIPROCESS)
    if folder:
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry, path=folder)
    else:
        registry.register(_Own(counted().registry))
    registry.register(live)
    return generate_latest(registry)


class _Own(Collector):
    """This process's counted figures, when they are not in files."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterator:
        yield from self._registry.collect()
