"""Consuming the queue inside a process: Huey's consumer in threads, and lease recovery."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from huey.consumer import Consumer

from webapp.jobs import Jobs

log = logging.getLogger(__name__)


class EmbeddedConsumer(Consumer):
    """A consumer run beside the web server: it leaves the process's signals alone."""

    def _set_signal_handlers(self) -> None:
        """Keep the web server's own Ctrl+C handling."""


class Recovery(threading.Thread):
    """Every half lease, queue again the jobs whose worker died."""

    def __init__(self, jobs: Jobs) -> None:
        super().__init__(name="job-recovery", daemon=True)
        self.jobs = jobs
        self.stopping = threading.Event()
        self.interval = max(jobs.settings.job_lease_seconds / 2, 1.0)

    def run(self) -> None:
        """Recover until stopped."""
        while not self.stopping.wait(self.interval):
            try:
                self.jobs.recover()
            except Exception:  # noqa: BLE001 - the database may be away for a moment
                log.exception("Could not look for stalled jobs this time.")


@dataclass
class Consuming:
    """A running consumer and its recovery thread."""

    consumer: EmbeddedConsumer
    recovery: Recovery

    def stop(self, graceful: bool = False) -> None:
        """Stop taking jobs (a job cut short resumes on the next start)."""
        self.recovery.stopping.set()
        self.consumer.stop(graceful=graceful)


def start_embedded(jobs: Jobs, workers: int = 1) -> Consuming:
    """Start consuming the queue in threads of this process; stop it with .stop()."""
    consumer = EmbeddedConsumer(jobs.huey, workers=workers, worker_type="thread", periodic=False)
    jobs.recover()
    consumer.start()
    recovery = Recovery(jobs)
    recovery.start()
    return Consuming(consumer, recovery)
