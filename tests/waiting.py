"""Waiting for something outside a browser to come true: an email in an outbox, a row, a job's end.

A test that sleeps "long enough" is slow on a quiet machine and flaky on a busy one. A test
that waits for the condition itself is neither: it goes on as soon as the condition holds and
fails, saying what it waited for, only after a generous time. In the browser, Playwright's
`expect(...)` and `page.wait_for_function` wait this way; outside it, `wait_until` does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    condition: Callable[[], T | None],
    *,
    timeout: float = 10,
    interval: float = 0.05,
    message: str = "the condition never came true",
) -> T:
    """Ask `condition()` every `interval` seconds until it answers something truthy; return that answer.

    The condition is asked at once, and once more when `timeout` seconds have passed (a busy
    machine may oversleep an interval), so a condition that holds by the deadline is never
    missed. If it still answers something falsy then, fail with an AssertionError saying
    `message`, the time waited and the last answer. An exception the condition raises is not
    caught: a broken condition fails at once rather than after the timeout.

    Use it for what only the test can see (a file, a database row, a queue); for a page, use
    Playwright's waiting assertions instead.
    """
    deadline = time.monotonic() + timeout
    while True:
        answer = condition()
        if answer:
            return answer
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{message} (waited {timeout:g} s; the last answer was {answer!r})")
        time.sleep(min(interval, left))
