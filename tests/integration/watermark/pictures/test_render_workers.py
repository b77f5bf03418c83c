"""Render worker processes: pages come back, errors keep their reason, a stuck or dead worker is replaced."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import ImageChops

from tests.waiting import wait_until
from watermark.errors import WatermarkError
from watermark.pictures.image import render_plain_page
from watermark.pictures.pages import unpack, without_colour
from watermark.pictures.render_worker import RenderWorkers, _stop

DPI = 110


@pytest.fixture
def workers() -> Iterator[RenderWorkers]:
    """Render workers stopped after the test."""
    made = RenderWorkers(1)
    yield made
    made.close()


def alive(pid: int) -> bool:
    """Tell whether a process runs (a zombie counts as ended)."""
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


def worker_pid(workers: RenderWorkers) -> int:
    """Return the pid of the one worker process running."""
    (worker,) = workers._running
    return worker.pid


def test_a_worker_renders_the_plain_page_and_keeps_it_packed(
    workers: RenderWorkers, born_digital: Path, tmp_path: Path
) -> None:
    target = tmp_path / "page.page"
    page = workers.submit((str(born_digital), 1, DPI, str(target), None)).result(timeout=60)
    expected = without_colour(render_plain_page(born_digital, 1, dpi=DPI))
    assert ImageChops.difference(page.picture(), expected).getbbox() is None
    assert page.stored == target.stat().st_size
    assert ImageChops.difference(unpack(target.read_bytes()).picture(), expected).getbbox() is None


def test_a_page_the_file_does_not_have_is_refused_with_its_reason(
    workers: RenderWorkers, born_digital: Path
) -> None:
    with pytest.raises(WatermarkError) as caught:
        workers.submit((str(born_digital), 99, DPI, None, None)).result(timeout=60)
    assert caught.value.code == "no_page"
    assert workers.submit((str(born_digital), 0, DPI, None, None)).result(timeout=60).width > 0  # goes on


def test_a_worker_that_dies_is_reported_and_replaced(workers: RenderWorkers, born_digital: Path) -> None:
    workers.submit((str(born_digital), 0, DPI, None, None)).result(timeout=60)
    first = worker_pid(workers)
    os.kill(first, 9)  # as the kernel does when memory runs out
    # Whether the pool sees the death before it hands the worker the next page is the kernel's
    # timing: seen before, a fresh worker draws the page; seen only when the worker does not
    # answer, the page is refused as "damaged" (never a hang, never another error).
    try:
        assert workers.submit((str(born_digital), 0, DPI, None, None)).result(timeout=60).width > 0
    except WatermarkError as refused:
        assert refused.code == "damaged"
    assert workers.submit((str(born_digital), 0, DPI, None, None)).result(timeout=60).width > 0
    assert worker_pid(workers) != first


def test_a_worker_seen_dead_between_pages_is_forgotten_and_replaced_before_the_next(
    workers: RenderWorkers, born_digital: Path
) -> None:
    workers.submit((str(born_digital), 0, DPI, None, None)).result(timeout=60)
    first = worker_pid(workers)
    os.kill(first, 9)
    # Ended before the next page, so the pool sees it first: the kernel holds its exit status
    # (peeked, not collected; a zombie whose threads are still ending has none yet).
    wait_until(lambda: os.waitid(os.P_PID, first, os.WEXITED | os.WNOHANG | os.WNOWAIT))
    assert workers.submit((str(born_digital), 0, DPI, None, None)).result(timeout=60).width > 0
    assert worker_pid(workers) != first  # one worker running: the dead one was let go


def test_a_render_that_runs_past_the_time_limit_is_stopped(born_digital: Path) -> None:
    workers = RenderWorkers(1, time_limit=0)
    try:
        with pytest.raises(WatermarkError) as caught:
            workers.submit((str(born_digital), 0, DPI, None, None)).result(timeout=60)
        assert caught.value.code == "too_heavy"
        assert workers._running == set()  # the stuck worker was killed
    finally:
        workers.close()


def test_a_worker_is_replaced_after_its_share_of_renders(born_digital: Path) -> None:
    workers = RenderWorkers(1, recycle_after=2)
    try:
        pids = []
        for _ in range(3):
            workers.warm().result(timeout=60)
            pids.append(worker_pid(workers))
            workers.submit((str(born_digital), 0, DPI, None, None)).result(timeout=60)
        assert pids[0] == pids[1] != pids[2]
    finally:
        workers.close()


def test_workers_end_with_the_process_that_started_them_even_when_it_is_killed(tmp_path: Path) -> None:
    script = (
        "from watermark.pictures.render_worker import RenderWorkers\n"
        "workers = RenderWorkers(1)\n"
        "workers.warm().result(timeout=60)\n"
        "print(next(iter(workers._running)).pid, flush=True)\n"
        "import time; time.sleep(120)\n"
    )
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as parent:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert alive(child)
        parent.kill()
    wait_until(lambda: not alive(child), timeout=10, message="the render worker outlived its parent")


def test_closing_stops_the_workers(born_digital: Path) -> None:
    workers = RenderWorkers(1)
    workers.warm().result(timeout=60)
    pid = worker_pid(workers)
    workers.close()
    assert not alive(pid)
    with pytest.raises(RuntimeError):  # no new work after closing
        workers.submit((str(born_digital), 0, DPI, None, None))


def test_warming_starts_every_worker_so_no_reader_waits_for_one_to_start() -> None:
    workers = RenderWorkers(3)
    try:
        workers.warm().result(timeout=60)
        # the others start beside the first
        wait_until(lambda: len(workers._running) == 3, timeout=30, message="three workers never ran")
        assert len({w.pid for w in workers._running}) == 3
    finally:
        workers.close()


def test_a_dead_worker_with_a_page_still_buffered_for_it_is_stopped_without_an_error() -> None:
    worker = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.buffer.read()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    worker.kill()
    worker.wait()
    assert worker.stdin is not None
    worker.stdin.write(b"a request the dead worker will never read")  # buffered: written out on close
    _stop(worker)  # closing flushes into the broken pipe: the pool goes on
    assert worker.returncode is not None and worker.stdin.closed and worker.stdout.closed  # type: ignore[union-attr]
