"""The ink of a document's pages for the stamper: as kept, where still true, else measured now.

A page is measured only when the kept `InkMap` has no measurement made on its displayed box;
what is measured is added to the map, for the caller to keep. A page is measured by rendering
it grey at `MEASURE_DPI`. When a file's pages are asked for one after another and many are
left to measure (the command line stamping a publication, ingest measuring one), runs of the
pages to come are measured in worker processes (`watermark.ink_workers`) while this process
stamps. PyMuPDF opens the document only when a page has to be rendered here.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator

import numpy as np
import pikepdf
from pikepdf import Name

from watermark.content_ink import content_ink
from watermark.errors import WatermarkError
from watermark.ink_workers import ReadAhead, default_workers
from watermark.inkmap import InkMap
from watermark.mupdf import load_pymupdf
from watermark.pagebox import PageBox, displayed_box
from watermark.pixels import INK_PIXELS, zoom_within
from watermark.room import MEASURE_DPI, Ink

Source = str | os.PathLike[str] | bytes
READ_AHEAD_AFTER = 16  # pages asked for one after another before workers measure ahead
SHORT_CONTENT = 1536  # bytes of stored content up to which reading it costs less than a render
READ_AHEAD_PAGES = 200  # fewer pages than this left to measure: measured here, workers cost more


@contextlib.contextmanager
def page_inks(source: Source, known: InkMap | None = None) -> Iterator[PageInks]:
    """Yield the ink of a PDF's pages, read from `known` where it holds them, measured otherwise."""
    inks = PageInks(source, known)
    try:
        yield inks
    finally:
        inks.close()


class PageInks:
    """The ink of one document's pages, as each page is displayed; a page it cannot measure is all ink."""

    def __init__(self, source: Source, known: InkMap | None = None, workers: int | None = None) -> None:
        self._source = source
        self.known = known
        self.measured = 0  # pages measured here or by the workers
        self.workers = default_workers() if workers is None else workers
        self._document: object | None = None
        self._opened = False
        self._pdf: pikepdf.Pdf | None = None
        self._pdf_failed = False
        self._ahead: ReadAhead | None = None
        self._last = -2  # the page measured last
        self._streak = 0  # pages measured one after another up to it

    def fit(self, page_count: int) -> None:
        """Tell how many pages the document has: kept measurements of another page count are dropped."""
        if self.known is not None:
            self.known.fit(page_count)

    def of_page(self, index: int, box: PageBox) -> Ink:
        """Return the ink of page `index` (0-based) as displayed in `box`."""
        if self.known is not None:
            kept = self.known.ink(index, box)
            if kept is not None:
                return kept
        ink = self._measure(index, box.width, box.height)
        if ink is None:
            return Ink.everywhere(box.width, box.height)  # not kept: the next copy tries again
        self.measured += 1
        if self.known is not None:
            self.known.add(index, box, ink)
        return ink

    def close(self) -> None:
        """Stop the workers and close the documents that were opened."""
        if self._ahead is not None:
            self._ahead.close()
            self._ahead = None
        if self._document is not None:
            self._document.close()  # type: ignore[attr-defined]
            self._document = None
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None

    def _measure(self, index: int, width: float, height: float) -> Ink | None:
        """Return page `index`'s ink, from the workers when they measure ahead, else rendered here."""
        self._streak = self._streak + 1 if index == self._last + 1 else 0
        self._last = index
        ahead = self._read_ahead(index)
        if ahead is not None:
            ink = ahead.ink(index)
            if ink is not None and ahead.size(index) == (width, height):
                return ink
        return self._render(index, width, height)

    def _render(self, index: int, width: float, height: float) -> Ink | None:
        """Measure page `index` here: read from its content when that is short, else rendered."""
        pdf = self._pikepdf()
        if pdf is not None:
            try:
                page = pdf.pages[index].obj
            except (IndexError, pikepdf.PdfError):
                page = None
            if page is not None:
                box = displayed_box(page)
                if (box.width, box.height) == (width, height):
                    ink = short_content_ink(page, box)
                    if ink is not None:
                        return ink
        document = self._open()
        if document is None:
            return None
        return render_ink(document, index, width, height)

    def _read_ahead(self, index: int) -> ReadAhead | None:
        """Return the workers measuring ahead, started once pages are asked for in order and many are left."""
        if self._ahead is not None or self._streak < READ_AHEAD_AFTER or self.workers < 1:
            return self._ahead
        if isinstance(self._source, bytes | bytearray):
            return None  # workers read a file; a document in memory is measured here
        pdf = self._pikepdf()
        if pdf is None:
            return None
        left = len(pdf.pages) - index
        if self.known is not None:
            left = len([page for page in self.known.missing() if page >= index])
        if left < READ_AHEAD_PAGES:
            self._streak = -len(pdf.pages)  # not worth it for this document: never asked again
            return None

        def size(page: int) -> tuple[float, float]:
            box = displayed_box(pdf.pages[page].obj)
            return box.width, box.height

        self._ahead = ReadAhead(os.fspath(self._source), len(pdf.pages), size, self.workers)
        return self._ahead

    def _pikepdf(self) -> pikepdf.Pdf | None:
        """Open the document with pikepdf the first time, to read its pages' boxes and content."""
        if self._pdf is None and not self._pdf_failed:
            source = self._source
            try:
                if isinstance(source, bytes | bytearray):
                    self._pdf = pikepdf.open(io.BytesIO(source), password="")
                else:
                    self._pdf = pikepdf.open(os.fspath(source), password="")
            except (pikepdf.PdfError, OSError, ValueError):
                self._pdf_failed = True
        return self._pdf

    def _open(self) -> object | None:
        """Open the document with PyMuPDF the first time; a file it cannot open measures nothing."""
        if self._opened:
            return self._document
        self._opened = True
        pymupdf = load_pymupdf()
        source = self._source
        try:
            if isinstance(source, bytes | bytearray):
                document = pymupdf.open(stream=bytes(source), filetype="pdf")
            else:
                document = pymupdf.open(os.fspath(source), filetype="pdf")
            if document.needs_pass and not document.authenticate(""):
                document.close()
                return None
        except (RuntimeError, ValueError):
            return None
        self._document = document
        return document


