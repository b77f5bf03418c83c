"""A corpus of pages that leave the stamp no easy room, and a check that it hides no ink."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pikepdf
from pikepdf import Array
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from watermark.pdf.mupdf import load_pymupdf

# Page index -> what leaves the stamp no easy room.
AWKWARD_PAGES = (
    "full-bleed photo: ink on every point of the page",
    "table running into the bottom right corner",
    "running footer and page number along the bottom, as BPS publications print them",
    "/Rotate 90 with its footer along the displayed bottom",
    "/Rotate 270 with its footer along the displayed bottom",
    "crop box offset inside a larger media box, ink up to the crop box's foot",
    "/UserUnit 2 with a page number at the foot",
    "tiny 100 x 100 pt page",
    "landscape table down to the footer",
)
DARK = 100  # a pixel darker than this is ink a reader must still see
STILL_DARK = 160  # what it may become under the faint diagonal lines and antialiasing


def _footer(pdf: canvas.Canvas, width: float, number: int) -> None:
    """Draw a BPS-style running footer: a rule, the title left, the page number right."""
    pdf.setLineWidth(0.8)
    pdf.line(40, 34, width - 40, 34)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(40, 22, "Kota Metro Dalam Angka 2025")
    pdf.drawRightString(width - 40, 22, str(number))


def _rows(pdf: canvas.Canvas, x0: float, x1: float, top: float, bottom: float) -> None:
    """Fill a ruled table of figures from `top` down to `bottom`."""
    pdf.setFont("Helvetica", 8)
    y, row = top, 0
    while y > bottom:
        pdf.line(x0, y + 8, x1, y + 8)
        pdf.drawString(x0 + 2, y, f"Kecamatan {row + 1}")
        pdf.drawRightString(x1 - 2, y, f"{(row * 7919) % 99991:,}")
        y, row = y - 11, row + 1


def build(path: Path) -> Path:
    """Write the awkward corpus, one page per entry of AWKWARD_PAGES."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for draw in (_full_bleed, _table_into_the_corner, _running_footer, _turned_pages):
        draw(pdf, width, height)
    for draw in (_offset_crop_box, _half_size_units, _tiny_label, _landscape_table):
        draw(pdf, width, height)
    pdf.save()
    with pikepdf.open(path, allow_overwriting_input=True) as doc:
        doc.pages[3].obj.Rotate = 90
        doc.pages[4].obj.Rotate = 270
        doc.pages[5].obj.MediaBox = Array([0, 0, 700, 900])
        doc.pages[5].obj.CropBox = Array([100, 100, 600, 820])
        doc.pages[6].obj.UserUnit = 2
        doc.save(path)
    return path


def _full_bleed(pdf: canvas.Canvas, width: float, height: float) -> None:
    """1. Full bleed: a dark photo to every edge, a caption in white."""
    pdf.setFillGray(0.3)
    pdf.rect(0, 0, width, height, stroke=0, fill=1)
    pdf.setFillGray(1)
    pdf.drawString(60, 60, "Foto: Taman Merdeka Kota Metro")
    pdf.setFillGray(0)
    pdf.showPage()


def _table_into_the_corner(pdf: canvas.Canvas, width: float, height: float) -> None:
    """2. A table whose last cells sit in the bottom right corner."""
    _rows(pdf, 40, width, height - 60, 4)
    pdf.rect(width - 90, 0, 90, 40, stroke=0, fill=1)
    pdf.showPage()


def _running_footer(pdf: canvas.Canvas, width: float, height: float) -> None:
    """3. A running footer and page number along the bottom, the body ending above them."""
    _rows(pdf, 40, width - 40, height - 60, 100)
    _footer(pdf, width, 3)
    pdf.showPage()


def _turned_pages(pdf: canvas.Canvas, width: float, height: float) -> None:
    """4, 5. Turned pages: drawn portrait, their footer runs along a long edge once turned."""
    for number in (4, 5):
        _rows(pdf, 60, width - 60, height - 60, 60)
        pdf.setFont("Helvetica", 8)
        pdf.saveState()
        pdf.translate(24, height / 2)
        pdf.rotate(90 if number == 4 else -90)
        pdf.drawCentredString(0, 0, f"Halaman {number}")
        pdf.restoreState()
        pdf.line(34, 40, 34, height - 40)
        pdf.line(width - 34, 40, width - 34, height - 40)
        pdf.showPage()


def _offset_crop_box(pdf: canvas.Canvas, width: float, height: float) -> None:
    """6. Crop box offset: ink down to the crop box's foot."""
    pdf.setPageSize((700, 900))
    _rows(pdf, 100, 600, 800, 112)
    pdf.rect(100, 100, 500, 14, stroke=0, fill=1)
    pdf.showPage()


def _half_size_units(pdf: canvas.Canvas, width: float, height: float) -> None:
    """7. /UserUnit 2: half-size coordinates, a footer at the foot."""
    pdf.setPageSize((width / 2, height / 2))
    _rows(pdf, 20, width / 2 - 20, height / 2 - 30, 30)
    pdf.setFont("Helvetica", 5)
    pdf.drawCentredString(width / 4, 12, "- 7 -")
    pdf.showPage()


def _tiny_label(pdf: canvas.Canvas, width: float, height: float) -> None:
    """8. Tiny: a label of 100 x 100 points, printed edge to edge."""
    pdf.setPageSize((100, 100))
    pdf.setFont("Helvetica-Bold", 9)
    for row in range(9):
        pdf.drawString(4, 88 - row * 10.5, "LABEL 2025 " * 2)
    pdf.showPage()


def _landscape_table(pdf: canvas.Canvas, width: float, height: float) -> None:
    """9. Landscape table running down into the footer area."""
    pdf.setPageSize(landscape(A4))
    _rows(pdf, 40, landscape(A4)[0] - 40, A4[0] - 50, 44)
    _footer(pdf, landscape(A4)[0], 9)
    pdf.showPage()


def render(source: Path | bytes, index: int, dpi: int = 72) -> np.ndarray:
    """Return page `index` rendered grey, as a viewer displays it."""
    pymupdf = load_pymupdf()
    document = pymupdf.open(stream=source) if isinstance(source, bytes) else pymupdf.open(source)
    with document:
        pixmap = document[index].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
        picture = np.frombuffer(pixmap.samples, dtype=np.uint8).reshape(pixmap.height, pixmap.stride)
        return picture[:, : pixmap.width].copy()


def hidden_ink(original: np.ndarray, stamped: np.ndarray) -> int:
    """Return how many dark pixels of the original page the stamped page no longer shows dark.

    The stamped page may have grown a band below and to the right; what the page showed stays
    where it was, from the top-left corner.
    """
    height, width = original.shape
    assert stamped.shape[0] >= height - 1 and stamped.shape[1] >= width - 1, "the stamp cut the page"
    height, width = min(height, stamped.shape[0]), min(width, stamped.shape[1])
    before, after = original[:height, :width], stamped[:height, :width]
    return int(np.count_nonzero((before < DARK) & (after >= STILL_DARK)))
