"""The reader's page pictures, made cheap: each costly step is done once and reused.

- The plain render of a page is the same for every reader: rendered once, in a worker
  process (a slow page never holds a request thread, nor the web process's GIL, which
  PyMuPDF keeps while it renders), and kept on disk (`PageCache`).
- A reader's mark is the same picture for every page of one size: drawn once per mark text
  and size (~20 ms), kept in a small in-memory LRU, and laid over each page in ~2 ms.
- What every picture sent costs is reading the cached page (~3 ms), laying the mark (~2 ms)
  and encoding its pixels straight to JPEG (~3-4 ms, chosen by benchmarks/reader.py): about
  9 ms, the reading and encoding without the GIL.
- A reader reads on: each picture sent starts the render of the pages after it (`AHEAD`)
  when a render worker is free, and opening the reader starts the first pages and the
  reader's mark (`prepare`), so the pages a reader turns to are waiting in the cache.

The mark text carries the minute it was drawn, so a reader's mark is drawn again each
minute: the time on a page stays exact and names the reader as before.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, ThreadPoolExecutor, wait
from concurrent.futures import TimeoutError as FutureTimeout
from functools import partial
from pathlib import Path
from typing import Any

from library.catalogue.page_cache import PageCache
from library.errors import PustakaError
from library.i18n import N_
from watermark.pictures.image import Format, PlainPage, encode_jpeg
from watermark.pictures.mark_overlay import ReaderMark, reader_mark
from watermark.pictures.pages import RenderedPage
from watermark.pictures.render_worker import RenderWorkers

# Measured by benchmarks/reader.py on an A4 page at 110 dpi: baseline JPEG at quality 80 takes
# 3-5 ms to encode against 30-40 ms for WEBP at its fastest (method 0) and 60-90 ms at method 4,
# for about 1.5x the bytes of WEBP: CPU, not bandwidth, is what ten readers at once run out of.
FORMAT: Format = "jpeg"
QUALITY = 80
MARKS_BYTES = 32 * 2**20  # ~37 marks of an A4 page: more than the readers of one minute need
WARM_MARK, WARM_SIZE = "Pustaka", (910, 1286)  # an A4 page at 110 dpi
MARKING_AT_ONCE = 4  # pictures marked and encoded at once by one web process (2 cores: 2 would do)
AHEAD = 2  # pages rendered ahead of the one a reader is sent: the browser asks for about one ahead


# A reader's mark: its footer line, or (footer line, text of the diagonal copies[, reading id]).
MarkText = str | tuple[str, str] | tuple[str, str, str]


class PageNotReady(PustakaError):
    """A page is still being drawn; asking again in a moment finds it ready."""


RenderKey = tuple[str, int, int]  # document, page index, dpi


class PagePictures:
    """Page pictures with a reader's mark: renders cached on disk, marks drawn once, then encoded."""

    def __init__(
        self,
        cache: PageCache | None,
        *,
        processes: int = 2,
        wait: float = 1.0,
        start_wait: float = 15.0,
        marks_bytes: int = MARKS_BYTES,
    ) -> None:
        self.cache = cache
        self.processes = processes
        self.wait = wait  # longest a request waits for a render before it is told to come back
        self.start_wait = start_wait  # the same while the worker processes are first starting
        self.marks_bytes = marks_bytes
        self._lock = threading.RLock()
        self._workers: RenderWorkers | None = None
        self._warm = False
        self._rendering: dict[RenderKey, Future[RenderedPage]] = {}
        self._marks: OrderedDict[tuple[MarkText, int, int], ReaderMark] = OrderedDict()
        self._drawing: dict[tuple[MarkText, int, int], threading.Lock] = {}
        self._marker: ThreadPoolExecutor | None = None
        # Pictures marked and encoded at once (the CPU-bound part, a few ms each): more than the
        # cores can run only holds more page-sized arrays in memory at the same time.
        self._marking = threading.BoundedSemaphore(MARKING_AT_ONCE)

    def picture(
        self,
        pdf_path: Path,
        document: str,
        page_index: int,
        dpi: int,
        mark_text: MarkText,
        page_count: int = 0,
    ) -> bytes:
        """Return one page (0-based) with the reader's mark laid over it, encoded for the browser.

        With `page_count`, the next pages (up to AHEAD) are rendered meanwhile if a worker is free.
        """
        plain = self.plain(pdf_path, document, page_index, dpi)
        self.ahead(pdf_path, document, range(page_index + 1, min(page_index + 1 + AHEAD, page_count)), dpi)
        with self._marking:
            return encode_jpeg(self.mark(mark_text, plain.size).lay(plain), quality=QUALITY)

    def prepare(
        self,
        pdf_path: Path,
        document: str,
        page_indexes: range,
        dpi: int,
        mark_text: MarkText,
        size: tuple[int, int],
    ) -> None:
        """Start what a reader opening these pages will ask for: their renders and the mark of `size`.

        The first page is asked for at once, so it is started even behind other renders.
        """
        if page_indexes and self.cache is not None:
            first = page_indexes[0]
            if not self.cache.path_for(document, first, dpi).exists():
                self._render(pdf_path, (document, first, dpi))
        self.ahead(pdf_path, document, page_indexes[1:], dpi)
        self._mark_later(mark_text, size)

    def plains(self, pdf_path: Path, document: str, page_indexes: Sequence[int], dpi: int) -> list[PlainPage]:
        """Return several plain pages (thumbnails, say) once all are rendered, else raise PageNotReady.

        The missing ones are started only while a render worker is free (a reader's page comes
        first) and waited for up to `wait`; each is rendered once and kept in the cache.
        """
        if self.cache is None:
            return [self.plain(pdf_path, document, index, dpi) for index in page_indexes]
        found: dict[int, PlainPage] = {}
        deadline = time.monotonic() + (self.wait if self._warm else self.start_wait)
        while True:
            for index in page_indexes:
                if index not in found:
                    page = self.cache.get(document, index, dpi)
                    if page is not None:
                        found[index] = page
            missing = [index for index in page_indexes if index not in found]
            if not missing:
                return [found[index] for index in page_indexes]
            self.ahead(pdf_path, document, missing, dpi)
            with self._lock:
                under_way = [self._rendering[key] for key in self._rendering if key[0] == document]
            left = deadline - time.monotonic()
            if left <= 0:
                raise PageNotReady(N_("This page is still being prepared: it will appear in a moment."))
            if under_way:
                done, _ = wait(under_way, timeout=left, return_when=FIRST_COMPLETED)
                failed = next((f.exception() for f in done if f.exception() is not None), None)
                if failed is not None:  # a page that cannot be drawn: say so, do not wait it out
                    raise failed
            else:  # the workers are busy with other documents: look again shortly
                time.sleep(min(left, 0.05))

    def ahead(self, pdf_path: Path, document: str, page_indexes: Sequence[int], dpi: int) -> None:
        """Start rendering pages a reader is about to ask for, while a render worker is free.

        Renders somebody waits for come first: none is started while the workers are all busy.
        """
        if self.cache is None:
            return
        for page_index in page_indexes:
            key = (document, page_index, dpi)
            with self._lock:
                if sum(not future.done() for future in self._rendering.values()) >= self.processes:
                    return
                if key in self._rendering:
                    continue
            if self.cache.path_for(document, page_index, dpi).exists():
                continue
            self._render(pdf_path, key)

    def plain(self, pdf_path: Path, document: str, page_index: int, dpi: int) -> PlainPage:
        """Return the pixels of a page with no mark: from the cache, else rendered by a worker."""
        if self.cache is not None:
            found = self.cache.get(document, page_index, dpi)
            if found is not None:
                return found
        return self._wait(self._render(pdf_path, (document, page_index, dpi)))

    def mark(self, mark_text: MarkText, size: tuple[int, int]) -> ReaderMark:
        """Return the reader's mark for pictures of this size, drawn once while it is in use."""
        key = (mark_text, *size)
        with self._lock:
            found = self._remembered(key)
            if found is not None:
                return found
            drawing = self._drawing.setdefault(key, threading.Lock())
        with drawing:  # the first asker draws; the others wait for it instead of drawing too
            try:
                with self._lock:
                    found = self._remembered(key)
                if found is None:
                    parts = (mark_text,) if isinstance(mark_text, str) else mark_text
                    footer, diagonal, reading_id = (*parts, "", "")[:3]
                    found = reader_mark(footer, size, diagonal, reading_id)
                    self._remember(key, found)
                return found
            finally:
                with self._lock:
                    self._drawing.pop(key, None)

    def warm(self) -> None:
        """Start the render workers and the mark's drawing thread now, so the first reader waits for neither.

        A throwaway mark is drawn on the drawing thread: it loads the fonts it keeps.
        """
        self._render_workers().warm().add_done_callback(self._started)
        self._mark_later(WARM_MARK, WARM_SIZE)

    def close(self) -> None:
        """Stop the render workers (renders under way are dropped)."""
        with self._lock:
            workers, self._workers = self._workers, None
            marker, self._marker = self._marker, None
            self._warm = False
            self._rendering.clear()
        if workers is not None:
            workers.close()
        if marker is not None:
            marker.shutdown(wait=False, cancel_futures=True)

    # -- marks --------------------------------------------------------------------------
    def _mark_later(self, mark_text: MarkText, size: tuple[int, int]) -> None:
        """Draw a mark on the drawing thread unless it is already kept."""
        with self._lock:
            if self._remembered((mark_text, *size)) is not None:
                return
            if self._marker is None:
                self._marker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mark")
            marker = self._marker
        marker.submit(self.mark, mark_text, size)

    def _remembered(self, key: tuple[MarkText, int, int]) -> ReaderMark | None:
        found = self._marks.get(key)
        if found is not None:
            self._marks.move_to_end(key)
        return found

    def _remember(self, key: tuple[MarkText, int, int], mark: ReaderMark) -> None:
        with self._lock:
            self._marks[key] = mark
            held = sum(m.nbytes for m in self._marks.values())
            while held > self.marks_bytes and len(self._marks) > 1:
                _, dropped = self._marks.popitem(last=False)
                held -= dropped.nbytes

    # -- renders ------------------------------------------------------------------------
    def _render(self, pdf_path: Path, key: RenderKey) -> Future[RenderedPage]:
        """Return the render of a page under way, starting it unless someone already has."""
        document, page_index, dpi = key
        with self._lock:
            future = self._rendering.get(key)
            if future is not None:
                return future
            target = None if self.cache is None else str(self.cache.path_for(document, page_index, dpi))
            limit = None if self.cache is None else self.cache.max_bytes
            future = self._render_workers().submit((str(pdf_path), page_index, dpi, target, limit))
            self._rendering[key] = future
        future.add_done_callback(partial(self._rendered, key))
        return future

    def _rendered(self, key: RenderKey, future: Future[RenderedPage]) -> None:
        with self._lock:
            if self._rendering.get(key) is future:
                del self._rendering[key]
        self._started(future)
        if self._warm and self.cache is not None and future.result().stored:
            self.cache.added(future.result().stored)

    def _started(self, future: Future[Any]) -> None:
        """Note that the workers answer: from now on a request waits `wait`, not `start_wait`."""
        self._warm = not future.cancelled() and future.exception() is None

    def _wait(self, future: Future[RenderedPage]) -> RenderedPage:
        try:
            return future.result(timeout=self.wait if self._warm else self.start_wait)
        except (FutureTimeout, CancelledError):  # cancelled: the workers stopped under it
            raise PageNotReady(N_("This page is still being prepared: it will appear in a moment.")) from None

    def _render_workers(self) -> RenderWorkers:
        with self._lock:
            if self._workers is None:
                self._workers = RenderWorkers(self.processes)
            return self._workers
