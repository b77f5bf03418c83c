"""Born-digital demo PDFs: cover, colophon, foreword, contents, chapters with tables."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4, B5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepInFrame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from catalog_data.pdfgen import cover, text
from catalog_data.pdfgen.tables import TABLES, StatTable, fill_table, row_count
from catalog_data.records import DemoPublication, OfficeRecord

REPRODUCTION_NOTICE = (
    "Dilarang mereproduksi dan/atau menggandakan sebagian atau seluruh isi buku ini untuk "
    "tujuan komersial tanpa izin tertulis dari Badan Pusat Statistik"
)
REPRODUCTION_NOTICE_EN = (
    "Reproducing and/or copying part or all of this book for commercial purposes without "
    "written permission from BPS-Statistics Indonesia is prohibited"
)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 20 * mm, 24 * mm, 20 * mm
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

_BODY = ParagraphStyle(
    "body", fontName="Helvetica", fontSize=9.5, leading=13.5, alignment=TA_JUSTIFY, spaceAfter=6
)
_ENGLISH = ParagraphStyle(
    "english", parent=_BODY, fontName="Helvetica-Oblique", textColor=colors.HexColor("#444444")
)
_H1 = ParagraphStyle(
    "h1", fontName="Helvetica-Bold", fontSize=16, leading=20, spaceAfter=10, textColor=cover.BPS_BLUE
)
_H1_EN = ParagraphStyle(
    "h1en",
    parent=_H1,
    fontName="Helvetica-Oblique",
    fontSize=11,
    leading=14,
    textColor=colors.HexColor("#555555"),
)
_CAPTION = ParagraphStyle(
    "caption", fontName="Helvetica-Bold", fontSize=9.5, leading=12, spaceBefore=6, spaceAfter=5
)
_CELL = ParagraphStyle("cell", fontName="Helvetica", fontSize=7.5, leading=9)
_NOTE = ParagraphStyle(
    "note",
    fontName="Helvetica-Oblique",
    fontSize=7.5,
    leading=9.5,
    spaceBefore=3,
    textColor=colors.HexColor("#444444"),
)
_CENTER = ParagraphStyle("center", parent=_BODY, alignment=TA_CENTER)


class _Bookmark(Flowable):
    """An invisible flowable that adds an outline entry for the page it lands on."""

    _ZEROSIZE = True  # or KeepInFrame skips it and the entry is lost

    def __init__(self, title: str, key: str, level: int = 0) -> None:
        super().__init__()
        self.title, self.key, self.level = title, key, level

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Take no room on the page."""
        return 0, 0

    def draw(self) -> None:
        """Mark this page and add it to the document outline."""
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=self.level == 0)


@dataclass(frozen=True)
class _Page:
    kind: str  # "cover" | "portrait" | "landscape"
    content: list[Flowable]


def render_born_digital(pub: DemoPublication, office: OfficeRecord) -> bytes:
    """Render a born-digital demo PDF with exactly `pub.pages` pages."""
    rng = random.Random(pub.key)
    size = B5 if pub.publication_type in ("Buku Saku", "Statistik Daerah") else A4
    pages = _plan(pub, office, rng, size)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=size,
        invariant=1,
        title=pub.title,
        author=office.name,
        lang="en-US" if pub.language == "en" else "id-ID",
        subject=f"{pub.subject} ({pub.publication_type})",
        creator="Pustaka catalog_data demo",
        keywords=_keywords(pub, office),
        pageCompression=1,
    )
    decorate = _Decorations(pub, office)
    doc.addPageTemplates(
        [
            PageTemplate("cover", [_frame(size)], onPage=decorate.cover, pagesize=size),
            PageTemplate("portrait", [_frame(size)], onPage=decorate.body, pagesize=size),
            PageTemplate(
                "landscape", [_frame(landscape(size))], onPage=decorate.body, pagesize=landscape(size)
            ),
        ]
    )
    story: list[Flowable] = []
    for index, page in enumerate(pages):
        if index:
            story += [NextPageTemplate(page.kind), PageBreak()]
        frame_size = landscape(size) if page.kind == "landscape" else size
        width, height = _frame_box(frame_size)
        story.append(KeepInFrame(width, height, page.content, mode="shrink"))
    doc.build(story)
    if doc.page != pub.pages:
        raise RuntimeError(f"{pub.key}: laid out {doc.page} pages, the catalogue says {pub.pages}")
    return buffer.getvalue()


def _frame_box(size: tuple[float, float]) -> tuple[float, float]:
    return size[0] - 2 * MARGIN_X, size[1] - MARGIN_TOP - MARGIN_BOTTOM


def _frame(size: tuple[float, float]) -> Frame:
    width, height = _frame_box(size)
    return Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        width,
        height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        showBoundary=0,
    )


