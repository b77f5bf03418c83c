"""Scanned demo PDFs: greyscale 300-dpi page images with skew, noise and blur, no text layer."""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from catalog_data.pdfgen import text
from catalog_data.pdfgen.tables import TABLES, fill_table
from catalog_data.records import SAMPLE_NOTICE, DemoPublication, OfficeRecord

DPI = 300
PAGE = (2480, 3508)  # A4 at 300 dpi
MARGIN = 236  # 20 mm
JPEG_QUALITY = 75
# Point sizes; at 300 dpi one point is 300/72 pixels. Body text stays >= 11 pt so that
# Tesseract reads the scan keywords.
SIZES = {"title": 30, "banner": 16, "caption": 14, "heading": 16, "body": 12, "table": 10.5, "notice": 11}
KEYWORD_SENTENCES = (
    "Catatan petugas lapangan menyebut {kw} sebagai hal yang sering dijumpai selama pencacahan.",
    "Keterangan mengenai {kw} dicatat sebagaimana disampaikan oleh responden.",
    "Beberapa responden juga menyinggung soal {kw} ketika wawancara berlangsung.",
)
# Scans show a few small tables: only row sets short enough for half a page.
SCAN_TABLES = (
    "luas",
    "penduduk",
    "sekolah",
    "padi",
    "pemerintahan",
    "palawija",
    "kendaraan",
    "jalan",
    "fasilitas_kesehatan",
    "pdrb_pengeluaran",
    "keuangan",
    "ipm",
)


@dataclass(frozen=True)
class Block:
    """One printed element of a scanned page, top to bottom."""

    kind: str  # "banner" | "title" | "caption" | "heading" | "body" | "table" | "gap"
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


def scanned_pages(pub: DemoPublication, office: OfficeRecord) -> list[list[Block]]:
    """Return what each page of the scanned edition prints, before it is drawn."""
    rng = random.Random(f"scan:{pub.key}")
    base = text.labels(pub, office)
    keywords = " ".join(KEYWORD_SENTENCES[i % 3].format(kw=kw) for i, kw in enumerate(pub.scan_keywords))
    cover = [
        Block("banner", "BADAN PUSAT STATISTIK"),
        Block("banner", office.name.upper()),
        Block("gap"),
        Block("title", pub.title),
        Block("gap"),
        Block("caption", f"Katalog: {pub.katalog_bps}"),
        Block("caption", f"Nomor Publikasi: {pub.nomor_publikasi}"),
        *([Block("caption", f"ISSN: {pub.issn}")] if pub.issn else []),
        Block("gap"),
        Block("title", str(pub.year)),
    ]
    *paragraphs, place, signer = text.foreword(pub, office)
    foreword = [
        Block("heading", "KATA PENGANTAR"),
        Block("body", paragraphs[0]),
        Block("body", keywords),
        *(Block("body", p) for p in paragraphs[1:]),
        Block("body", place),
        Block("body", signer),
    ]
    pages = [cover, foreword]
    chapters = text.CHAPTERS[pub.subject]
    for number in range(1, pub.pages - 1):
        index = min(number, len(chapters)) - 1
        title_id, _, topics = chapters[index]
        continued = " (LANJUTAN)" if number > len(chapters) else ""
        table_id = rng.choice([t for t in topics if not TABLES[t].wide] or list(SCAN_TABLES))
        t = int(base["t"])
        table = fill_table(TABLES[table_id], rng, base, text.rows_for(pub)[1], tuple(range(t - 4, t + 1)))
        page = [
            Block("heading", f"BAB {index + 1}  {title_id.upper()}{continued}"),
            Block("body", text.paragraph(rng, topics, base, 4)),
            Block("heading", table.title),
            Block("table", rows=(table.header, *table.rows)),
            Block("body", text.paragraph(rng, (table_id,), base, 2)),
            Block("body", text.paragraph(rng, topics, base, 3)),
        ]
        pages.append(page)
    if len(pages) > 2:
        pages[-1].append(Block("body", keywords))
    return pages[: pub.pages]


def render_scanned(pub: DemoPublication, office: OfficeRecord) -> bytes:
    """Render an image-only PDF: one JPEG page image per page, no text layer."""
    rng = random.Random(pub.key)
    images = [
        _age(_draw(blocks, number), rng, number)
        for number, blocks in enumerate(scanned_pages(pub, office), start=1)
    ]
    release = datetime.datetime.combine(pub.scheduled_release, datetime.time()).timetuple()
    keywords = [
        f"Katalog BPS {pub.katalog_bps}",
        f"Nomor Publikasi {pub.nomor_publikasi}",
        pub.subject,
        office.name,
        "hasil pindai",
    ]
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        "PDF",
        save_all=True,
        append_images=images[1:],
        resolution=float(DPI),
        quality=JPEG_QUALITY,
        title=pub.title,
        author=office.name,
        subject=pub.subject,
        keywords=", ".join(keywords),
        creator="Pustaka catalog_data demo scanner",
        producer="Pustaka catalog_data",
        creationDate=release,
        modDate=release,
    )
    return buffer.getvalue()


@cache
def _font(points: float) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=round(points * DPI / 72))  # type: ignore[return-value]


def _measure(line: str, font: ImageFont.FreeTypeFont) -> float:
    parts = line.split("—")
    return sum(font.getlength(p) for p in parts) + font.size * 0.8 * (len(parts) - 1)


