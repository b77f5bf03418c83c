"""Consuming the lanes inside a process: Huey's consumers in threads, and lease recovery."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from huey.consumer import Consumer

from runtime.counted import counted
from runtime.lane_health import beat
from runtime.lanes import Jobs, Lane

log = logging.getLogger(__name__)

# How often an idle worker looks at the SQLite queue, at most (Redis wakes it at once).
POLL_SECONDS = {Lane.INTERACTIVE: 0.25, Lane.BATCH: 2.0}
HOUSEKEEPING_SECONDS = 3600  # how often each worker deletes the copies no link can download any more


class EmbeddedConsumer(Consumer):
    """A consumer run beside the web server: it leaves the process's signals alone."""

    def _set_signal_handlers(self) -> None:
        """Keep the web server's own Ctrl+C handling."""


class Recovery(threading.Thread):
    """Every half lease, queue again the jobs whose worker died."""

    def __init__(self, jobs: Jobs, lanes: Iterable[Lane] = tuple(Lane)) -> None:
        super().__init__(name="job-recovery", daemon=True)
        self.jobs = jobs
        self.lanes = tuple(lanes)
        self.stopping = threading.Event()
        self.interval = max(jobs.settings.job_lease_seconds / 2, 1.0)

    def run(self) -> None:
        """Recover until stopped; keep house once an hour, the first time soon after the start."""
        kept_at = time.monotonic() - HOUSEKEEPING_SECONDS + self.interval
        while not self.stopping.wait(self.interval):
            self.beat()
            counted().read_memory("jobs")
            try:
                self.jobs.recover()
            except Exception:  # noqa: BLE001 - the database may be away for a moment
                log.exception("Could not look for stalled jobs this time.")
            if time.monotonic() - kept_at >= HOUSEKEEPING_SECONDS:
                kept_at = time.monotonic()
                try:
                    self.jobs.keep_house()
                except Exception:  # noqa: BLE001 - likewise: the next round tries again
                    log.exception("Could not delete expired copies and old outbox mail this time.")

    def beat(self) -> None:
        """Say on each lane consumed here that this worker is alive (`runtime.lane_health`)."""
        for lane in self.lanes:
            try:
                beat(self.jobs.lanes[lane])
            except Exception:  # noqa: BLE001 - Redis may be away for a moment: the next round says it
                log.warning("Could not tell the %s lane that this worker is alive.", lane.value)


@dataclass
class Consuming:
    """The running consumers of some lanes and their recovery thread."""

    consumers: dict[Lane, EmbeddedConsumer]
    recovery: Recovery

    def stop(self, graceful: bool = False) -> None:
        """Stop taking jobs (a job cut short resumes on the next start); graceful: wait for the jobs running.

        Graceful also waits for the recovery thread's pass: the runtime may be closed right after,
        and a pass or job still using it would open connections again that nobody closes.
        """
        self.recovery.stopping.set()
        for consumer in self.consumers.values():
            consumer.stop(graceful=graceful)
        if graceful:
            self.recovery.join()


def lane_workers(jobs: Jobs, lane: Lane) -> int:
    """Return how many jobs of this lane one process runs at once (from the settings)."""
    s = jobs.settings
    return s.interactive_workers if lane is Lane.INTERACTIVE else s.batch_workers


def start_embedded(
    jobs: Jobs, lanes: Iterable[Lane] = tuple(Lane), workers: dict[Lane, int] | None = None
) -> Consuming:
    """Start consuming these lanes in threads of this process; stop it with .stop().

    Each lane has its own consumer and workers: a batch job never holds an interactive worker.
    """
    lanes = tuple(lanes)
    recovery = Recovery(jobs, lanes)
    recovery.beat()
    jobs.recover()
    consumers = {}
    for lane in lanes:
        count = (workers or {}).get(lane) or lane_workers(jobs, lane)
        consumer = EmbeddedConsumer(
            jobs.lanes[lane],
            workers=count,
            worker_type="thread",
            periodic=False,
            initial_delay=0.05,
            max_delay=POLL_SECONDS[lane],
            backoff=1.5,
        )
        consumer.start()
        consumers[lane] = consumer
    recovery.start()
    return Consuming(consumers, recovery)
