"""Small PDFs for tests that need a file but not the demo generator's realism."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas


def tiny_pdf(title: str, pages: int = 2) -> bytes:
    """Return a text PDF with the title on each page."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    for number in range(1, pages + 1):
        canvas.drawString(72, 760, f"{title} - halaman {number} - contoh isi, bukan statistik resmi")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
