"""Plain page pictures packed for a disk cache, and rendered where a slow page blocks no one.

`render_packed` is what a render worker process runs (`watermark.pictures.render_worker`): it renders
one page with no mark, keeps it greyscale when it has no colour (a third of the bytes to
store, mark and encode) and, when given a path, writes it there packed, atomically.

A packed page is a short header and the raw pixels compressed with zlib at level 1: of the
formats measured it is the quickest to read back (1-7 ms for a page at 110 dpi against
3-30 ms for PNG or lossless WEBP), and zlib's checksum tells a damaged file from a good one.
"""

from __future__ import annotations

import os
import struct
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

from watermark.errors import N_, WatermarkError
from watermark.pictures.image import PlainPage, render_plain_page

MAGIC = b"PSTKPAGE"
_HEADER = struct.Struct(">8s4sII")  # magic, mode ("L" or "RGB"), width, height
_CHANNELS = {"L": 1, "RGB": 3}
MAX_PIXELS = 40_000_000  # a packed header asking for more is damaged, not a page


@dataclass(frozen=True)
class RenderedPage(PlainPage):
    """A plain page as a worker hands it back, and how many bytes it stored in the cache."""

    stored: int = 0


def render_packed(
    pdf_path: str, page_index: int, dpi: int, target: str | None, max_bytes: int | None = None
) -> RenderedPage:
    """Render a plain page, greyscale when it has no colour; store it packed at `target`."""
    picture = without_colour(render_plain_page(pdf_path, page_index, dpi=dpi))
    stored = 0
    if target is not None:
        data = pack(picture)
        if max_bytes is None or len(data) <= max_bytes:
            write_atomically(Path(target), data)
            stored = len(data)
    return RenderedPage(picture.mode, picture.width, picture.height, picture.tobytes(), stored)


def without_colour(picture: Image.Image) -> Image.Image:
    """Return the picture in greyscale if that loses nothing, else the picture itself."""
    if picture.mode != "RGB":
        return picture
    red, green, blue = picture.split()
    if ImageChops.difference(red, green).getbbox() or ImageChops.difference(green, blue).getbbox():
        return picture
    return red


def pack(picture: Image.Image) -> bytes:
    """Return a greyscale or RGB picture packed for the cache."""
    if picture.mode not in _CHANNELS:
        raise WatermarkError(N_("A %(mode)s picture cannot be kept."), code="bad_request", mode=picture.mode)
    header = _HEADER.pack(MAGIC, picture.mode.encode().ljust(4), picture.width, picture.height)
    return header + zlib.compress(picture.tobytes(), 1)


def unpack(data: bytes) -> PlainPage:
    """Return the page in a packed file's bytes, or raise WatermarkError if they are damaged."""
    try:
        magic, raw_mode, width, height = _HEADER.unpack_from(data)
        mode = raw_mode.rstrip().decode("ascii")
        if magic != MAGIC or mode not in _CHANNELS or not 0 < width * height <= MAX_PIXELS:
            raise ValueError("not a packed page")
        # Told the size, zlib inflates into one buffer, in one go, without holding the GIL.
        size = width * height * _CHANNELS[mode]
        pixels = zlib.decompress(memoryview(data)[_HEADER.size :], bufsize=size)
    except (struct.error, ValueError, UnicodeDecodeError, zlib.error) as exc:
        raise WatermarkError(
            N_("The page's file is damaged: %(detail)s"), code="damaged", detail=str(exc)
        ) from None
    if len(pixels) != size:
        raise WatermarkError(N_("The page's file is damaged: its size does not match."), code="damaged")
    return PlainPage(mode, width, height, pixels)


def write_atomically(target: Path, data: bytes) -> None:
    """Write a file whole or not at all: readers never see half of it, writers never mix."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
