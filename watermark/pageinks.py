"""The ink of a document's pages for the stamper: as kept, where still true, else measured now.

A page is rendered (grey, at `MEASURE_DPI`) only when the kept `InkMap` has no measurement
made on its displayed box; what is measured is added to the map, for the caller to keep.
PyMuPDF opens the document only when the first page has to be measured.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import numpy as np
import pikepdf

from watermark.errors import WatermarkError
from watermark.inkmap import InkMap
from watermark.mupdf import load_pymupdf
from watermark.pagebox import PageBox, displayed_box
from watermark.pixels import INK_PIXELS, zoom_within
from watermark.room import MEASURE_DPI, Ink

Source = str | os.PathLike[str] | bytes


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

    def __init__(self, source: Source, known: InkMap | None = None) -> None:
        self._source = source
        self.known = known
        self.measured = 0  # pages rendered here
        self._document: object | None = None
        self._opened = False

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
        """Close the document if it was opened."""
        if self._document is not None:
            self._document.close()  # type: ignore[attr-defined]
            self._document = None

    def _measure(self, index: int, width: float, height: float) -> Ink | None:
        """Render page `index` grey at MEASURE_DPI and return its ink; None if it cannot be rendered."""
        pymupdf = load_pymupdf()
        document = self._open()
        if document is None:
            return None
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
