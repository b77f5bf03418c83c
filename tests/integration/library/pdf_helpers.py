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


def scanned_pdf(lines_per_page: list[list[str]], dpi: int = 200) -> bytes:
    """Return an image-only PDF: each page a picture of the given lines, as a scanner makes."""
    from pathlib import Path

    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader

    font_path = (
        Path(__file__).resolve().parents[3] / "watermark" / "marks" / "fonts" / "DejaVuSansCondensed.ttf"
    )
    font = ImageFont.truetype(str(font_path), size=int(dpi * 0.16))
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    for lines in lines_per_page:
        image = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(image)
        for number, line in enumerate(lines):
            draw.text((int(dpi * 0.8), int(dpi * (1 + number * 0.4))), line, fill=0, font=font)
        png = io.BytesIO()
        image.save(png, format="PNG")
        png.seek(0)
        canvas.drawImage(ImageReader(png), 0, 0, width=A4[0], height=A4[1])
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
