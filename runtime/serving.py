"""The processes `pustaka serve` and `pustaka worker` run, whatever serves the pages.

`serve_processes` supervises the web processes (each run by the function the web shell gives
it) and, with the SQLite queue, the job process; `consume_until_stopped` is the job process's
work, and a `pustaka worker`'s: the lanes consumed in threads, the alerts watched, and the hot
folder watched beside the batch lane.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable
from functools import partial

from runtime.alerting import AlertWatch
from runtime.consumer import start_embedded
from runtime.hot_folder_watcher import start_watcher
from runtime.lanes import Lane
from runtime.root import Runtime
from runtime.supervisor import Child, Supervisor


def serve_processes(
    rt: Runtime, web: Callable[[int], None], count: int, first: Callable[[], None] | None = None
) -> None:
    """Run `count` web processes (`web(slot)` serves one) and, on the SQLite queue, the job process.

    `first` runs in a thread of the job process when it starts (the demo catalogue's load).
    Returns when SIGINT or SIGTERM has stopped them all.
    """
    children = [Child(f"web {n}", partial(web, n - 1)) for n in range(1, count + 1)]
    if not rt.settings.redis_url:
        # The SQLite queue is consumed here; with Redis, `pustaka worker` processes do it.
        children.append(Child("jobs", partial(job_process, rt, tuple(Lane), first)))
    Supervisor(children).run()


def job_process(rt: Runtime, lanes: Iterable[Lane], first: Callable[[], None] | None = None) -> None:
    """Consume the lanes and watch the hot folder until SIGINT or SIGTERM (in a child)."""
    if first is not None:
        threading.Thread(target=first, name="demo-loader", daemon=True).start()
    consume_until_stopped(rt, tuple(lanes))


def consume_until_stopped(
    rt: Runtime, lanes: tuple[Lane, ...], workers: dict[Lane, int] | None = None
) -> None:
    """Consume the lanes (and watch the hot folder with the batch lane) until SIGINT or SIGTERM."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    consuming = start_embedded(rt.jobs, lanes, workers)
    alerts = AlertWatch(rt)
    alerts.start()
    watcher = start_watcher(rt) if Lane.BATCH in lanes else None
    try:
        stop.wait()
    finally:
        if watcher:
            watcher.stop()
        alerts.stopping.set()
        consuming.stop(graceful=False)
        rt.close()
