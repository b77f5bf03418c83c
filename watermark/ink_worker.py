"""A worker process measuring runs of pages for their ink: `python -m watermark.ink_worker`.

Started by `watermark.ink_workers.ReadAhead`, never imported by the package itself. Each
message is a 4-byte length and a pickle, between this process and its parent only:
(pdf_path, [(page_index, displayed width, height)]) one way, a list with each page's packed
ink (rows, cols, cell width, cell height, bits) or None back.
"""

from __future__ import annotations

import sys

import numpy as np
import pikepdf

from watermark.ink_workers import Packed
from watermark.mupdf import load_pymupdf
from watermark.pagebox import displayed_box
from watermark.pageinks import render_ink, short_content_ink
from watermark.render_worker import _read, _write

# The file opened with pikepdf and with PyMuPDF, by path: the runs of one file follow each other.
_documents: dict[str, tuple[pikepdf.Pdf | None, object | None]] = {}


def measure_run(path: str, pages: list[tuple[int, float, float]]) -> list[Packed | None]:
    """Measure pages (index, displayed width, height) of the PDF at `path`, in a worker."""
    pdf, document = _open(path)
    answers: list[Packed | None] = []
    for index, width, height in pages:
        page = pdf.pages[index].obj if pdf is not None and index < len(pdf.pages) else None
        box = displayed_box(page) if page is not None else None
        ink = None
        if page is not None and box is not None and (box.width, box.height) == (width, height):
            ink = short_content_ink(page, box)
        if ink is None and document is not None:
            ink = render_ink(document, index, width, height)
        if ink is None:
            answers.append(None)
            continue
        rows, cols = ink.inked.shape
        answers.append((rows, cols, ink.cell_w, ink.cell_h, np.packbits(ink.inked).tobytes()))
    return answers


def _open(path: str) -> tuple[pikepdf.Pdf | None, object | None]:
    """Return the file opened with pikepdf and with PyMuPDF (either None if it cannot be)."""
    if path in _documents:
        return _documents[path]
    for kept, _document in _documents.values():
        if kept is not None:
            kept.close()
    _documents.clear()
    pdf: pikepdf.Pdf | None
    try:
        pdf = pikepdf.open(path, password="")
    except (pikepdf.PdfError, OSError, ValueError):
        pdf = None
    pymupdf = load_pymupdf()
    try:
        document = pymupdf.open(path, filetype="pdf")
        if document.needs_pass and not document.authenticate(""):
            document = None
    except (RuntimeError, ValueError):
        document = None
    _documents[path] = (pdf, document)
    return pdf, document


def main() -> None:
    """Answer runs of pages (path, [(index, width, height)]) from stdin on stdout until stdin closes."""
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the answers
    while True:
        try:
            path, pages = _read(requests)
        except EOFError:
            return  # the process that started this one has closed the pipe or ended
        try:
            answer = measure_run(path, pages)
        except Exception:  # noqa: BLE001 - the asker measures these pages itself
            answer = [None] * len(pages)
        _write(answers, answer)


if __name__ == "__main__":
    main()
