"""Work run apart: in its own process, answered or stopped, the process ended either way."""

from __future__ import annotations

import multiprocessing
import os
import threading
from pathlib import Path

import pytest

from runtime.apart import ApartFailed, ApartSlots, Busy, TookTooLong, run_apart
from tests.unit.runtime import apart_targets
from tests.waiting import wait_until


def alive(pid: int) -> bool:
    """Tell whether a process is still there (and not a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_the_answer_comes_from_another_process() -> None:
    pid, total = run_apart(apart_targets.pid_and_sum, 2, 3, seconds=60)
    assert total == 5 and pid != os.getpid() and not alive(pid)


def test_the_work_may_run_at_a_lower_priority() -> None:
    assert run_apart(apart_targets.niceness, seconds=60, niceness=5) == os.nice(0) + 5


def test_what_the_work_raised_is_raised_here() -> None:
    with pytest.raises(ValueError, match="rusak"):
        run_apart(apart_targets.refuse, "rusak", seconds=60)


def test_work_past_its_time_is_stopped_and_its_process_ended(tmp_path: Path) -> None:
    marker = tmp_path / "pid"
    with pytest.raises(TookTooLong):
        run_apart(apart_targets.sleep_then_write, 600.0, str(marker), seconds=1)
    assert multiprocessing.active_children() == []  # ended and reaped, whether or not it had begun
    if marker.exists():  # it had begun (on a loaded machine a spawn may take longer than the limit)
        assert not alive(int(marker.read_text()))


def test_a_process_that_dies_without_an_answer_is_a_clear_failure() -> None:
    with pytest.raises(ApartFailed, match="exit code 9"):
        run_apart(apart_targets.die, seconds=60)


def test_an_answer_that_cannot_be_sent_is_a_clear_failure() -> None:
    with pytest.raises(ApartFailed, match="could not be sent"):
        run_apart(apart_targets.unpicklable, seconds=60)


def test_an_answer_that_cannot_be_loaded_is_a_clear_failure() -> None:
    with pytest.raises(ApartFailed, match="could not be read"):
        run_apart(apart_targets.unreadable_answer, seconds=60)


def test_with_every_slot_taken_the_next_is_told_busy(tmp_path: Path) -> None:
    slots = ApartSlots(1, wait=0.2)
    started = threading.Event()
    errors: list[BaseException] = []

    def hold() -> None:
        try:
            started.set()
            slots.run(apart_targets.write_then_hold, str(tmp_path / "pid"), str(tmp_path / "go"), seconds=120)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    holder = threading.Thread(target=hold)
    holder.start()
    started.wait()
    # the work runs: the slot is held
    wait_until(lambda: (tmp_path / "pid").exists() or not holder.is_alive(), timeout=60)
    with pytest.raises(Busy):
        slots.run(apart_targets.pid_and_sum, 1, 1, seconds=60)
    (tmp_path / "go").touch()  # the held work ends
    holder.join()
    assert errors == []
    assert slots.run(apart_targets.pid_and_sum, 1, 1, seconds=60)[1] == 2  # the slot was given back
