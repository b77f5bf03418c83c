"""Cover thumbnails of publications."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import IngestError
from ingest.pdffile import mupdf_errors
from watermark.pdf.mupdf import load_pymupdf

if TYPE_CHECKING:
    import pymupdf

THUMBNAIL_WIDTH = 320
MAX_ASPECT = 4  # a strip-shaped first page still gets a thumbnail of sane height


def render_cover(data: bytes, width: int = THUMBNAIL_WIDTH) -> bytes:
    """Render the first page of a PDF held in memory as a PNG about `width` pixels wide."""
    pymupdf = load_pymupdf()  # loaded here: it costs ~0.1 s and most callers never need it

    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except mupdf_errors():
        raise IngestError("This file is not a readable PDF.", code="damaged") from None
    with doc:
        return _cover(doc, width)


def render_cover_from_path(pdf_path: Path, width: int = THUMBNAIL_WIDTH) -> bytes:
    """Render the first page of a PDF file as a PNG about `width` pixels wide."""
    pymupdf = load_pymupdf()

    try:  # opened from the path: MuPDF reads what the first page needs, not the whole file
        doc = pymupdf.open(pdf_path, filetype="pdf")
    except mupdf_errors():
        raise IngestError(
            f"{pdf_path.name} is not a readable PDF.", code="damaged", name=pdf_path.name
        ) from None
    with doc:
        return _cover(doc, width)


def _cover(doc: pymupdf.Document, width: int) -> bytes:
    pymupdf = load_pymupdf()

    if doc.needs_pass and not doc.authenticate(""):
        raise IngestError("This PDF is protected by a password.", code="encrypted")
    if doc.page_count == 0:
        raise IngestError("This PDF has no pages.", code="no_pages")
    page = doc[0]
    zoom = width / max(page.rect.width, 1)
    clip = page.rect
    if page.rect.height > MAX_ASPECT * page.rect.width:
        clip = pymupdf.Rect(clip.x0, clip.y0, clip.x1, clip.y0 + MAX_ASPECT * clip.width)
    pixmap = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=clip, alpha=False)
    return pixmap.tobytes("png")
