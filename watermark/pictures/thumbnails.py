"""Page thumbnails for the reader, laid one under another in a sheet: one picture for many pages.

A thumbnail is about ten dots per inch: too small to read, so it carries no mark and is
the same for every reader. A sheet of `SHEET_PAGES` pages costs one request instead of twenty.
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageDraw

from watermark.pictures.image import PlainPage

THUMB_DPI = 36  # the renderer's least; each page is then shrunk into its cell (A4: 88 x 124 pixels, ~11 dpi)
CELL = (96, 144)  # each page's place in the sheet, in pixels; the page fits inside its margins
MARGIN = 4
SHEET_PAGES = 20
BACKGROUND = (246, 248, 250)  # the reader's background (pustaka.css --bg): the gaps between pages


def contact_sheet(pages: Sequence[PlainPage]) -> Image.Image:
    """Return the pages shrunk to fit their cells, one cell under the other, each centred."""
    width, height = CELL
    sheet = Image.new("RGB", (width, height * len(pages)), BACKGROUND)
    room = (width - 2 * MARGIN, height - 2 * MARGIN)
    for row, page in enumerate(pages):
        picture = page.picture().convert("RGB")
        picture.thumbnail(room, Image.Resampling.LANCZOS)  # never enlarges a small page
        left = (width - picture.width) // 2
        top = row * height + (height - picture.height) // 2
        sheet.paste(picture, (left, top))
    return sheet


def empty_sheet(count: int) -> Image.Image:
    """Return a sheet of `count` empty cells, each an outlined blank page: for pages that cannot be drawn."""
    width, height = CELL
    sheet = Image.new("RGB", (width, height * count), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    for row in range(count):
        top = row * height
        draw.rectangle(
            (MARGIN * 2, top + MARGIN, width - MARGIN * 2, top + height - MARGIN), outline=(200, 204, 210)
        )
    return sheet
