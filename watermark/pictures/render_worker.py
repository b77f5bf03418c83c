"""Render pages in worker processes, so a slow page holds neither a thread nor the GIL of the caller.

PyMuPDF keeps the GIL while it renders: in a web process one heavy page would stop every
request. `RenderWorkers` keeps a few `python -m watermark.pictures.render_worker` processes, each
owned by one thread of a small pool: the thread writes a request to its worker's stdin and
waits (without the GIL) for the answer on its stdout. A worker is replaced after a number of
renders (giving back what the renderer grew to), killed when one render takes too long, and
ends by itself when its stdin closes, so it never outlives the process that started it.

Each message is a 4-byte length and a pickle, between this process and its own children only:
(pdf_path, page_index, dpi, target, max_bytes) one way, a RenderedPage or a WatermarkError back.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Any

from watermark.errors import N_, WatermarkError
from watermark.pdf.mupdf import load_pymupdf
from watermark.pictures.pages import RenderedPage, render_packed

_LENGTH = struct.Struct(">I")
Request = tuple[str, int, int, str | None, int | None]


class RenderWorkers:
    """A few worker processes rendering plain pages; `submit` returns a future of the page."""

    def __init__(self, processes: int = 2, *, recycle_after: int = 1000, time_limit: float = 60.0) -> None:
        self.processes = max(1, processes)
        self.recycle_after = recycle_after
        self.time_limit = time_limit  # a render running longer is stopped: the page is too heavy
        self._pool = ThreadPoolExecutor(max_workers=self.processes, thread_name_prefix="render")
        self._local = threading.local()  # each pool thread owns one worker process
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[bytes]] = set()
        self._closed = False
        # Stop the workers when this object goes away unclosed, or when the interpreter ends.
        self._finalizer = weakref.finalize(self, _stop_all, self._running, self._lock)

    def submit(self, request: Request) -> Future[RenderedPage]:
        """Start rendering a page: (pdf_path, page_index, dpi, cache file or None, its size limit)."""
        return self._pool.submit(self._render, request)

    def warm(self) -> Future[Any]:
        """Start every worker process now rather than at the first pages (~1 s each to start).

        Each start waits at a barrier for the others, so each runs on a thread of its own and
        every thread of the pool gets its worker; the future is the first one's.
        """
        together = threading.Barrier(self.processes)

        def start() -> subprocess.Popen[bytes]:
            try:
                together.wait(timeout=30)
            except threading.BrokenBarrierError:
                pass  # the pool could not give each start a thread: start this one anyway
            return self._worker()

        return [self._pool.submit(start) for _ in range(self.processes)][0]

    def close(self) -> None:
        """Stop the workers; renders under way are dropped."""
        with self._lock:
            self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._finalizer()

    def _render(self, request: Request) -> RenderedPage:
        worker = self._worker()
        try:
            _write(worker.stdin, request)
            answer = _read(worker.stdout, self.time_limit)
        except TimeoutError:
            self._drop(worker)
            raise WatermarkError(
                N_("This page is too heavy to draw within %(seconds)s seconds."),
                code="too_heavy",
                seconds=round(self.time_limit),
            ) from None
        except (OSError, EOFError, pickle.UnpicklingError, struct.error):
            self._drop(worker)
            raise WatermarkError(N_("The process drawing the pages stopped."), code="damaged") from None
        self._local.renders += 1
        if self._local.renders >= self.recycle_after:
            self._drop(worker)
        if isinstance(answer, WatermarkError):
            raise answer
        if not isinstance(answer, RenderedPage):
            raise WatermarkError(
                N_("The process drawing the pages gave an answer it cannot give."), code="damaged"
            )
        return answer

    def _worker(self) -> subprocess.Popen[bytes]:
        """Return this thread's worker process, starting one if it has none."""
        worker: subprocess.Popen[bytes] | None = getattr(self._local, "worker", None)
        if worker is not None:
            if worker.poll() is None:
                return worker
            self._drop(worker)  # it died between pages (killed): forget it and close its pipes
        worker = subprocess.Popen(
            [sys.executable, "-m", "watermark.pictures.render_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # The worker imports what this process can: the same paths, in the same order.
            env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        )
        with self._lock:
            if self._closed:
                _stop(worker)
                raise WatermarkError(N_("The page drawing has already stopped."), code="closed")
            self._running.add(worker)
        self._local.worker, self._local.renders = worker, 0
        return worker

    def _drop(self, worker: subprocess.Popen[bytes]) -> None:
        """Stop a worker (worn, stuck or broken); the thread starts a fresh one next time."""
        with self._lock:
            self._running.discard(worker)
        self._local.worker = None
        _stop(worker)


def _stop_all(running: set[subprocess.Popen[bytes]], lock: threading.Lock) -> None:
    """Stop every worker in the set."""
    with lock:
        workers = list(running)
        running.clear()
    for worker in workers:
        _stop(worker)


def _stop(worker: subprocess.Popen[bytes]) -> None:
    """End a worker process and collect it, whatever state its pipes are in."""
    worker.kill()
    for stream in (worker.stdin, worker.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:  # a dead worker's pipe: closing flushes what was meant for it, to nobody
                pass
    worker.wait()


def _write(stream: IO[bytes] | None, message: Any) -> None:
    if stream is None:
        raise OSError("no pipe to the worker")
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def _read(stream: IO[bytes] | None, time_limit: float | None = None) -> Any:
    """Read one message; None at the end of the stream; TimeoutError if none began in time."""
    if stream is None:
        raise OSError("no pipe from the worker")
    if time_limit is not None and not select.select([stream], [], [], time_limit)[0]:
        raise TimeoutError
    header = stream.read(_LENGTH.size)
    if not header:
        raise EOFError
    (length,) = _LENGTH.unpack(header)
    data = stream.read(length)
    if len(data) != length:
        raise EOFError
    return pickle.loads(data)


def main() -> None:
    """Answer render requests from stdin on stdout until stdin closes."""
    load_pymupdf()  # now, before the first page is asked for

    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the answers
    while True:
        try:
            request = _read(requests)
        except EOFError:
            return  # the process that started this one has closed the pipe or ended
        try:
            answer: RenderedPage | WatermarkError = render_packed(*request)
        except WatermarkError as exc:
            answer = exc
        except Exception as exc:  # noqa: BLE001 - the caller gets the reason, this worker goes on
            answer = WatermarkError(
                N_("The page cannot be drawn: %(detail)s"), code="damaged", detail=str(exc)
            )
        _write(answers, answer)


if __name__ == "__main__":
    main()
