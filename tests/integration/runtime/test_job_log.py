"""A job's retries and its failure are logged once each, with the job's id; a failure with one traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from huey import MemoryHuey

from library.settings import Settings
from runtime.job_log import log_failures
from runtime.lanes import Jobs, Lane
from runtime.logs import configure_logging
from runtime.root import Runtime
from tests.log_state import kept_logging


@pytest.fixture(autouse=True)
def _logging_restored(tmp_path: Path) -> Iterator[None]:
    with kept_logging():
        configure_logging(Settings.from_env({}, instance_dir=tmp_path))  # as every worker does
        yield


def broken_lane() -> MemoryHuey:
    """Return a lane that runs its jobs at once, in the caller, with its failures logged."""
    huey = MemoryHuey("test-lane", immediate=True)
    log_failures(huey)
    return huey


def test_each_retry_is_one_warning_and_the_failure_one_error_with_one_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    huey = broken_lane()

    @huey.task(name="deliver", retries=2)
    def deliver(request_id: int, address: str) -> None:
        raise OSError(f"disk full while stamping request {request_id}")

    caplog.set_level(logging.INFO)
    result = deliver(57, "ani@example.id")
    lines = [(r.name, r.levelname, r.getMessage(), bool(r.exc_info)) for r in caplog.records]
    assert lines == [
        (
            "runtime.job_log",
            "WARNING",
            f"Job deliver {result.id} (57, …): attempt 1 of 3 failed (OSError: disk full while stamping "
            "request 57); retried in 0 s, 1 retries left.",
            False,
        ),
        (
            "runtime.job_log",
            "WARNING",
            f"Job deliver {result.id} (57, …): attempt 2 of 3 failed (OSError: disk full while stamping "
            "request 57); retried in 0 s, 0 retries left.",
            False,
        ),
        (
            "runtime.job_log",
            "ERROR",
            f"Job deliver {result.id} (57, …): failed for good after 3 attempts (OSError: disk full while "
            "stamping request 57).",
            True,
        ),
    ]
    assert "ani@example.id" not in caplog.text


def test_a_job_without_retries_fails_in_one_error(caplog: pytest.LogCaptureFixture) -> None:
    huey = broken_lane()

    @huey.task(name="scan")
    def scan(scan_id: int) -> None:
        raise ValueError("no pages")

    caplog.set_level(logging.INFO)
    result = scan(12)
    [line] = caplog.records
    assert (
        line.getMessage()
        == f"Job scan {result.id} (12): failed for good after 1 attempt (ValueError: no pages)."
    )
    assert line.exc_info and line.exc_info[0] is ValueError


def test_the_lanes_of_the_jobs_log_their_failures(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    rt = Runtime(Settings.from_env({}, instance_dir=tmp_path / "instance"))
    try:
        jobs = Jobs(rt)
        jobs.immediate = True

        @jobs.lanes[Lane.BATCH].task(name="index_test", retries=1)
        def index(publication_id: int) -> None:
            raise RuntimeError("index locked")

        caplog.set_level(logging.INFO)
        result = index(9)
    finally:
        rt.close()
    assert [(r.levelname, r.getMessage().split(" (")[0]) for r in caplog.records] == [
        ("WARNING", f"Job index_test {result.id}"),
        ("ERROR", f"Job index_test {result.id}"),
    ]
    assert "attempt 1 of 2 failed (RuntimeError: index locked)" in caplog.records[0].getMessage()
