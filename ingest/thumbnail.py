"""Cover thumbnails of publications."""

from __future__ import annotations

from ingest.errors import IngestError

THUMBNAIL_WIDTH = 320


def render_cover(data: bytes, width: int = THUMBNAIL_WIDTH) -> bytes:
    """Render the first page of a PDF as a PNG about `width` pixels wide."""
    import pymupdf  # imported here: it costs ~0.5 s and most callers never need it

    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except (pymupdf.FileDataError, RuntimeError, ValueError) as exc:
        raise IngestError(f"This file is not a readable PDF ({exc}).") from None
    with doc:
        if doc.page_count == 0:
            raise IngestError("This PDF has no pages.")
        page = doc[0]
        zoom = width / max(page.rect.width, 1)
        pixmap = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
        return pixmap.tobytes("png")