def _keywords(pub: DemoPublication, office: OfficeRecord) -> list[str]:
    """Return the document's keywords (reportlab writes them joined by ", ")."""
    words = [f"Katalog BPS {pub.katalog_bps}", f"Nomor Publikasi {pub.nomor_publikasi}"]
    words += [f"ISSN {pub.issn}"] * bool(pub.issn) + [f"ISBN {pub.isbn}"] * bool(pub.isbn)
    return [*words, pub.subject, pub.publication_type, office.name, pub.reference_period]


def _plan(
    pub: DemoPublication, office: OfficeRecord, rng: random.Random, size: tuple[float, float]
) -> list[_Page]:
    base = text.labels(pub, office)
    front = ["colophon"] + ["foreword"] * (pub.pages >= 8) + ["contents"] * (pub.pages >= 10)
    body_pages = pub.pages - 1 - len(front)
    chapters = text.CHAPTERS[pub.subject]
    count = min(len(chapters), max(1, body_pages // 2))
    spans = [body_pages // count + (i < body_pages % count) for i in range(count)]
    first_pages = [2 + len(front) + sum(spans[:i]) for i in range(count)]
    english = pub.language == "en"
    pages = [_Page("cover", [Spacer(1, 1)])]
    for part in front:
        if part == "colophon":
            pages.append(_Page("portrait", _colophon(pub, office, size)))
        elif part == "foreword":
            pages.append(_Page("portrait", _foreword(pub, office)))
        else:
            entries = [
                (f"BAB {ROMAN[i]}  {chapters[i][1] if english else chapters[i][0]}", first_pages[i])
                for i in range(count)
            ]
            pages.append(_Page("portrait", _contents(entries, english)))
    # Wide tables get a landscape page, but only the first two: a publication stays mostly
    # portrait, with a page or two turned.
    landscape_left = [2]
    for number, (chapter, span) in enumerate(zip(chapters[:count], spans, strict=True), 1):
        pages += _chapter(pub, rng, base, number, chapter, span, size, landscape_left)
    return pages


def _chapter(
    pub: DemoPublication,
    rng: random.Random,
    base: dict[str, str],
    number: int,
    chapter: tuple[str, str, tuple[str, ...]],
    span: int,
    size: tuple[float, float],
    landscape_left: list[int],
) -> list[_Page]:
    """Lay out one chapter over `span` pages, one or two tables a page."""
    capacity = 36 if size == A4 else 22
    title_id, title_en, table_ids = chapter
    english = pub.language == "en"
    regions = text.rows_for(pub)[1]
    pages: list[_Page] = []
    placed = 0
    for j in range(span):
        content: list[Flowable] = []
        room = capacity
        if j == 0:
            heading = f"BAB {ROMAN[number - 1]}  {title_en if english else title_id}"
            content += [_Bookmark(heading, f"bab{number}"), Paragraph(escape(heading), _H1)]
            if pub.language == "id,en":
                content.append(Paragraph(escape(title_en), _H1_EN))
            content.append(_prose(rng, table_ids, base, 5, english))
            if pub.language == "id,en":
                content.append(_prose(rng, table_ids, base, 2, True, italic=True))
            room -= 12
        else:
            content.append(_prose(rng, table_ids, base, 3, english))
        wide = False
        for slot in range(2):
            spec_id = table_ids[placed % len(table_ids)]
            spec = TABLES[spec_id]
            rows = row_count(spec, regions)
            if slot and (rows > room or wide or spec.wide):
                break
            turn = spec.wide and landscape_left[0] > 0
            year = int(base["t"]) - placed // len(table_ids)
            table = fill_table(
                spec, rng, text.for_year(base, year), regions, tuple(range(year - 4, year + 1))
            )
            placed += 1
            room -= rows + 4
            wide = wide or turn
            landscape_left[0] -= turn
            label = f"Tabel {number}.{placed}"
            content += [
                _Bookmark(f"{label}  {table.title}", f"tab{number}.{placed}", level=1),
                *_table(label, table, base["office"], landscape(size) if turn else size),
                _prose(rng, (spec_id,), base, 2, english),
            ]
        pages.append(_Page("landscape" if wide else "portrait", content))
    return pages


def _prose(
    rng: random.Random,
    topics: tuple[str, ...],
    base: dict[str, str],
    sentences: int,
    english: bool,
    italic: bool = False,
) -> Paragraph:
    prose = text.paragraph(rng, topics, base, sentences, english)
    return Paragraph(escape(prose), _ENGLISH if italic else _BODY)


def _table(number: str, table: StatTable, source: str, size: tuple[float, float]) -> list[Flowable]:
    caption = Paragraph(escape(f"{number}  {table.title}"), _CAPTION)
    head = [Paragraph(f"<b>{escape(h)}</b>", _CELL) for h in table.header]
    body = [[Paragraph(escape(row[0]), _CELL), *row[1:]] for row in table.rows]
    width = _frame_box(size)[0]
    first = width * (0.34 if table.wide else 0.32)
    rest = (width - first) / (len(table.header) - 1)
    grid = Table(
        [head, *body], repeatRows=1, hAlign="LEFT", colWidths=[first, *[rest] * (len(table.header) - 1)]
    )
    style: list[Any] = [  # reportlab's commands: (name, start, end, *values)
        ("FONT", (0, 0), (-1, -1), "Helvetica", 7.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE6F2")),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.black),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F4F6F9")]),
    ]
    if table.rows[-1][0] in ("Jumlah", "Rata-rata"):
        style.append(("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 7.5))
    grid.setStyle(TableStyle(style))
    unit = f"Satuan: {table.unit}. " if table.unit else ""
    note = Paragraph(escape(f"{unit}Sumber: {source} (data contoh)"), _NOTE)
    return [caption, grid, note]


def _colophon(pub: DemoPublication, office: OfficeRecord, size: tuple[float, float]) -> list[Flowable]:
    title = ParagraphStyle("ct", parent=_CENTER, fontName="Helvetica-Bold", fontSize=13, leading=17)
    rows = [("Katalog", pub.katalog_bps), ("Nomor Publikasi", pub.nomor_publikasi)]
    rows += [("ISSN", pub.issn)] * bool(pub.issn) + [("ISBN", pub.isbn)] * bool(pub.isbn)
    rows += [
        ("Ukuran Buku", "17,6 cm x 25 cm" if size == B5 else "21 cm x 29,7 cm"),
        ("Jumlah Halaman", f"{pub.pages} halaman"),
        ("Naskah", office.name),
        ("Penyunting", office.name),
        ("Desain Kover", office.name),
        ("Diterbitkan oleh", f"© {office.name}"),
        ("Dicetak oleh", "—"),
    ]
    grid = Table([[f"{k}", ":", v] for k, v in rows], colWidths=[40 * mm, 4 * mm, None], hAlign="LEFT")
    grid.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 9.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)])
    )
    content: list[Flowable] = [Spacer(1, 30 * mm), Paragraph(escape(pub.title), title)]
    if pub.alternative_title:
        content.append(Paragraph(f"<i>{escape(pub.alternative_title)}</i>", _CENTER))
    content += [
        Spacer(1, 14 * mm),
        grid,
        Spacer(1, 24 * mm),
        Paragraph(f"<b>{escape(REPRODUCTION_NOTICE)}</b>", _CENTER),
    ]
    if pub.language != "id":
        content.append(Paragraph(f"<i>{escape(REPRODUCTION_NOTICE_EN)}</i>", _CENTER))
    return content


