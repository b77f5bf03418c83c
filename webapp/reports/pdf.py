"""The whole report as a PDF to send to the province office: A4, each section's tables and charts.

Plain values in, PDF bytes out: the caller writes the report in words (`library.reports.words`), in the
office's language. The text is set in DejaVu Sans Condensed (shipped with the stamping
engine) and embedded, so publication titles and search terms in any Latin, Greek or
Cyrillic spelling print; characters it lacks are left out rather than printed as boxes.
Every page names the office, the period and its number.
"""

from __future__ import annotations

import io
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from library.reports.words import ReportDocument, ShownChart, ShownTable
from watermark.marks.fonts import PRIMARY_FONT
from webapp.reports.charts import bar_chart

FONT = "PustakaReportSans"
MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN
PADDING = 2  # points left and right in a table's cell
CHART_SCALE = 0.55  # points per unit of the chart's drawing: its names in 8 pt
BLUE = colors.HexColor("#0b4f8a")
LINE = colors.HexColor("#d7dde4")
TRACK = colors.HexColor("#eef1f4")


def render_report(document: ReportDocument) -> bytes:
    """Return the report as an A4 PDF."""
    _register_font()
    out = io.BytesIO()
    pdf = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=f"{document.title}: {document.office}, {document.period}",
        author=document.office,
        creator="Pustaka",
    )

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#4b5663"))
        canvas.drawString(MARGIN, MARGIN - 2 * mm, _drawable(document.footer))
        canvas.drawRightString(A4[0] - MARGIN, MARGIN - 2 * mm, f"{document.page_word} {doc.page}")
        canvas.restoreState()

    pdf.build(_story(document), onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _story(document: ReportDocument) -> list[Flowable]:
    """Return the flowing content: the heading, then every section."""
    story: list[Flowable] = [
        Paragraph(_clean(document.title), STYLES["title"]),
        Paragraph(_clean(document.office), STYLES["office"]),
        Paragraph(_clean(document.period), STYLES["period"]),
    ]
    story += [Paragraph(_clean(line), STYLES["detail"]) for line in document.details]
    for section in document.sections:
        story += [Spacer(1, 4 * mm), Paragraph(_clean(section.title), STYLES["section"])]
        if section.note:
            story.append(Paragraph(_clean(section.note), STYLES["note"]))
        for table in section.tables:
            story.append(KeepTogether(_table(table)))
            story += [_chart(chart) for chart in table.charts if table.rows]
    return story


def _table(table: ShownTable) -> list[Flowable]:
    """Return a table's title and its grid (or the words saying it is empty)."""
    parts: list[Flowable] = [Paragraph(_clean(table.title), STYLES["table"])]
    if not table.rows:
        return [*parts, Paragraph(_clean(table.empty), STYLES["note"])]
    widths = _widths(table)
    head = [
        Paragraph(_clean(h), STYLES["head_number" if n else "head"])
        for h, n in zip(table.headings, table.numeric, strict=True)
    ]
    body = [
        [
            Paragraph(_clean(cell), STYLES["number" if n else "cell"])
            for cell, n in zip(row, table.numeric, strict=True)
        ]
        for row in table.rows
    ]
    grid = Table([head, *body], colWidths=widths, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, BLUE),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
            ]
        )
    )
    return [*parts, grid, Spacer(1, 2 * mm)]


def _widths(table: ShownTable) -> list[float]:
    """Return column widths: each as wide as its longest word, the room left shared, more to text."""
    size = STYLES["head"].fontSize

    def longest(texts: list[str], size: float) -> float:
        words = [w for text in texts for w in _drawable(text).split()] or [""]
        return max(pdfmetrics.stringWidth(w, FONT, size) for w in words) + 2 * PADDING + 1

    # Words of the data count for numbers only: a long word of text (a link in a reason) may break.
    least = [
        max(longest([heading], size), longest([row[n] for row in table.rows], STYLES["cell"].fontSize))
        if numeric
        else longest([heading], size)
        for n, (heading, numeric) in enumerate(zip(table.headings, table.numeric, strict=True))
    ]
    if sum(least) > WIDTH:  # more columns than a page holds: every one narrower alike
        return [WIDTH * low / sum(least) for low in least]
    weights = [1.0 if numeric else 2.2 for numeric in table.numeric]
    room = WIDTH - sum(least)
    return [low + room * w / sum(weights) for low, w in zip(least, weights, strict=True)]


def _chart(chart: ShownChart) -> Flowable:
    """Return a chart drawn with the same places as the page's SVG, scaled to points."""
    shape = bar_chart(chart)
    s = CHART_SCALE
    height = shape.height * s + 14
    drawing = Drawing(shape.width * s, height)
    drawing.add(String(0, height - 10, _drawable(shape.title), fontName=FONT, fontSize=8.5, fillColor=BLUE))
    top = height - 14
    for bar in shape.bars:
        drawing.add(
            String(0, top - bar.name_y * s, _drawable(bar.name), fontName=FONT, fontSize=shape.font_size * s)
        )
        y = top - (bar.bar_y + shape.bar_height) * s
        drawing.add(_filled(Rect(0, y, shape.track * s, shape.bar_height * s), TRACK))
        if bar.width:
            drawing.add(_filled(Rect(0, y, bar.width * s, shape.bar_height * s), BLUE))
        value_x = max(bar.value_x, 0) * s
        drawing.add(
            String(
                value_x,
                top - bar.value_y * s,
                _drawable(bar.value),
                fontName=FONT,
                fontSize=shape.font_size * s,
            )
        )
    return KeepTogether([drawing, Spacer(1, 3 * mm)])


def _filled(rect: Rect, color: colors.Color) -> Rect:
    """Return the rectangle filled with the colour and drawn without an outline."""
    rect.fillColor = color
    rect.strokeColor = None
    return rect


@lru_cache(maxsize=1)
def _register_font() -> TTFont:
    """Register the report's face with reportlab once per process."""
    font = TTFont(FONT, str(PRIMARY_FONT))
    pdfmetrics.registerFont(font)
    return font


def _drawable(text: str) -> str:
    """Return the text without the characters the face cannot draw."""
    glyphs = _register_font().face.charToGlyph
    # Only the Basic Multilingual Plane: reportlab writes a wrong ToUnicode entry beyond it.
    return "".join(ch for ch in text if ord(ch) <= 0xFFFF and (ord(ch) in glyphs or ch == " "))


def _clean(text: str) -> str:
    """Return text the face can draw, escaped for a paragraph (reportlab's mark-up is XML)."""
    return escape(_drawable(text))


def _style(name: str, size: float, **more: object) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=FONT, fontSize=size, leading=size * 1.25, **more)  # type: ignore[arg-type]


STYLES = {
    "title": _style("title", 16, textColor=BLUE, spaceAfter=2),
    "office": _style("office", 12, spaceAfter=1),
    "period": _style("period", 11, spaceAfter=3),
    "detail": _style("detail", 8.5, textColor=colors.HexColor("#4b5663")),
    # A heading, a note and a table's title stay on the page of what follows them.
    "section": _style("section", 13, textColor=BLUE, spaceBefore=2, spaceAfter=2, keepWithNext=1),
    "note": _style("note", 8, textColor=colors.HexColor("#4b5663"), spaceAfter=3, keepWithNext=1),
    "table": _style("table", 9.5, spaceBefore=3, spaceAfter=2, keepWithNext=1),
    "head": _style("head", 7),
    "head_number": _style("head_number", 7, alignment=2),
    "cell": _style("cell", 7.5),
    "number": _style("number", 7.5, alignment=2),
}
