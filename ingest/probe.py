"""Facts about a PDF: its pages and which of them carry a text layer."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.errors import IngestError
from ingest.pdffile import MIN_TEXT_CHARS, mupdf_errors
from watermark.pdf.mupdf import load_pymupdf


@dataclass(frozen=True)
class PdfFacts:
    """What a PDF holds, page by page."""

    page_count: int
    text_pages: tuple[int, ...]
    image_pages: tuple[int, ...]

    @property
    def origin(self) -> str:
        """Return 'born_digital', 'scanned' or 'mixed'."""
        if not self.image_pages:
            return "born_digital"
        if not self.text_pages:
            return "scanned"
        return "mixed"


def probe_pdf(data: bytes) -> PdfFacts:
    """Count the pages of a PDF and classify each as text or image only."""
    pymupdf = load_pymupdf()  # loaded here: it costs ~0.1 s and most callers never need it

    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except mupdf_errors():
        raise IngestError("This file is not a readable PDF.", code="damaged") from None
    with doc:
        if doc.needs_pass and not doc.authenticate(""):
            raise IngestError(
                "This PDF is protected by a password; remove it and try again.", code="encrypted"
            )
        if doc.page_count == 0:
            raise IngestError("This PDF has no pages.", code="no_pages")
        text_pages: list[int] = []
        image_pages: list[int] = []
        for index, page in enumerate(doc.pages(), start=1):
            chars = len(page.get_text("text").strip())
            (text_pages if chars >= MIN_TEXT_CHARS else image_pages).append(index)
        return PdfFacts(doc.page_count, tuple(text_pages), tuple(image_pages))