def _foreword(pub: DemoPublication, office: OfficeRecord) -> list[Flowable]:
    *paragraphs, place, signer = text.foreword(pub, office)
    right = ParagraphStyle("right", parent=_BODY, leftIndent=85 * mm, alignment=0)
    title = "Foreword" if pub.language == "en" else "Kata Pengantar"
    return [
        _Bookmark(title, "foreword"),
        Paragraph(title, _H1),
        *(Paragraph(escape(p), _BODY) for p in paragraphs),
        Spacer(1, 10 * mm),
        Paragraph(escape(place), right),
        Paragraph(escape(signer), right),
    ]


def _contents(entries: list[tuple[str, int]], english: bool) -> list[Flowable]:
    rows = [[Paragraph(escape(title), _BODY), str(page)] for title, page in entries]
    foreword, title = ("Foreword", "Contents") if english else ("Kata Pengantar", "Daftar Isi")
    grid = Table([[foreword, "3"], *rows], colWidths=[None, 15 * mm])
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 9.5),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
            ]
        )
    )
    return [_Bookmark(title, "contents"), Paragraph(title, _H1), grid]


class _Decorations:
    """Page furniture drawn on every page: cover art, header, footer and sample notice."""

    def __init__(self, pub: DemoPublication, office: OfficeRecord) -> None:
        self.pub, self.office = pub, office

    def cover(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Draw the cover page."""
        cover.draw_cover(canvas, self.pub, self.office)

    def body(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Draw the running header, the page number and the sample notice."""
        width, height = canvas._pagesize  # type: ignore[attr-defined]  # reportlab's own, not in its stubs
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        title = self.pub.title if len(self.pub.title) <= 70 else self.pub.title[:67] + "..."
        canvas.drawString(MARGIN_X, height - 14 * mm, title)
        canvas.drawRightString(width - MARGIN_X, height - 14 * mm, self.office.name)
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.line(MARGIN_X, height - 15.5 * mm, width - MARGIN_X, height - 15.5 * mm)
        canvas.line(MARGIN_X, 14 * mm, width - MARGIN_X, 14 * mm)
        cover.draw_notice(canvas, width / 2, 9 * mm)
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.black)
        page_x = width - MARGIN_X if doc.page % 2 else MARGIN_X
        draw = canvas.drawRightString if doc.page % 2 else canvas.drawString
        draw(page_x, 16 * mm, str(doc.page))
        canvas.restoreState()