def _text(
    draw: ImageDraw.ImageDraw,
    x: float,
    y: float,
    line: str,
    font: ImageFont.FreeTypeFont,
    align: str = "left",
    bold: int = 0,
) -> None:
    """Draw one line with its top at y; em dashes are ruled, the bundled font lacks them."""
    line = line.replace("²", "2")
    if align != "left":
        x -= _measure(line, font) / (2 if align == "center" else 1)
    parts = line.split("—")
    for index, part in enumerate(parts):
        draw.text((x, y), part, font=font, fill=25, anchor="la", stroke_width=bold, stroke_fill=25)
        x += font.getlength(part)
        if index < len(parts) - 1:
            middle = y + font.size * 0.62
            draw.line(
                (x + font.size * 0.1, middle, x + font.size * 0.7, middle),
                fill=25,
                width=max(2, int(font.size // 14)),
            )
            x += font.size * 0.8


def _wrap(line: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, current = [], ""
    for word in line.split():
        candidate = f"{current} {word}".strip()
        if current and _measure(candidate, font) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


def _draw(blocks: list[Block], number: int) -> Image.Image:
    page = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(page)
    width = PAGE[0] - 2 * MARGIN
    notice = _font(SIZES["notice"])
    _text(draw, PAGE[0] / 2, MARGIN / 2, SAMPLE_NOTICE, notice, "center")
    _text(draw, PAGE[0] / 2, PAGE[1] - MARGIN / 2 - notice.size, SAMPLE_NOTICE, notice, "center")
    _text(draw, PAGE[0] - MARGIN, PAGE[1] - MARGIN, str(number), notice, "right")
    y = MARGIN + 40
    if blocks and blocks[0].kind == "banner":
        # A printed cover: a dark band with the agency name, a frame around the rest.
        draw.rectangle((MARGIN, MARGIN, PAGE[0] - MARGIN, MARGIN + 420), fill=70)
        draw.rectangle((MARGIN, MARGIN, PAGE[0] - MARGIN, PAGE[1] - MARGIN - 60), outline=70, width=8)
    for block in blocks:
        if block.kind == "gap":
            y += 160
            continue
        if block.kind == "table":
            y = _draw_table(draw, block.rows, y, width) + 30
            continue
        font = _font(SIZES[block.kind])
        bold = 2 if block.kind in ("title", "banner", "heading") else 0
        step = int(font.size * (1.25 if bold else 1.45))
        centred = block.kind in ("title", "banner", "caption")
        for line in _wrap(block.text, font, width - 120 * centred):
            if block.kind == "banner":
                draw.text(
                    (PAGE[0] / 2, y),
                    line,
                    font=font,
                    fill=245,
                    anchor="ma",
                    stroke_width=bold,
                    stroke_fill=245,
                )
            else:
                _text(
                    draw,
                    PAGE[0] / 2 if centred else MARGIN,
                    y,
                    line,
                    font,
                    "center" if centred else "left",
                    bold,
                )
            y += step
        y += 40 if block.kind != "banner" else 60
    return page


def _draw_table(draw: ImageDraw.ImageDraw, rows: tuple[tuple[str, ...], ...], y: int, width: int) -> int:
    font = _font(SIZES["table"])
    first = int(width * 0.34)
    other = (width - first) // max(1, len(rows[0]) - 1)
    row_height = int(font.size * 1.5)
    draw.line((MARGIN, y, MARGIN + width, y), fill=30, width=4)
    header = [_wrap(cell, font, (first if i == 0 else other) - 24) for i, cell in enumerate(rows[0])]
    for column, lines in enumerate(header):
        for k, line in enumerate(lines):
            x = MARGIN + 8 if column == 0 else MARGIN + first + column * other - 12
            _text(draw, x, y + 10 + k * font.size * 1.15, line, font, "left" if column == 0 else "right")
    y += int(max(len(lines) for lines in header) * font.size * 1.15) + 24
    draw.line((MARGIN, y, MARGIN + width, y), fill=30, width=2)
    for row in rows[1:]:
        for column, cell in enumerate(row):
            if column == 0:
                _text(draw, MARGIN + 8, y + 10, cell[:30], font)
            else:
                _text(draw, MARGIN + first + column * other - 12, y + 10, cell, font, "right")
        y += row_height
    draw.line((MARGIN, y, MARGIN + width, y), fill=30, width=4)
    return y


def _age(page: Image.Image, rng: random.Random, number: int) -> Image.Image:
    """Make a clean page look scanned: paper tone, skew, binding shadow, noise, blur."""
    width, height = page.size
    paper = rng.randint(236, 248)
    page = page.point(lambda v: 22 + v * (paper - 22) // 255)
    angle = rng.uniform(0.4, 1.5) * rng.choice((-1, 1))
    page = page.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=paper)
    # The binding edge (left on odd pages, right on even ones) darkens under the scanner lid.
    shadow = Image.linear_gradient("L").rotate(90 if number % 2 else -90)
    shadow = shadow.resize((90, height)).point(lambda v: 170 + v * 85 // 255)
    left = 0 if number % 2 else width - 90
    strip = page.crop((left, 0, left + 90, height))
    page.paste(ImageChops.multiply(strip, shadow), (left, 0))
    small = (width // 16, height // 16)
    texture = Image.frombytes("L", small, rng.randbytes(small[0] * small[1]))
    texture = texture.point(lambda v: v * 12 // 255).resize(page.size, Image.Resampling.BICUBIC)
    page = ImageChops.add(page, texture, 1.0, -6)
    grain = Image.frombytes("L", page.size, rng.randbytes(width * height))
    page = ImageChops.add(page, grain.point(lambda v: v * 6 // 255), 1.0, -3)
    draw = ImageDraw.Draw(page)
    for _ in range(rng.randint(80, 260)):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.choice((1, 2, 2, 3, 4))
        draw.ellipse((x, y, x + r, y + r), fill=rng.randint(60, 170))
    return page.filter(ImageFilter.GaussianBlur(rng.uniform(0.55, 0.85)))
