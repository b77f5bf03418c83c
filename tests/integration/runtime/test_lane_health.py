"""The lanes' ledger on both storages: a job queued is counted with its age until a worker starts it."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from library import migrate
from library.db import make_engine
from library.settings import Settings
from runtime.consumer import start_embedded
from runtime.counted import counted
from runtime.lane_health import worker_name
from runtime.lanes import Jobs, Lane
from runtime.root import Runtime
from tests.conftest import redis_reachable, require_service
from tests.waiting import wait_until


class HeldJobs(Jobs):
    """Jobs whose index tasks wait at a gate, so that a started job can be seen running."""

    def __init__(self, rt: Runtime, queue_name: str) -> None:
        self.gate, self.started = threading.Event(), threading.Event()
        super().__init__(rt, queue_name)

    def run(self, name: str, *args: Any) -> None:
        if name != "index":
            return super().run(name, *args)
        self.started.set()
        self.gate.wait(30)


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_started_job_leaves_the_ledger_and_the_worker_is_listed(
    tmp_path: Path, database_url: str, backend: str
) -> None:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    engine.dispose()
    settings = Settings.from_env({}, instance_dir=tmp_path / "instance", database_url=database_url)
    if backend == "redis":
        require_service("Redis", redis_reachable())
        settings = dataclasses.replace(settings, redis_url="redis://127.0.0.1:6379/0")
    rt = Runtime(settings)
    jobs = HeldJobs(rt, f"pustaka-test-{uuid.uuid4().hex[:8]}")
    try:
        jobs.index(7)
        jobs.index(8)
        batch = next(h for h in jobs.health() if h.lane == "batch")
        assert (batch.depth, batch.workers) == (2, ())
        assert batch.oldest_seconds is not None and batch.oldest_seconds < 60
        consuming = start_embedded(jobs, [Lane.BATCH], {Lane.BATCH: 1})
        try:
            assert jobs.started.wait(30)
            batch = next(h for h in jobs.health() if h.lane == "batch")
            assert batch.depth == 1  # one started (out of the ledger), one still waiting
            assert batch.workers == (worker_name(),)
            ledger = [
                key for key in jobs.lanes[Lane.BATCH].storage.result_items() if key.startswith("queued:")
            ]
            assert len(ledger) == 1
            jobs.gate.set()
            wait_until(
                lambda: next(h for h in jobs.health() if h.lane == "batch").depth == 0,
                message="both jobs ran",
            )
            interactive = next(h for h in jobs.health() if h.lane == "interactive")
            assert interactive.workers == ()  # this process consumes the batch lane only
        finally:
            jobs.gate.set()
            consuming.stop(graceful=True)  # its jobs end before the runtime closes
    finally:
        jobs.flush()
        jobs.close()  # lanes of the test's own, beside the runtime's: the runtime closes only its own
        rt.close()


class FailingJobs(Jobs):
    """Jobs whose desk alert fails the first `failures` times it runs."""

    def __init__(self, rt: Runtime, queue_name: str, failures: int) -> None:
        self.failures = failures
        super().__init__(rt, queue_name)

    def run(self, name: str, *args: Any) -> None:
        if name != "alert_desk":
            return super().run(name, *args)
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the mail server is away")


def outcomes(lane: str, task: str) -> dict[str, float]:
    """Return the jobs counted so far for a task, by outcome (this test process's counters)."""
    found: dict[str, float] = {}
    for family in counted().registry.collect():
        for sample in family.samples:
            labels = sample.labels
            if sample.name == "pustaka_jobs_total" and (labels["lane"], labels["task"]) == (lane, task):
                found[labels["outcome"]] = sample.value
    return found


def test_jobs_done_and_failed_are_counted_by_lane_and_task(tmp_path: Path) -> None:
    settings = Settings.from_env({}, instance_dir=tmp_path / "instance")
    rt = Runtime(settings)
    jobs = FailingJobs(rt, f"pustaka-test-{uuid.uuid4().hex[:8]}", failures=1)
    jobs.immediate = True  # run at once, here: Huey's signals fire as in a worker
    before = outcomes("interactive", "alert_desk")
    try:
        jobs.alert_desk(1)  # fails (no retry for this task)
        jobs.alert_desk(2)  # done
    finally:
        rt.close()
    after = outcomes("interactive", "alert_desk")
    assert after.get("failed", 0) - before.get("failed", 0) == 1
    assert after.get("done", 0) - before.get("done", 0) == 1
