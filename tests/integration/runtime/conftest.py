"""A guard for the tests that consume lanes: no consumer thread may outlive its test.

A worker still running a job when the test closes its runtime uses the runtime again: it opens
a new engine that nothing closes, and its connection is freed (ResourceWarning, an error here)
whenever the garbage collector runs, in some later test. Stop consuming with `graceful=True`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest


def consumer_threads() -> list[threading.Thread]:
    """Return the live threads of Huey's consumers and of the job recovery."""
    return [
        t
        for t in threading.enumerate()
        if t.name == "job-recovery"
        or "Consumer._create_process" in getattr(getattr(t, "_target", None), "__qualname__", "")
    ]


@pytest.fixture(autouse=True)
def no_consumer_outlives_the_test() -> Iterator[None]:
    before = set(consumer_threads())
    yield
    left = [t.name for t in consumer_threads() if t not in before]
    assert not left, f"consumer threads still running after the test (stop them gracefully): {left}"
