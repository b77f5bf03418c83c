"""Lines of stamp text set in the stamp's faces, as Pillow draws them on a page picture."""

from __future__ import annotations

import io
import threading
from functools import lru_cache

from PIL import ImageDraw, ImageFont

from watermark.marks.fonts import Face


def font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    """Return a face at a size in pixels, for this thread."""
    # A FreeType face must not be used by two threads at once: cache per thread.
    return _thread_font(face, size, threading.get_ident())


@lru_cache(maxsize=128)
def _thread_font(face: Face, size: int, thread: int) -> ImageFont.FreeTypeFont:
    source = face.source if isinstance(face.source, str) else io.BytesIO(face.source)
    return ImageFont.truetype(source, size)


def runs(text: str, faces: list[Face]) -> list[tuple[Face, str]]:
    """Split text into runs set in the first face that has each character."""
    found: list[tuple[Face, str]] = []
    for ch in text:
        face = next((f for f in faces if f.covers(ch)), faces[0])
        if found and (found[-1][0] is face or ch == " "):
            found[-1] = (found[-1][0], found[-1][1] + ch)
        else:
            found.append((face, ch))
    return found


def length(text: str, faces: list[Face], size: int) -> float:
    """Return how wide a line of text is drawn, in pixels."""
    return sum(font(face, size).getlength(run) for face, run in runs(text, faces))


def draw_runs(
    draw: ImageDraw.ImageDraw,
    origin: tuple[int, int],
    text: str,
    faces: list[Face],
    size: int,
    fill: int | tuple[int, int, int, int],
) -> None:
    """Draw a line of text from its top left, each run in its face."""
    x, y = origin
    for face, run in runs(text, faces):
        setting = font(face, size)
        draw.text((x, y), run, font=setting, fill=fill)
        x += round(setting.getlength(run))
