"""The reader benchmark's baseline: a page picture the old way, before the cache (render, mark, WEBP)."""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

from PIL import Image, ImageDraw

from library.catalogue import reading
from library.catalogue.page_pictures import PagePictures
from library.filestore import FileStore
from watermark.marks.fonts import Face, choose_faces
from watermark.marks.lettering import draw_runs as _draw_runs
from watermark.marks.lettering import length as _length
from watermark.marks.mark import NOTICE, stamp_text
from watermark.pictures.image import render_plain_page


def old_draw_reader_mark(picture: Image.Image, mark_text: str) -> Image.Image:
    """Draw the mark the old way: full-page overlays drawn afresh for every page, then composited."""
    text = stamp_text(mark_text)
    width, height = picture.size
    faces = choose_faces(text)
    overlay = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    old_diagonals(overlay, text, faces)
    footer_size = max(9, round(height / 95))
    band = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(band)
    lines = [text, NOTICE]
    line_height = round(footer_size * 1.3)
    top = height - line_height * len(lines) - footer_size // 2
    draw.rectangle((0, top - 2, width, height), fill=(255, 255, 255, 215))
    for index, line in enumerate(lines):
        size = footer_size if index == 0 else round(footer_size * 0.85)
        size = max(6, min(size, int(size * (width - footer_size) / (_length(line, faces, size) or 1))))
        _draw_runs(draw, (footer_size // 2, top + index * line_height), line, faces, size, (0, 0, 0, 255))
    picture.paste(
        Image.alpha_composite(Image.alpha_composite(picture.convert("RGBA"), overlay), band).convert("RGB")
    )
    return picture


def old_diagonals(overlay: Image.Image, text: str, faces: list[Face]) -> None:
    """Tile the mark the old way: in RGBA, each copy composited over the full overlay."""
    width, height = overlay.size
    size = max(14, round(math.hypot(width, height) / 32))
    text_width = _length(text, faces, size) or 1
    tile = Image.new("RGBA", (round(text_width) + size, round(size * 1.6)), (0, 0, 0, 0))
    _draw_runs(ImageDraw.Draw(tile), (size // 2, size // 4), text, faces, size, (90, 90, 90, 40))
    turned = tile.rotate(
        math.degrees(math.atan2(height, width)), expand=True, resample=Image.Resampling.BICUBIC
    )
    step_x = max(turned.width // 2, width // 3)
    step_y = max(turned.height // 2, height // 3)
    for y in range(-turned.height // 3, height, step_y):
        offset = (y // step_y % 2) * step_x // 2
        for x in range(-turned.width // 2 + offset, width, step_x):
            overlay.alpha_composite(turned, (max(x, 0), max(y, 0)), (max(-x, 0), max(-y, 0)))


def old_page_image(pdf_path: Path, page_index: int, mark_text: str) -> bytes:
    """Return a page the old way: render, draw the mark afresh, encode WEBP at method 4."""
    picture = old_draw_reader_mark(render_plain_page(pdf_path, page_index, dpi=reading.READER_DPI), mark_text)
    out = io.BytesIO()
    picture.save(out, format="WEBP", quality=80, method=4)
    return out.getvalue()


def old_render_page(
    pictures: PagePictures,
    store: FileStore,
    copy: reading.ReadableCopy,
    page: int,
    actor: object,
    now: dt.datetime,
    place: str = "",
    session_id: str = "",  # the old path had no reading sessions
) -> bytes:
    """Stand in for reading.render_page in the old-path server (the bytes are WEBP)."""
    reading.check_page(copy, page)
    mark = reading.reader_mark_text(actor, copy.office_name, now, copy.timezone, place)  # type: ignore[arg-type]
    return old_page_image(store.path_for(copy.sha256), page - 1, mark)
