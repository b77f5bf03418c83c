"""A picture in place of a page that cannot be drawn: the page's place, with the reason in words.

The reader shows pages as pictures; when one cannot be drawn (a page two hundred inches wide,
a damaged file), a picture that says so keeps the reader's layout and tells the reader why,
where an error in place of a picture would show a broken image and be asked for again.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

from watermark.marks.fonts import PRIMARY_FONT

PAPER = (236, 238, 241)
EDGE = (176, 181, 189)
INK = (55, 60, 68)


def notice_picture(lines: Sequence[str], size: tuple[int, int]) -> Image.Image:
    """Return a picture of `size` with the lines centred on it, each wrapped to the width."""
    width, height = size
    picture = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, width - 1, height - 1), outline=EDGE, width=max(1, width // 200))
    font_size = max(10, width // 30)
    font = ImageFont.truetype(str(PRIMARY_FONT), font_size)
    columns = max(12, int(width * 0.8 / (font_size * 0.55)))
    rows = [row for line in lines for row in [*textwrap.wrap(line, columns), ""]][:-1]
    line_height = int(font_size * 1.45)
    top = max(0, (height - line_height * len(rows)) // 2)
    for number, row in enumerate(rows):
        left = (width - draw.textlength(row, font=font)) / 2
        draw.text((left, top + number * line_height), row, font=font, fill=INK)
    return picture
