"""Page pictures for the in-browser reader, each carrying the reader's mark."""

from __future__ import annotations

import io
import math
import os
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from PIL import Image, ImageDraw, ImageFont

from watermark.errors import WatermarkError
from watermark.fonts import Face, choose_faces
from watermark.mark import NOTICE, stamp_text

if TYPE_CHECKING:
    import pymupdf

MAX_DPI = 300  # a screen never needs more; larger renders are a download in disguise


def render_page_image(
    pdf_path: str | os.PathLike[str],
    page_index: int,
    mark_text: str,
    *,
    dpi: int = 110,
    fmt: Literal["webp", "png"] = "webp",
    quality: int = 80,
) -> bytes:
    """Render one page (0-based) at screen resolution with the reader's mark drawn on it."""
    _check_dpi(dpi)
    if fmt not in ("webp", "png"):
        raise WatermarkError(f"Format gambar tidak didukung: {fmt!r}", code="bad_request")
    with _open_pdf(pdf_path) as document:
        if not 0 <= page_index < document.page_count:
            raise WatermarkError(
                f"Halaman {page_index + 1} tidak ada (PDF ini {document.page_count} halaman).",
                code="no_page",
            )
        pixmap = document[page_index].get_pixmap(dpi=dpi, alpha=False)
        picture = Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)
    draw_reader_mark(picture, mark_text)
    out = io.BytesIO()
    if fmt == "webp":
        picture.save(out, format="WEBP", quality=quality, method=4)
    else:
        picture.save(out, format="PNG", optimize=False)
    return out.getvalue()


def page_sizes(pdf_path: str | os.PathLike[str], *, dpi: int = 110) -> list[tuple[int, int]]:
    """Return the (width, height) in pixels of every page as render_page_image draws it."""
    import pymupdf

    _check_dpi(dpi)
    zoom = pymupdf.Matrix(dpi / 72, dpi / 72)
    with _open_pdf(pdf_path) as document:
        # The same geometry get_pixmap uses: the rotated page rectangle, scaled, rounded out.
        return [(r.width, r.height) for r in ((page.rect * zoom).irect for page in document)]


def _check_dpi(dpi: int) -> None:
    if not 36 <= dpi <= MAX_DPI:
        raise WatermarkError(f"Resolusi harus 36-{MAX_DPI} dpi, bukan {dpi}.", code="bad_request")


def _open_pdf(pdf_path: str | os.PathLike[str]) -> pymupdf.Document:
    """Open a PDF for reading, or raise WatermarkError saying why it cannot be."""
    import pymupdf

    try:
        document = pymupdf.open(pdf_path)
    except (RuntimeError, ValueError) as exc:  # pymupdf reports unreadable files so
        raise WatermarkError(f"PDF tidak dapat dibuka: {exc}", code="damaged") from None
    if document.needs_pass and not document.authenticate(""):
        document.close()
        raise WatermarkError("PDF ini dikunci kata sandi pembuka.", code="encrypted")
    return document


def draw_reader_mark(picture: Image.Image, mark_text: str) -> Image.Image:
    """Draw faint diagonal copies of the mark and a footer band on an RGB picture, in place."""
    text = stamp_text(mark_text)
    if not text:
        raise WatermarkError("Teks tanda pembaca kosong.", code="bad_mark")
    width, height = picture.size
    faces = choose_faces(text)
    overlay = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    _diagonals(overlay, text, faces)
    footer_size = max(9, round(height / 95))
    band = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(band)
    lines = [text, NOTICE]
    line_height = round(footer_size * 1.3)
    top = height - line_height * len(lines) - footer_size // 2
    draw.rectangle((0, top - 2, width, height), fill=(255, 255, 255, 215))
    for index, line in enumerate(lines):
        size = footer_size if index == 0 else round(footer_size * 0.85)
        # Shrink a line that would run off the right edge (the notice on narrow pages).
        size = max(6, min(size, int(size * (width - footer_size) / (_length(line, faces, size) or 1))))
        _draw_runs(draw, (footer_size // 2, top + index * line_height), line, faces, size, (0, 0, 0, 255))
    picture.paste(
        Image.alpha_composite(Image.alpha_composite(picture.convert("RGBA"), overlay), band).convert("RGB")
    )
    return picture


def _diagonals(overlay: Image.Image, text: str, faces: list[Face]) -> None:
    """Tile the mark across the picture at the page's diagonal, so a crop keeps a copy."""
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


def _font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    # A FreeType face must not be used by two threads at once: cache per thread.
    return _thread_font(face, size, threading.get_ident())


@lru_cache(maxsize=128)
def _thread_font(face: Face, size: int, thread: int) -> ImageFont.FreeTypeFont:
    source = face.source if isinstance(face.source, str) else io.BytesIO(face.source)
    return ImageFont.truetype(source, size)


def _runs(text: str, faces: list[Face]) -> list[tuple[Face, str]]:
    """Split text into runs set in the first face that has each character."""
    runs: list[tuple[Face, str]] = []
    for ch in text:
        face = next((f for f in faces if f.covers(ch)), faces[0])
        if runs and (runs[-1][0] is face or ch == " "):
            runs[-1] = (runs[-1][0], runs[-1][1] + ch)
        else:
            runs.append((face, ch))
    return runs


def _length(text: str, faces: list[Face], size: int) -> float:
    return sum(_font(face, size).getlength(run) for face, run in _runs(text, faces))


def _draw_runs(
    draw: ImageDraw.ImageDraw,
    origin: tuple[int, int],
    text: str,
    faces: list[Face],
    size: int,
    fill: tuple[int, int, int, int],
) -> None:
    x, y = origin
    for face, run in _runs(text, faces):
        font = _font(face, size)
        draw.text((x, y), run, font=font, fill=fill)
        x += round(font.getlength(run))
