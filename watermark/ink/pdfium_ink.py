"""A page's ink drawn by PDFium, grey at `MEASURE_DPI`: for a first stamp, which keeps nothing.

A first stamp of a publication nobody measured (the engine's command line) must find every
page's ink before it stamps. Most pages' feet are read from their content
(`watermark.ink.content_foot`); PDFium draws those the reader declines, and every foot where
the reader was not built. Most of a drawing's cost is the page's interpretation. PDFium reads
a page of text and a ruled table and draws its foot in 0.26 ms, where MuPDF takes 0.61 ms to
record the page and draw the same foot (`benchmarks/stamp.py` pages, one core): the stamp's
time is mostly this. Drawing the whole page costs both about the same; a scan's page PDFium
draws faster.

Only a first stamp uses it (`watermark.ink.pageinks.PageInks.foot_only`): what is kept for later
copies is measured by MuPDF (`watermark.ink.inkrender`), as it always was. A page PDFium might draw
otherwise than MuPDF is left to MuPDF: a page with annotations (PDFium draws form fields only
with a form environment) and a page whose size PDFium reads otherwise than the displayed box.
A document PDFium cannot open, or a page it cannot draw, is MuPDF's too (`None` here).

PDFium is not thread-safe, not even across documents: one call at a time in a process
(`_lock`). The command line runs one thread; a library caller stamping in threads waits its turn.
"""

from __future__ import annotations

import ctypes
import math
import os
import threading
from typing import TYPE_CHECKING, Any

from watermark.ink.inkrender import FOOT_ROWS, ink_of_foot
from watermark.ink.room import MEASURE_DPI, Ink
from watermark.pdf.pixels import INK_PIXELS, zoom_within

if TYPE_CHECKING:  # NumPy loads when a page is drawn: a page read from its content needs none
    import numpy as np

SIZE_SLACK = 0.5  # points: PDFium's page size and the displayed box's agree within this
PICTURE_PAGE_OBJECTS = 64  # a page of at most this many objects placing a picture is read, not drawn
PICTURES = "pictures"  # `PdfiumDocument.measure`: the page is read from its content instead
_lock = threading.Lock()
_raw: Any = None


def load() -> None:
    """Load PDFium now, before forking the processes that measure: they share it, none loads it again."""
    _pdfium()


def _pdfium() -> Any:
    """Return PDFium's bindings, loaded (and the library initialised) on first use."""
    global _raw
    if _raw is None:
        with _lock:
            if _raw is None:
                import pypdfium2  # noqa: F401 - initialises the library
                import pypdfium2.raw as raw

                _raw = raw
    return _raw