def short_content_ink(page: pikepdf.Dictionary, box: PageBox) -> Ink | None:
    """Return a page's ink read from its content if that is short (cheaper than a render), else None."""
    contents = page.get(Name.Contents)
    streams = [contents] if isinstance(contents, pikepdf.Stream) else contents
    if not isinstance(streams, list | pikepdf.Array):
        return None
    size = 0
    for stream in streams:
        length = stream.get(Name.Length) if isinstance(stream, pikepdf.Stream) else None
        if not isinstance(length, int):
            return None
        size += length
    if size > SHORT_CONTENT:
        return None
    return content_ink(page, box)


def render_ink(document: object, index: int, width: float, height: float) -> Ink | None:
    """Render page `index` of a PyMuPDF document grey at MEASURE_DPI; return its ink, None on failure."""
    pymupdf = load_pymupdf()
    try:
        page = document[index]  # type: ignore[index]
        zoom = zoom_within(page.rect.width, page.rect.height, MEASURE_DPI / 72, INK_PIXELS)
        pixmap = page.get_pixmap(
            matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False, annots=True
        )
    except (RuntimeError, ValueError, IndexError):
        return None
    gray = np.frombuffer(pixmap.samples, dtype=np.uint8).reshape(pixmap.height, pixmap.stride)
    return Ink.of_picture(gray[:, : pixmap.width], width, height)


def measure_pages(source: str | os.PathLike[str], known: InkMap) -> int:
    """Measure every page of a PDF that `known` lacks, adding it there; return how many were rendered."""
    try:
        with pikepdf.open(os.fspath(source), password="") as pdf:
            boxes = [displayed_box(page.obj) for page in pdf.pages]
    except (pikepdf.PdfError, OSError) as exc:
        raise WatermarkError(f"PDF tidak dapat dibuka untuk diukur: {exc}", code="damaged") from None
    with page_inks(source, known) as inks:
        inks.fit(len(boxes))
        for index, box in enumerate(boxes):
            inks.of_page(index, box)
    return inks.measured
