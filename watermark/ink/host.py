"""How many processes the host gives a first stamp someone waits on: its cores, and how busy they are."""

from __future__ import annotations

import os

from watermark.ink.ahead import MAX_PROCESSES


def cores() -> int:
    """Return how many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def busy_elsewhere(loadavg: str | None = None) -> float:
    """Return how many processes other than this one keep the host's cores busy (0 where it cannot tell).

    The lesser of the load average over a minute and the processes runnable now, less this one
    (`/proc/loadavg`, or its text `loadavg`): the one lags behind, the other flickers.
    """
    try:
        if loadavg is None:
            with open("/proc/loadavg", encoding="ascii") as handle:
                loadavg = handle.read()
        fields = loadavg.split()
        runnable = int(fields[3].split("/")[0]) - 1
        return max(0.0, min(float(fields[0]), float(runnable)))
    except (OSError, ValueError, IndexError):
        return 0.0


def processes(cores_: int | None = None, busy: float | None = None) -> int:
    """Return how many processes a first stamp someone waits on measures its pages in.

    One per core, and one more per process that keeps a core busy elsewhere, up to twice the
    cores (and MAX_PROCESSES). The scheduler gives every runnable process a like share of the
    cores: beside two CPU-bound processes on two cores, two of ours get half a core each and
    four a third each, more of the host in all (a model, not yet shown in wall time on a shared
    host: benchmarks/README.md). Pages are claimed as they are measured (`watermark.ink.claims`),
    so a process more than the host can run costs only its start.
    """
    count = cores() if cores_ is None else cores_
    others = busy_elsewhere() if busy is None else busy
    return max(1, min(MAX_PROCESSES, count + min(count, round(others))))