class PdfiumDocument:
    """One document opened by PDFium, its pages' ink drawn one at a time."""

    def __init__(self, handle: Any, keep: object = None) -> None:
        self._handle = handle
        self._pages = _pdfium().FPDF_GetPageCount(handle)
        self._bitmaps: dict[tuple[int, int], Any] = {}  # a foot's bitmap by its size, drawn on again
        self._keep = keep  # the bytes of a document opened from memory live as long as it

    @classmethod
    def open(cls, source: str | os.PathLike[str] | bytes | bytearray) -> PdfiumDocument | None:
        """Open a PDF (a file or its bytes) with PDFium; None if it cannot (MuPDF may)."""
        raw = _pdfium()
        with _lock:
            if isinstance(source, bytes | bytearray):
                data = bytes(source)  # a bytes object is read where it lies: no copy of a large file
                handle = raw.FPDF_LoadMemDocument64(ctypes.c_char_p(data), len(data), None)
                keep: object = data
            else:
                handle = raw.FPDF_LoadDocument(os.fsencode(source), None)
                keep = None
            if not handle:
                return None
            return cls(handle, keep)

    def close(self) -> None:
        """Close the document and free its bitmaps."""
        if self._handle:
            with _lock:
                raw = _pdfium()
                for bitmap in self._bitmaps.values():
                    raw.FPDFBitmap_Destroy(bitmap)
                self._bitmaps.clear()
                raw.FPDF_CloseDocument(self._handle)
            self._handle = None

    def measure(self, index: int, width: float, height: float, *, whole: bool = False) -> Ink | str | None:
        """Measure page `index` (displayed `width` x `height`): its foot alone unless `whole` or it must be.

        The foot is drawn on the very pixels the whole page's drawing gives there (the page is
        placed as it would be whole, the picture holding its lowest FOOT_ROWS rows only): its
        cells below the top row of the foot are the whole drawing's, the rows above are taken as
        ink unseen (`Ink.exact_rows`). A short page, or one whose foot is not white paper (a
        scan's grey), is drawn whole. Returns PICTURES for a page of a few objects placing a
        picture (its content is read cheaper than its picture is decoded, `watermark.ink.content_ink`),
        None for a page to leave to MuPDF.
        """
        return self._measured(index, (width, height), whole)[2]

    def measure_as_drawn(self, index: int) -> tuple[float, float, Ink | str | None]:
        """Measure page `index`'s foot at the size PDFium gives the page; return that size and the ink.

        For a process measuring ahead before the document's boxes are read elsewhere: whoever
        takes the ink checks the size against the displayed box (`Ink.resized`).
        """
        return self._measured(index, None, False)

    def _measured(
        self, index: int, size: tuple[float, float] | None, whole: bool
    ) -> tuple[float, float, Ink | str | None]:
        """Measure page `index` at `size` (None: as PDFium sizes it); return the size and the ink."""
        raw = _pdfium()
        width = height = 0.0
        with _lock:
            if not self._handle or not 0 <= index < self._pages:
                return width, height, None
            page = raw.FPDF_LoadPage(self._handle, index)
            if not page:
                return width, height, None
            try:
                page_w, page_h = raw.FPDF_GetPageWidthF(page), raw.FPDF_GetPageHeightF(page)
                width, height = size if size is not None else (page_w, page_h)
                if raw.FPDFPage_GetAnnotCount(page) != 0:
                    return width, height, None
                if abs(page_w - width) > SIZE_SLACK or abs(page_h - height) > SIZE_SLACK:
                    return width, height, None
                if _places_pictures(raw, page):
                    return width, height, PICTURES
                zoom = zoom_within(page_w, page_h, MEASURE_DPI / 72, INK_PIXELS)
                # The pixels MuPDF's render gives: the page's sides scaled and rounded out.
                cols = max(1, math.ceil(page_w * zoom - 0.001))
                rows = max(1, math.ceil(page_h * zoom - 0.001))
                if not whole and rows > 2 * FOOT_ROWS:
                    gray = self._drawn(raw, page, cols, rows, FOOT_ROWS)
                    if gray is None:
                        return width, height, None
                    foot = ink_of_foot(gray, rows, width, height)
                    if foot is not None:
                        return width, height, foot
                gray = self._drawn(raw, page, cols, rows, rows)
            finally:
                raw.FPDF_ClosePage(page)
        return width, height, None if gray is None else Ink.of_picture(gray, width, height)

    @property
    def page_count(self) -> int:
        """How many pages PDFium finds in the document."""
        return int(self._pages)

    def _drawn(self, raw: Any, page: Any, cols: int, rows: int, height_px: int) -> np.ndarray | None:
        """Draw the lowest `height_px` of the page's `rows` on white; return the grey pixels (a copy)."""
        import numpy as np

        bitmap = self._bitmaps.get((cols, height_px))
        if bitmap is None:
            bitmap = raw.FPDFBitmap_CreateEx(cols, height_px, raw.FPDFBitmap_Gray, None, 0)
            if not bitmap:
                return None
            if height_px == FOOT_ROWS:  # every page of a size has its foot drawn on one bitmap
                self._bitmaps[cols, height_px] = bitmap
        try:
            stride = raw.FPDFBitmap_GetStride(bitmap)
            buffer = raw.FPDFBitmap_GetBuffer(bitmap)
            # White, as FPDFBitmap_FillRect makes it, at a tenth of its cost (every page's foot).
            ctypes.memset(buffer, 0xFF, height_px * stride)
            raw.FPDF_RenderPageBitmap(bitmap, page, 0, height_px - rows, cols, rows, 0, 0)
            samples = ctypes.string_at(buffer, height_px * stride)
            return np.frombuffer(samples, dtype=np.uint8).reshape(height_px, stride)[:, :cols]
        finally:
            if self._bitmaps.get((cols, height_px)) is not bitmap:
                raw.FPDFBitmap_Destroy(bitmap)


def _places_pictures(raw: Any, page: Any) -> bool:
    """Tell whether a page of at most PICTURE_PAGE_OBJECTS objects places a picture of its own."""
    count = raw.FPDFPage_CountObjects(page)
    if count > PICTURE_PAGE_OBJECTS:
        return False
    return any(
        raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page, i)) == raw.FPDF_PAGEOBJ_IMAGE
        for i in range(count)
    )
