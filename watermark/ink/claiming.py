"""A first stamp's pages measured by processes started before the document is opened here.

Where the foot reader was not built (`watermark.ink.content_foot`), the engine's command line
forks them as soon as it has PDFium and NumPy loaded (`measure_ahead`), before it loads pikepdf
and what it stamps with: each counts the pages with PDFium, claims
chunks of them from the back (`watermark.ink.claims`) and measures them at the sizes PDFium
reads, while the command line loads the rest, opens the document and makes the stamp's parts;
`watermark.ink.ahead.Ahead.adopt` takes them on. A page PDFium leaves to MuPDF is measured
at its displayed box by `watermark.ink.pageinks`, loaded then (pikepdf, PyMuPDF).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection

from watermark.ink import ahead, answers, forked, pdfium_ink
from watermark.ink.claims import Claims
from watermark.ink.pdfium_ink import PdfiumDocument
from watermark.ink.room import Ink


def measure_ahead(source: str | os.PathLike[str], processes: int) -> ahead.Ahead:
    """Start processes measuring a first stamp's pages of the file `source` now (`ahead.measure_ahead`).

    PDFium is loaded first, once: each process loading it for itself cost a tenth of a
    second of CPU apiece, as much as measuring a few hundred pages.
    """
    if processes >= 2:
        pdfium_ink.load()
    return ahead.measure_ahead(source, processes, measure_claims_into)


def measure_claims_into(answer: Connection, source: str, claims: Claims, number: int, processes: int) -> None:
    """In a process started early: count a file's pages, answer the count, measure the chunks it claims.

    Process `number` of `processes` claims chunks from the back while any are left, if there
    are SHARE_PAGES for each (as `ahead.shares`), measures them at the size PDFium reads and
    answers (first page, answers). A file PDFium cannot open ends it: the pages are shared anew.
    """
    with forked.as_child():
        document = PdfiumDocument.open(source)
        if document is None:
            os._exit(1)
        count = document.page_count
        claims.begin(count)
        sharing = number < min(processes, ahead.MAX_PROCESSES, count // ahead.SHARE_PAGES)
        first = claims.take_chunk(number) if sharing else range(0)
        answer.send(count)  # after a first claim: once counted, every process sharing has claimed
        by_box = _by_box(source)

        def measured() -> Iterator[tuple[int, list[answers.Sized]]]:
            chunk = first
            while chunk:
                sized = []
                for index in chunk:
                    width, height, ink = document.measure_as_drawn(index)
                    if not isinstance(ink, Ink):
                        width, height, ink = by_box(index)
                    sized.append((width, height, answers.packing(ink)))
                yield chunk.start, sized
                chunk = claims.take_chunk(number)

        forked.send_messages(answer, measured())


def _by_box(source: str) -> Callable[[int], tuple[float, float, Ink | None]]:
    """Return how a page PDFium leaves is measured at its displayed box (the document opened when asked)."""
    opened: list = []

    def measure(index: int) -> tuple[float, float, Ink | None]:
        if not opened:
            from watermark.ink.pageinks import PageInks  # pikepdf, PyMuPDF: loaded only for such a page

            opened.append(PageInks(source))
        return opened[0].measure_by_box(index)

    return measure
