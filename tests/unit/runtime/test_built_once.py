"""A runtime's part is built once, however many threads ask for it at the same moment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from runtime.once import built_once


class Parts:
    """An owner as the runtime is: a re-entrant lock, and a part whose build waits for company."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.builds = 0
        self.company = threading.Barrier(2, timeout=0.5)

    @built_once
    def tally(self) -> object:
        """A part; a second build beside this one would meet it at the barrier."""
        self.builds += 1
        try:
            self.company.wait()  # passes only if another build runs at the same time
        except threading.BrokenBarrierError:
            pass
        return object()

    @built_once
    def outer(self) -> tuple[object, object]:
        """A part whose build asks for another."""
        return (self.tally, object())


def test_threads_asking_at_once_get_the_one_part_built_once() -> None:
    parts = Parts()
    start = threading.Barrier(4)

    def ask(_: int) -> object:
        start.wait()
        return parts.tally

    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(ask, range(4)))
    assert parts.builds == 1
    assert all(part is got[0] for part in got)
    assert parts.company.broken  # the one build waited for a second that never came


def test_a_part_built_from_another_takes_the_lock_again_and_is_read_from_the_instance_after() -> None:
    parts = Parts()
    first = parts.outer
    assert first[0] is parts.tally and parts.outer is first
    assert vars(parts)["outer"] is first  # read from there, as a cached_property's value is
    assert isinstance(Parts.tally, built_once)
