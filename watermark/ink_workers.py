"""Pages measured for their ink in worker processes, ahead of the stamper that asks for them.

Stamping a publication whose ink was never measured renders every page once (about a
millisecond each): for thousands of pages that is most of the stamp. `ReadAhead` hands runs
of the pages to come to a few `python -m watermark.ink_worker` processes while this process
stamps the pages before them, so every core works and the stamper rarely waits. Each worker
is owned by one thread, which writes a run to its stdin and waits (without the GIL) for the
answer; workers end when their stdin closes. A page a worker cannot measure, or a worker that
fails, comes back as None and the asker measures that page itself, as before.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from watermark.render_worker import _read, _stop, _write
from watermark.room import Ink

CHUNK = 48  # pages a worker measures per request: long enough to pay the round trip
# Packed cells of a page a worker measured: rows, cols, cell width, cell height, bits.
Packed = tuple[int, int, float, float, bytes]


def default_workers() -> int:
    """Return how many worker processes measure at once: one per core, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


class ReadAhead:
    """Measures pages of one PDF file in worker processes, a few runs of pages ahead of the asker."""

    def __init__(
        self, path: str, page_count: int, size: Callable[[int], tuple[float, float]], workers: int
    ) -> None:
        self.path = path
        self.page_count = page_count
        self.workers = workers
        self._size = size  # a page's displayed width and height
        self._sizes: dict[int, tuple[float, float]] = {}
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ink")
        self._local = threading.local()  # each pool thread owns one worker process
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[bytes]] = set()
        self._closed = False
        self._runs: dict[int, Future[list[Packed | None]]] = {}  # first page of a run -> its answer
        self._finalizer = weakref.finalize(self, _stop_all, self._running, self._lock)

    def size(self, index: int) -> tuple[float, float]:
        """Return the displayed width and height page `index` was (or will be) measured at."""
        if index not in self._sizes:
            self._sizes[index] = self._size(index)
        return self._sizes[index]

    def ink(self, index: int) -> Ink | None:
        """Return page `index`'s ink as a worker measured it, asking for the runs after it meanwhile."""
        start = index - index % CHUNK
        for run in range(start, start + CHUNK * (2 * self.workers + 1), CHUNK):
            self._ask(run)
        try:
            packed = self._runs[start].result()[index - start]
        except (OSError, EOFError, ValueError, pickle.UnpicklingError, struct.error, RuntimeError):
            return None  # a worker that failed: the asker measures the page itself
        if packed is None:
            return None
        rows, cols, cell_w, cell_h, bits = packed
        cells = np.unpackbits(np.frombuffer(bits, dtype=np.uint8), count=rows * cols).reshape(rows, cols)
        return Ink(cells.view(np.bool_), cell_w, cell_h)

    def close(self) -> None:
        """Stop the workers, dropping runs not measured yet."""
        with self._lock:
            self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._finalizer()
        self._runs.clear()

    def _ask(self, start: int) -> None:
        if start in self._runs or start >= self.page_count:
            return
        pages = [(index, *self.size(index)) for index in range(start, min(start + CHUNK, self.page_count))]
        self._runs[start] = self._pool.submit(self._measure, pages)

    def _measure(self, pages: list[tuple[int, float, float]]) -> list[Packed | None]:
        worker = self._worker()
        try:
            _write(worker.stdin, (self.path, pages))
            answer = _read(worker.stdout)
        except (OSError, EOFError, pickle.UnpicklingError, struct.error):
            self._drop(worker)
            raise
        if not isinstance(answer, list) or len(answer) != len(pages):
            raise ValueError("an answer that is not the run asked for")
        return answer

    def _worker(self) -> subprocess.Popen[bytes]:
        """Return this thread's worker process, starting one if it has none."""
        worker: subprocess.Popen[bytes] | None = getattr(self._local, "worker", None)
        if worker is not None and worker.poll() is None:
            return worker
        worker = subprocess.Popen(
            [sys.executable, "-m", "watermark.ink_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # The worker imports what this process can: the same paths, in the same order.
            env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        )
        with self._lock:
            if self._closed:
                _stop(worker)
                raise RuntimeError("the workers were stopped")
            self._running.add(worker)
        self._local.worker = worker
        return worker

    def _drop(self, worker: subprocess.Popen[bytes]) -> None:
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
