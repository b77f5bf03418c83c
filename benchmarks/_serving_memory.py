"""The serving benchmark's long load: memory read from /proc while a server answers for minutes."""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks._site import _TICKS, status_kb
from benchmarks._wrk import cpu_ticks, wrk_script


def memory_under_load(label: str, url: str, paths: list[str], pids: list[int], args, cookie: str) -> None:
    """Load the paths for --memory-minutes while reading each web process's memory every half second.

    Prints the largest web process's peak, its size in the last minute of the load and eight
    seconds after it (the resident pages the searches touched are released every 5 s), and the
    CPU time per page over the whole load.
    """
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(wrk_script(paths, cookie))
    seconds = int(args.memory_minutes * 60)
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{seconds}s", "-s", str(script), url]
    before, started = cpu_ticks(pids), time.monotonic()
    wrk = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    samples: list[tuple[float, float]] = []  # (seconds into the load, largest web process MB)
    while wrk.poll() is None:
        samples.append((time.monotonic() - started, max(status_kb(pid, "VmRSS") for pid in pids) / 1024))
        time.sleep(0.5)
    out = wrk.communicate()[0]
    ticks = cpu_ticks(pids) - before
    time.sleep(8)
    after = max(status_kb(pid, "VmRSS") for pid in pids) / 1024
    script.unlink()
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    last_minute = [mb for at, mb in samples if at >= seconds - 60]
    print(
        f"\nMemory under {args.memory_minutes:g} min of {label} (wrk, {args.connections} connections): "
        f"{requests / seconds:.0f} pages/s, CPU {ticks * 1000 / _TICKS / max(requests, 1):.2f} ms a page; "
        f"largest web process peak {max(mb for _, mb in samples):.0f} MB, "
        f"{max(last_minute or [0]):.0f} MB at most in the last minute, {after:.0f} MB 8 s after "
        "(goal < 300 MB)."
    )
