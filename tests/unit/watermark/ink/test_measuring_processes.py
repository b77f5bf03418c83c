"""How many processes a first stamp measures in: a core each, more while other work keeps them busy."""

from __future__ import annotations

import pytest

from watermark.ink import ahead, host


@pytest.mark.parametrize(
    ("cores", "busy", "processes"),
    [(2, 0.0, 2), (2, 0.4, 2), (2, 1.0, 3), (2, 2.0, 4), (2, 9.5, 4), (1, 0.0, 1), (1, 3.0, 2), (8, 5.0, 8)],
)
def test_the_processes_are_the_cores_and_one_per_busy_process_elsewhere_up_to_twice_the_cores(
    cores, busy, processes
) -> None:
    assert host.processes(cores, busy) == processes
    assert host.processes(cores, busy) <= ahead.MAX_PROCESSES


@pytest.mark.parametrize(
    ("loadavg", "busy"),
    [
        ("0.10 0.30 0.50 1/412 9000", 0.0),  # only this process runs
        ("2.05 1.80 1.20 3/412 9000", 2.0),  # two others running, and for a minute
        ("6.50 5.00 4.00 2/412 9000", 1.0),  # the load average still counts work just ended
        ("0.40 1.00 1.00 5/412 9000", 0.4),  # a flicker of runnable processes, no lasting load
        ("garbled", 0.0),
    ],
)
def test_busy_processes_elsewhere_are_the_lesser_of_the_load_average_and_those_runnable_now(
    loadavg, busy
) -> None:
    assert host.busy_elsewhere(loadavg) == busy
