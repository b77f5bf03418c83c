"""The web process hands freed memory back to the system on a schedule (glibc's malloc_trim)."""

from __future__ import annotations

import sys
import threading

import pytest

from runtime.supervisor import MemoryGiver, _malloc_trim


def test_the_giver_trims_on_its_interval_until_stopped() -> None:
    calls = threading.Semaphore(0)
    giver = MemoryGiver(interval=0.01, trim=calls.release)
    giver.start()
    for _ in range(3):
        assert calls.acquire(timeout=30)
    giver.stopping.set()
    giver.join(timeout=30)
    assert not giver.is_alive() and giver.daemon


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim is Linux's")
def test_on_linux_the_trim_is_glibcs_and_says_whether_it_gave_memory_back() -> None:
    trim = _malloc_trim()
    assert trim is not None
    assert trim() in (0, 1)


def test_the_giver_also_gives_back_what_it_is_told_to_each_time() -> None:
    trims, alsos = threading.Semaphore(0), threading.Semaphore(0)
    giver = MemoryGiver(interval=0.01, trim=trims.release, also=alsos.release)
    giver.start()
    for _ in range(2):
        assert trims.acquire(timeout=30) and alsos.acquire(timeout=30)
    giver.stopping.set()
    giver.join(timeout=30)


def test_giving_back_at_once_does_what_each_interval_does_without_a_thread() -> None:
    calls: list[str] = []
    giver = MemoryGiver(trim=lambda: calls.append("trim"), also=lambda: calls.append("maps"))
    giver.give_back()
    assert calls == ["trim", "maps"] and not giver.is_alive()


def test_the_giver_can_trim_less_often_than_it_gives_back_the_rest() -> None:
    calls: list[str] = []
    enough = threading.Event()

    def also() -> None:
        calls.append("maps")
        if calls.count("maps") == 6:
            enough.set()

    giver = MemoryGiver(interval=0.01, trim=lambda: calls.append("trim"), also=also, trim_every=3)
    giver.start()
    assert enough.wait(timeout=30)
    giver.stopping.set()
    giver.join(timeout=30)
    upto_sixth = calls[: [i for i, call in enumerate(calls) if call == "maps"][5] + 1]
    assert upto_sixth == ["maps", "maps", "trim", "maps", "maps", "maps", "trim", "maps"]
