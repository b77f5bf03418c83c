"""The cover of a born-digital demo publication, and the sample notice every page carries."""

from __future__ import annotations

import random
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from catalog_data.records import SAMPLE_NOTICE, DemoPublication, OfficeRecord

BPS_BLUE = colors.HexColor("#0B4F8A")
NOTICE_RED = colors.HexColor("#B00020")
# The three colours of the BPS logo, used for the cover's chart motif.
LOGO_COLOURS = (colors.HexColor("#2A6EBB"), colors.HexColor("#6BB445"), colors.HexColor("#F79421"))
SUBJECT_TINTS = {
    "Statistik Umum": "#E3ECF6",
    "Kependudukan": "#E8F3E1",
    "Ketenagakerjaan": "#FDEEDC",
    "Kemiskinan": "#F6E3E3",
    "Pendidikan": "#E6E9F8",
    "Kesehatan": "#E0F2F1",
    "Pertanian": "#EEF5DA",
    "Industri": "#ECECEC",
    "Harga": "#FFF4D6",
    "Neraca Ekonomi": "#E3ECF6",
    "Sosial Budaya": "#F3E5F5",
    "Pariwisata": "#E1F5FE",
    "Transportasi": "#EDE7E3",
    "Keuangan": "#E8F5E9",
}


def draw_notice(canvas: Canvas, center_x: float, y: float) -> None:
    """Draw the sample-content notice centred at (center_x, y)."""
    canvas.saveState()
    canvas.setFont("Helvetica-Bold", 8)
    canvas.setFillColor(NOTICE_RED)
    canvas.drawCentredString(center_x, y, SAMPLE_NOTICE)
    canvas.restoreState()


def draw_cover(canvas: Canvas, pub: DemoPublication, office: OfficeRecord) -> None:
    """Draw the whole cover: banner, title, chart motif, year and catalogue number."""
    width, height = canvas._pagesize  # type: ignore[attr-defined]  # reportlab's own, not in its stubs
    rng = random.Random(f"cover:{pub.key}")
    canvas.saveState()
    canvas.setFillColor(colors.HexColor(SUBJECT_TINTS.get(pub.subject, "#E3ECF6")))
    canvas.rect(0, 0, width, height, stroke=0, fill=1)
    banner = 34 * mm
    canvas.setFillColor(BPS_BLUE)
    canvas.rect(0, height - banner, width, banner, stroke=0, fill=1)
    for i, colour in enumerate(LOGO_COLOURS):
        canvas.setFillColor(colour)
        canvas.rect(i * width / 3, height - banner - 2.5 * mm, width / 3, 2.5 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont("Helvetica-Bold", 15)
    canvas.drawString(18 * mm, height - 15 * mm, "BADAN PUSAT STATISTIK")
    canvas.setFont("Helvetica", 10)
    canvas.drawString(18 * mm, height - 22 * mm, office.name.upper())
    canvas.setFont("Helvetica", 8)
    canvas.drawString(18 * mm, height - 28 * mm, office.website.removesuffix("/"))
    kind = ParagraphStyle(
        "kind", fontName="Helvetica-Bold", fontSize=10, leading=13, textColor=colors.HexColor("#F79421")
    )
    title = ParagraphStyle("title", fontName="Helvetica-Bold", leading=30, fontSize=25, textColor=BPS_BLUE)
    alt = ParagraphStyle(
        "alt", fontName="Helvetica-Oblique", fontSize=12, leading=15, textColor=colors.HexColor("#333333")
    )
    y = height - banner - 28 * mm
    for text, style in (
        (pub.publication_type.upper(), kind),
        (pub.title, title),
        (pub.alternative_title, alt),
    ):
        if not text:
            continue
        para = Paragraph(escape(text), style)
        _, used = para.wrap(width - 36 * mm, height)
        y -= used
        para.drawOn(canvas, 18 * mm, y)
        y -= 4 * mm
    _chart_motif(canvas, rng, width, top=y - 8 * mm)
    canvas.setFillColor(BPS_BLUE)
    canvas.setFont("Helvetica-Bold", 40)
    canvas.drawRightString(width - 18 * mm, 26 * mm, str(pub.year))
    canvas.setFont("Helvetica", 8.5)
    canvas.setFillColor(colors.black)
    canvas.drawString(18 * mm, 30 * mm, f"Katalog: {pub.katalog_bps}")
    canvas.drawString(18 * mm, 25 * mm, f"Nomor Publikasi: {pub.nomor_publikasi}")
    canvas.restoreState()
    draw_notice(canvas, width / 2, 10 * mm)


def _chart_motif(canvas: Canvas, rng: random.Random, width: float, top: float) -> None:
    """Draw seeded bars and a line between the year line and `top`."""
    bars = rng.randint(7, 12)
    left, base, span = 18 * mm, 48 * mm, width - 36 * mm
    room = top - base - 18 * mm
    step = span / bars
    tops = []
    for i in range(bars):
        bar_height = rng.uniform(0.3, 0.95) * room
        canvas.setFillColor(LOGO_COLOURS[i % 3])
        canvas.setFillAlpha(0.55)
        canvas.rect(left + i * step + step * 0.15, base, step * 0.7, bar_height, stroke=0, fill=1)
        tops.append((left + i * step + step / 2, base + bar_height + rng.uniform(6, 18) * mm))
    canvas.setFillAlpha(1)
    canvas.setStrokeColor(BPS_BLUE)
    canvas.setLineWidth(1.6)
    path = canvas.beginPath()
    path.moveTo(*tops[0])
    for point in tops[1:]:
        path.lineTo(*point)
    canvas.drawPath(path, stroke=1, fill=0)
