"""Failed jobs in the log: each retry in one line, each final failure in one line and its traceback.

    WARNING ... runtime.job_log: Job index 6f1c... (1234): attempt 3 of 31 failed (IndexLockedError: ...);
    retried in 2 s, 28 retries left
    ERROR ... runtime.job_log: Job deliver 0a9e... (57): failed for good after 1 attempt (OSError: ...)
    Traceback ...

Huey logs every failed attempt with a traceback of its own ("Unhandled exception in task"):
`runtime.logs` drops that record, so a failure gives one traceback and a retry none. Only whole
numbers among a job's arguments are shown (the ids); the others (an email address, a complaint's
tracking code) are shown as `…`.
"""

from __future__ import annotations

import logging
from typing import Any

from huey import Huey
from huey import signals as S

log = logging.getLogger(__name__)
ERROR_NOTE = "_pustaka_error"  # the failed attempt's error, kept on the task for its retry's line


def log_failures(huey: Huey) -> None:
    """Log the failures and retries of the lane's jobs, with their ids (Huey's signals)."""

    @huey.signal(S.SIGNAL_ERROR)
    def _failed(signal: str, task: Any, exc: BaseException | None = None, *args: Any) -> None:
        if task.retries:  # another attempt follows: said when it is queued (below)
            setattr(task, ERROR_NOTE, exc)
            return
        attempts = _attempt(task)
        log.error(
            "Job %s: failed for good after %s attempt%s (%s).",
            describe(task),
            attempts,
            "" if attempts == 1 else "s",
            _error(exc),
            exc_info=exc,
        )

    @huey.signal(S.SIGNAL_RETRYING)
    def _retrying(signal: str, task: Any, *args: Any) -> None:
        exc = getattr(task, ERROR_NOTE, None)
        log.warning(
            "Job %s: attempt %s of %s failed (%s); retried in %s s, %s retries left.",
            describe(task),
            _attempt(task),
            _attempts(task),
            _error(exc) if exc is not None else "asked to retry",
            task.retry_delay or 0,
            task.retries - 1,  # Huey counts this retry off after the signal
        )


def describe(task: Any) -> str:
    """Return a job's name, id and arguments (whole numbers only: its ids)."""
    args = ", ".join(str(arg) if _is_id(arg) else "…" for arg in (task.args or ()))
    return f"{task.name} {task.id} ({args})"


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _attempts(task: Any) -> int:
    """Return how many attempts the job has in all (its first and its retries)."""
    return int(getattr(task, "default_retries", 0) or 0) + 1


def _attempt(task: Any) -> int:
    """Return which attempt just failed (1 for the first)."""
    return _attempts(task) - int(task.retries or 0)


def _error(exc: BaseException | None) -> str:
    """Return an error's type and first line."""
    if exc is None:
        return "no error given"
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__
