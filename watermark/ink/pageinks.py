"""The ink of a document's pages for the stamper: as kept, where still true, else measured now.

A page is measured only when the kept `InkMap` has no measurement made on its displayed box;
what is measured is added to the map, for the caller to keep. A page with a short content that
places pictures is read from its content (`watermark.ink.content_ink`: no picture is decoded);
any other page, or one the content reader declines, is rendered grey at `MEASURE_DPI`.
pikepdf and PyMuPDF open the document only when a page has to be measured. A first stamp,
which keeps nothing, reads each page's foot from its content in compiled code instead
(`watermark.ink.content_foot`, given the page's object: `of_page`), has PDFium draw the foot of a
page it declines (`watermark.ink.pdfium_ink`, twice as fast as MuPDF), and MuPDF only the pages
PDFium leaves to it.

Asked to (`processes`: the engine's command line uses every core), many pages to draw are
measured ahead in forked processes, a share each (a first stamp only when a sample of its pages
does not read from their content: `prefetch`), this one measuring its own share as its pages
are asked for (`PageInks.prefetch`, `watermark.ink.ahead`): each page is measured on its own. The
library's copies ask for one process: they run beside the web pages, which the other cores serve.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import pikepdf

from watermark.errors import N_, WatermarkError
from watermark.ink import ahead, content_foot
from watermark.ink.content_ink import content_ink, worth_reading
from watermark.ink.inkmap import InkMap
from watermark.ink.inkrender import foot_ink, render_ink
from watermark.ink.room import Ink
from watermark.ink.scan_ink import scan_ink
from watermark.pdf import leftovers
from watermark.pdf.mupdf import load_pymupdf
from watermark.pdf.pagebox import PageBox, displayed_box
from watermark.pdf.source import Source

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from watermark.ink.pdfium_ink import PdfiumDocument

# PDFium (ctypes) and what reads the answers of other processes are loaded when a page is drawn
# by PDFium or measured ahead: a first stamp whose feet all read from the content needs neither.


@contextlib.contextmanager
def page_inks(
    source: Source, known: InkMap | None = None, processes: int = 1, measuring: ahead.Ahead | None = None
) -> Iterator[PageInks]:
    """Yield the ink of a PDF's pages, read from `known` where it holds them, measured otherwise.

    `measuring`: processes already measuring the pages of a first stamp of `source` (`measure_ahead`).
    """
    inks = PageInks(source, known, processes, measuring)
    try:
        yield inks
    finally:
        inks.close()


class PageInks:
    """The ink of one document's pages, as each page is displayed; a page it cannot measure is all ink."""

    def __init__(
        self,
        source: Source,
        known: InkMap | None = None,
        processes: int = 1,
        measuring: ahead.Ahead | None = None,
    ) -> None:
        self._source = source
        self.known = known
        # With nothing to keep, a page to render has its foot's ink bounded instead (`foot_ink`).
        self.foot_only = known is None
        self.processes = processes  # at most this many measure ahead (`prefetch`), this one included
        self.measured = 0  # pages measured (from their content or rendered)
        self._document: object | None = None
        self._opened = False
        self._pdfium: PdfiumDocument | None = None  # a first stamp's pages are drawn by PDFium
        self._pdfium_opened = False
        self._pdf: pikepdf.Pdf | None = None
        self._pdf_failed = False
        self._page_list: list[pikepdf.Dictionary] | None = None
        self._ahead: dict[int, tuple[PageBox, Ink | None]] = {}  # measured ahead, not kept in `known`
        # The processes measuring shares of the pages ahead, if any; started early, or by `prefetch`.
        self._others = measuring if measuring is not None else ahead.Ahead()
        # A first stamp reads each page's foot from its content where it can (compiled: `content_foot`).
        self._feet = content_foot.FootReader() if self.foot_only and content_foot.available() else None

    def fit(self, page_count: int) -> None:
        """Tell how many pages the document has: kept measurements of another page count are dropped."""
        if self.known is not None:
            self.known.fit(page_count)

    def of_page(self, index: int, box: PageBox, page: pikepdf.Dictionary | None = None) -> Ink:
        """Return the ink of page `index` (0-based) as displayed in `box`; `page`: its object, if open.

        A first stamp reads the foot of a `page` given from its content first (`content_foot`),
        before any other process is asked: that costs less than waiting for it.
        """
        if self.known is not None:
            kept = self.known.ink(index, box)
            if kept is not None:
                return kept
        if self._feet is not None and page is not None and index not in self._ahead:
            read = self._feet.ink(page, box)
            if read is not None:
                self.measured += 1
                return read
        if not self._others.take(index):  # another process measures it
            self._collect(index)
            return self.of_page(index, box)  # now kept in `known`, or held here
        self._collect()  # what the others have measured meanwhile: their pipes never stay full
        held = self._ahead.pop(index, None)
        if held is not None and held[0] == box:
            ink = held[1]
        else:
            ink = self._measure(index, box.width, box.height)
            if ink is not None:
                self._counted(index, box, ink)
        # A page that could not be measured is taken as all ink, and not kept: the next copy tries again.
        return Ink.everywhere(box.width, box.height) if ink is None else ink

    def unarmoured(self, stream: pikepdf.Stream) -> bytes | None:
        """Return (once) a content stream's data with its ASCII85 armour off, if its foot was read from it."""
        return None if self._feet is None else self._feet.unarmoured.pop(stream.objgen, None)

    def in_turn(self, indexes: Sequence[int]) -> Iterator[int]:
        """Yield the positions of pages `indexes` in the order to ask for their ink, each once.

        With other processes measuring, the pages they have answered come first, as they come in,
        and the next page from the front when none is waiting: this process measures a page only
        when it has nothing measured to go on with, so it measures fewer and the others more (the
        others claim from the back, `watermark.ink.claims`). Without them, the pages' order.
        """
        if not self._others.running:
            yield from range(len(indexes))
            return
        where: dict[int, list[int]] = {}
        for position, index in enumerate(indexes):
            where.setdefault(index, []).append(position)
        done = [False] * len(indexes)
        front = 0
        while True:
            self._collect()
            ready = [
                position for index in self._ahead for position in where.get(index, ()) if not done[position]
            ]
            if not ready:
                while front < len(indexes) and done[front]:
                    front += 1
                if front == len(indexes):
                    return
                ready = [front]
            for position in ready:
                done[position] = True
                yield position

    def of_whole_page(self, index: int, box: PageBox) -> Ink:
        """Return the ink of page `index` measured all over: for a plan that read above its foot."""
        ink = self._measure(index, box.width, box.height, whole=True)
        if ink is None:
            return Ink.everywhere(box.width, box.height)
        self.measured += 1
        return ink

    def prefetch(
        self, wanted: Iterable[tuple[int, PageBox]], pages: Sequence[pikepdf.Dictionary] | None = None
    ) -> None:
        """Have other processes measure ahead shares of the pages of `wanted` (index, displayed box) not kept.

        Does nothing unless more than one process was asked for, enough pages are missing to
        give each `SHARE_PAGES`, the source is a file and this process runs one thread. Returns
        at once: this process measures its own share as its pages are asked for
        (`watermark.ink.ahead`).
        """
        wanted = list(wanted)
        if self._read_from_content(wanted, pages):
            return
        if self._others.early:  # started before this document was opened: take them on, or end them
            source = self._source
            whole = self.known is None and [index for index, _ in wanted] == list(range(len(wanted)))
            if whole and not isinstance(source, bytes | bytearray):
                if self._others.adopt(os.fspath(source), [box for _, box in wanted]):
                    return
            self._others.close()
        if self.processes < 2 or isinstance(self._source, bytes | bytearray) or not ahead.may_fork():
            return  # before looking at any page: every library copy (one process) ends here
        known = self.known
        unknown = {i: box for i, box in wanted if known is None or not known.has(i, box)}
        # A page asked twice is measured ahead once; one already held or owed, not again.
        missing = [
            (i, box) for i, box in unknown.items() if i not in self._ahead and not self._others.owes(i)
        ]
        others = ahead.shares(missing, self.processes)[1:]
        if others:
            self._others.start(os.fspath(self._source), self.foot_only, others, _measure_into)

    def _read_from_content(self, wanted: list[tuple[int, PageBox]], pages: Sequence | None) -> bool:
        """Tell whether a first stamp's pages read from their content, as a sample shows (`content_foot`).

        If so, the sample is held and no other process is started; else the pages are drawn,
        shared among processes as before (a scan's pages, say).
        """
        if self._feet is None or pages is None or len(pages) != len(wanted) or not wanted:
            return False
        read = content_foot.sample(self._feet, wanted, pages)
        if read is None:
            return False
        self.measured += len(read)
        self._ahead.update(read)
        self._others.close()  # none was started early for such a stamp; if one was, it is not needed
        return True

    def _collect(self, index: int | None = None) -> None:
        """Take in what the other processes have measured (given `index`, waiting until it is in)."""
        for measured, box, width, height, ink in self._others.answers(index):
            self._keep(measured, box, width, height, ink)

    def _keep(self, index: int, box: PageBox, width: float, height: float, ink: Ink | None) -> None:
        """Hold a page measured ahead (None: it could not be) till asked for, unless kept in `known`.

        A page measured at a size other than its displayed box's is not held: it is measured
        here when asked for.
        """
        from watermark.ink import answers

        same, ink = answers.fitted(box, width, height, ink)
        if same and (ink is None or not self._counted(index, box, ink)):
            self._ahead[index] = (box, ink)

    def _counted(self, index: int, box: PageBox, ink: Ink) -> bool:
        """Count a page measured and add it to `known`; tell whether it is kept there (not too large)."""
        self.measured += 1
        if self.known is None:
            return False
        self.known.add(index, box, ink)
        return self.known.has(index, box)

    def close(self) -> None:
        """End the processes measuring ahead, close the documents that were opened."""
        self._others.close()
        if self._pdfium is not None:
            if not leftovers.held(self._pdfium):
                self._pdfium.close()
            self._pdfium = None
        if self._document is not None:
            self._document.close()  # type: ignore[attr-defined]
            self._document = None
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None

    def _measure(
        self, index: int, width: float, height: float, *, whole: bool = False, pdfium: bool = True
    ) -> Ink | None:
        """Measure page `index`: from its content when that is cheaper, else rendered; None if neither can.

        With `foot_only` (and not `whole`), a page that would be rendered has its foot bounded instead.
        A first stamp (`foot_only`: nothing is kept) has PDFium draw the page where it can, twice
        as fast (`watermark.ink.pdfium_ink`), unless PDFium declined it already (not `pdfium`); what is
        kept is always MuPDF's.
        """
        if self.foot_only and pdfium:
            ink = self._by_scan(index, width, height) or self._by_pdfium(index, width, height, whole)
            if ink is not None:
                return ink
        pages = self._pages()
        if pages is not None and 0 <= index < len(pages):
            page = pages[index]
            if worth_reading(page):
                box = displayed_box(page)
                ink = content_ink(page, box) if (box.width, box.height) == (width, height) else None
                if ink is not None:
                    return ink
        document = self._open()
        if document is None:
            return None
        if self.foot_only and not whole:
            ink = foot_ink(document, index, width, height)
            if ink is not None:
                return ink
        return render_ink(document, index, width, height)

    def _by_scan(self, index: int, width: float, height: float) -> Ink | None:
        """Measure a page that only draws one picture by where it lies (`watermark.ink.scan_ink`), or None.

        Only beside the compiled foot reader: without it, processes started before pikepdf is
        loaded draw the pages (`watermark.ink.claiming`), and a page's cells are the same whichever
        process measured it.
        """
        pages = self._pages() if content_foot.available() else None
        if pages is None or not 0 <= index < len(pages):
            return None
        box = displayed_box(pages[index])
        return scan_ink(pages[index], box) if (box.width, box.height) == (width, height) else None

    def _by_pdfium(self, index: int, width: float, height: float, whole: bool) -> Ink | None:
        """Measure page `index` with PDFium; None to read its content or leave it to MuPDF."""
        document = self._pdfium_document()
        if document is None:
            return None
        ink = document.measure(index, width, height, whole=whole)
        return ink if isinstance(ink, Ink) else None

    def _pdfium_document(self) -> PdfiumDocument | None:
        """Return the document opened with PDFium the first time; None if PDFium cannot open it."""
        if not self._pdfium_opened:
            self._pdfium_opened = True
            from watermark.ink.pdfium_ink import PdfiumDocument

            self._pdfium = PdfiumDocument.open(self._source)
        return self._pdfium

    def measure_by_box(self, index: int) -> tuple[float, float, Ink | None]:
        """Measure page `index` of a first stamp at its displayed box, read here, without PDFium.

        For a page a process measuring ahead found PDFium leaves to the others
        (`watermark.ink.claiming`). (0, 0, None) if none can read it.
        """
        pages = self._pages()
        if pages is None or not 0 <= index < len(pages):
            return 0.0, 0.0, None
        box = displayed_box(pages[index])
        return box.width, box.height, self._measure(index, box.width, box.height, pdfium=False)

    def _pages(self) -> list[pikepdf.Dictionary] | None:
        """Return the document's pages, opened with pikepdf the first time: their boxes and content."""
        if self._page_list is None and not self._pdf_failed:
            source = self._source
            try:
                if isinstance(source, bytes | bytearray):
                    self._pdf = pikepdf.open(io.BytesIO(source), password="")
                else:
                    self._pdf = pikepdf.open(os.fspath(source), password="")
                # Listed once: pikepdf finds pages[i] by walking the page tree, 0.4 ms at 5,000 pages.
                self._page_list = [page.obj for page in self._pdf.pages]
            except (pikepdf.PdfError, OSError, ValueError):
                self._pdf_failed = True
        return self._page_list

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


def _measure_into(
    answer: Connection, source: str, wanted: list[tuple[int, float, float]], foot_only: bool
) -> None:
    """In a forked process: measure pages `wanted` (index, width, height) of a file, send their cells."""
    from watermark.ink import answers, forked

    with forked.as_child(), page_inks(source) as inks:
        inks.foot_only = foot_only
        measured = (
            (width, height, answers.packing(inks._measure(i, width, height))) for i, width, height in wanted
        )
        forked.send_all(answer, measured)


def measure_pages(source: str | os.PathLike[str], known: InkMap, processes: int = 1) -> int:
    """Measure every page of a PDF that `known` lacks, adding it there; return how many were measured."""
    try:
        with pikepdf.open(os.fspath(source), password="") as pdf:
            boxes = [displayed_box(page.obj) for page in pdf.pages]
    except (pikepdf.PdfError, OSError) as exc:
        raise WatermarkError(
            N_("The PDF cannot be opened to measure its pages: %(detail)s"), code="damaged", detail=str(exc)
        ) from None
    with page_inks(source, known, processes) as inks:
        inks.fit(len(boxes))
        inks.prefetch(enumerate(boxes))
        for index, box in enumerate(boxes):
            inks.of_page(index, box)
    return inks.measured
