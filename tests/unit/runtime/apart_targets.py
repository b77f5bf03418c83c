"""Work for tests/unit/runtime/test_apart.py to run in a spawned process (it imports this module)."""

from __future__ import annotations

import os
import time

from tests.waiting import wait_until


def pid_and_sum(a: int, b: int) -> tuple[int, int]:
    """Return the process id it ran in and a + b."""
    return os.getpid(), a + b


def refuse(reason: str) -> None:
    """Raise ValueError(reason)."""
    raise ValueError(reason)


def sleep_then_write(seconds: float, path: str) -> None:
    """Write its process id to a file, then sleep (the test ends it first)."""
    with open(path, "w") as out:
        out.write(str(os.getpid()))
    time.sleep(seconds)


def write_then_hold(path: str, release: str) -> None:
    """Write its process id to a file, then hold its slot until a file `release` is there (60 s at most)."""
    with open(path, "w") as out:
        out.write(str(os.getpid()))
    wait_until(lambda: os.path.exists(release), timeout=60, message=f"{release} never came")


def die() -> None:
    """End the process with no answer, as the kernel's OOM killer would."""
    os._exit(9)


def unpicklable() -> object:
    """Return a value that cannot be sent back."""
    return lambda: None


def niceness() -> int:
    """Return the process's niceness."""
    return os.nice(0)


def _refuse_to_load() -> None:
    raise RuntimeError("this answer cannot be loaded here")


class Unreadable:
    """A value that pickles in the child and fails to load in the parent."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_refuse_to_load, ())


def unreadable_answer() -> Unreadable:
    """Return a value the parent cannot load."""
    return Unreadable()
