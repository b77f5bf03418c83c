"""Driving a server with wrk: the script that asks for the paths, the percentiles of its report, and
the CPU time the server's processes spent meanwhile (shared by the serving benchmarks).
"""

from __future__ import annotations

import re

from benchmarks._site import _stat_fields


def wrk_script(paths: list[str], cookie: str) -> str:
    """Return wrk's script: the paths in turn, each request from another visitor's address.

    The site gives each client a share of the search time (`webapp/search/budget.py`): one
    address asking hundreds of searches a second is refused, as it should be. Behind the one
    proxy the benchmark declares (PUSTAKA_PROXY_COUNT=1) every request names an address of its
    own, as the many visitors of a busy day do.
    """
    listed = ", ".join(f'"{p}"' for p in paths)
    header = f'wrk.headers["Cookie"] = "{cookie}"\n' if cookie else ""
    return (
        f"{header}local paths = {{{listed}}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        '  local visitor = "10." .. (math.floor(i / 65536) % 256) .. "." .. (math.floor(i / 256) % 256)'
        ' .. "." .. (i % 256)\n'
        '  return wrk.format("GET", paths[(i % #paths) + 1], {["X-Forwarded-For"] = visitor})\nend\n'
    )


def _ms(value: str, unit: str) -> float:
    """Return a wrk duration in milliseconds."""
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def percentile_ms(report: str, label: str) -> float:
    """Return a latency percentile of a wrk report in milliseconds (NaN when it has none)."""
    found = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s|m)\s*$", report, re.M)
    return _ms(*found.groups()) if found else float("nan")


def cpu_ticks(pids: list[int]) -> int:
    """Return the CPU time (user and system, in clock ticks) the processes have spent."""
    return sum(sum(int(v) for v in _stat_fields(pid)[11:13]) for pid in pids)
