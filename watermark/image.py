"""Page pictures for the in-browser reader, each carrying the reader's mark.

A reader's page is drawn in three steps so the costly ones are done once: the plain render
(the same for every reader: `render_plain_page`, cached by the caller), the reader's mark
(the same for every page of one size: `ReaderMark`, drawn once and laid over many pages)
and the encoding (`encode_picture`, the only step paid for every picture sent).
"""

from __future__ import annotations

import io
import math
import os
import tempfile
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, BinaryIO, Literal

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageChops, ImageDraw, ImageFont

from watermark.errors import WatermarkError
from watermark.fonts import Face, choose_faces
from watermark.mark import NOTICE, stamp_text
from watermark.mupdf import load_pymupdf
from watermark.room import PAPER_FLOOR, PAPER_MARGIN, bright_tenth

if TYPE_CHECKING:
    import pymupdf
MAX_DPI = 300  # a screen never needs more; larger renders are a download in disguise
Format = Literal["jpeg", "webp", "png"]
MIME_TYPES: dict[str, str] = {"jpeg": "image/jpeg", "webp": "image/webp", "png": "image/png"}
SHADE = 90  # the grey of the diagonal copies, at the opacity their mask gives
SHADE_OPACITY = 40
BAND_OPACITY = 215
BAND_CLEARANCE = 3  # blank pixel rows kept between the band and the page's ink
BLOCK = 4  # pixels a side of the blocks ink is judged on: about the PDF stamp's 2-point cells


def render_page_image(
    pdf_path: str | os.PathLike[str],
    page_index: int,
    mark_text: str,
    *,
    dpi: int = 110,
    fmt: Format = "webp",
    quality: int = 80,
) -> bytes:
    """Render one page (0-based) at screen resolution with the reader's mark drawn on it."""
    if fmt not in MIME_TYPES:
        raise WatermarkError(f"Format gambar tidak didukung: {fmt!r}", code="bad_request")
    picture = draw_reader_mark(render_plain_page(pdf_path, page_index, dpi=dpi), mark_text)
    return encode_picture(picture, fmt, quality=quality)


def render_plain_page(pdf_path: str | os.PathLike[str], page_index: int, *, dpi: int = 110) -> Image.Image:
    """Render one page (0-based) as an RGB picture with no mark: the same for every reader."""
    _check_dpi(dpi)
    with _open_pdf(pdf_path) as document:
        if not 0 <= page_index < document.page_count:
            raise WatermarkError(
                f"Halaman {page_index + 1} tidak ada (PDF ini {document.page_count} halaman).",
                code="no_page",
            )
        pixmap = document[page_index].get_pixmap(dpi=dpi, alpha=False)
        return Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)


def encode_picture(picture: Image.Image, fmt: Format = "jpeg", *, quality: int = 80) -> bytes:
    """Encode a page picture for the browser (benchmarks/reader.py measured the choices)."""
    if fmt not in MIME_TYPES:
        raise WatermarkError(f"Format gambar tidak didukung: {fmt!r}", code="bad_request")
    # Pillow lets other threads run while it encodes into a real file, but not into BytesIO:
    # an in-memory file keeps the other readers' requests going meanwhile.
    with _memory_file() as out:
        if fmt == "jpeg":
            # Baseline JPEG: the quickest to make by far; progressive or optimized cost 2-4x for ~8 %.
            picture.save(out, format="JPEG", quality=quality)
        elif fmt == "webp":
            picture.save(out, format="WEBP", quality=quality, method=4)
        else:
            picture.save(out, format="PNG", optimize=False)
        out.seek(0)
        return out.read()


def _memory_file() -> BinaryIO:
    """Return a new, empty read-write file that lives in memory where the system allows it."""
    if hasattr(os, "memfd_create"):
        return open(os.memfd_create("pustaka-page"), "w+b")
    return tempfile.TemporaryFile()


def page_sizes(pdf_path: str | os.PathLike[str], *, dpi: int = 110) -> list[tuple[int, int]]:
    """Return the (width, height) in pixels of every page as render_page_image draws it."""
    _check_dpi(dpi)
    zoom = load_pymupdf().Matrix(dpi / 72, dpi / 72)
    with _open_pdf(pdf_path) as document:
        # The same geometry get_pixmap uses: the rotated page rectangle, scaled, rounded out.
        return [(r.width, r.height) for r in ((page.rect * zoom).irect for page in document)]


def _check_dpi(dpi: int) -> None:
    if not 36 <= dpi <= MAX_DPI:
        raise WatermarkError(f"Resolusi harus 36-{MAX_DPI} dpi, bukan {dpi}.", code="bad_request")


def _open_pdf(pdf_path: str | os.PathLike[str]) -> pymupdf.Document:
    """Open a PDF for reading, or raise WatermarkError saying why it cannot be."""
    try:
        document = load_pymupdf().open(pdf_path)
    except (RuntimeError, ValueError) as exc:  # pymupdf reports unreadable files so
        raise WatermarkError(f"PDF tidak dapat dibuka: {exc}", code="damaged") from None
    if document.needs_pass and not document.authenticate(""):
        document.close()
        raise WatermarkError("PDF ini dikunci kata sandi pembuka.", code="encrypted")
    return document


@dataclass(frozen=True)
class PlainPage:
    """The pixels of a page picture with no mark: greyscale ("L") or "RGB", row after row."""

    mode: str
    width: int
    height: int
    pixels: bytes

    @classmethod
    def of(cls, picture: Image.Image) -> PlainPage:
        """Return the pixels of a greyscale or RGB picture."""
        if picture.mode not in ("L", "RGB"):
            raise WatermarkError(f"Gambar {picture.mode} tidak dapat ditandai.", code="bad_mark")
        return cls(picture.mode, picture.width, picture.height, picture.tobytes())

    @property
    def size(self) -> tuple[int, int]:
        """Return (width, height) in pixels."""
        return self.width, self.height

    def picture(self) -> Image.Image:
        """Return a new picture of the page."""
        return Image.frombytes(self.mode, self.size, self.pixels)


@dataclass(frozen=True, eq=False)
class ReaderMark:
    """One reader's mark drawn once for one picture size, to lay over any page of that size.

    The diagonal copies touch a few per cent of the pixels: the mark keeps just those (their
    place and opacity), and the footer band, so laying it over a page costs a millisecond or two.
    """

    size: tuple[int, int]
    shade_at: npt.NDArray[np.int32]  # the bytes of an RGB page the diagonal copies touch
    shade: npt.NDArray[np.uint8]  # the opacity of the copies there, 1-255
    band_top: int  # where the band sits on a page blank at its foot
    band: npt.NDArray[np.uint8]  # (rows, columns, 3): the footer band, white with the text in black
    band_opacity: npt.NDArray[np.uint8]  # (rows, columns, 1)

    @property
    def nbytes(self) -> int:
        """Return the memory the mark holds, in bytes."""
        return sum(a.nbytes for a in (self.shade_at, self.shade, self.band, self.band_opacity))

    def apply(self, page: PlainPage | Image.Image) -> Image.Image:
        """Return a new picture of the page with the mark laid over it.

        The footer band goes on the lowest blank strip of the page; a page with none gets
        the band added below it (the picture grows by the band's height): the band never
        hides what the page printed.
        """
        if isinstance(page, Image.Image):
            page = PlainPage.of(page)
        if page.size != self.size:
            raise WatermarkError(
                f"Tanda dibuat untuk gambar {self.size}, bukan {page.size}.", code="bad_mark"
            )
        pixels = np.frombuffer(bytearray(page.pixels), dtype=np.uint8)  # a copy to draw on
        if page.mode == "RGB":
            at, shade, band = self.shade_at, self.shade, self.band
        else:  # the mark is grey all through: one byte of three is the grey page's byte
            at, shade, band = self.shade_at[::3] // 3, self.shade[::3], self.band[..., :1]
        grid = pixels.reshape(page.height, page.width, -1)
        top = self.band_place(grid)  # measured on the page as printed, before the copies shade it
        pixels[at] = _blend(pixels[at], SHADE, shade)
        rows, columns = self.band.shape[:2]
        if top is None:
            grown = np.full((page.height + rows, page.width, grid.shape[2]), 255, dtype=np.uint8)
            grown[: page.height] = grid
            grid, top = grown, page.height
        strip = grid[top : top + rows, :columns]
        strip[...] = _blend(strip, band, self.band_opacity)
        size = (page.width, grid.shape[0])
        return Image.frombuffer(page.mode, size, grid.reshape(-1), "raw", page.mode, 0, 1)

    def band_place(self, grid: npt.NDArray[np.uint8]) -> int | None:
        """Return the top row of the lowest blank strip the band fits on, or None if there is none."""
        height = grid.shape[0]
        rows, columns = self.band.shape[:2]
        inked = _inked_rows(grid[:, :columns])
        # Blank rows kept above the band, and below it unless it sits on the picture's edge.
        clear = BAND_CLEARANCE
        inked = np.concatenate((inked, np.zeros(clear, dtype=bool)))
        need = rows + 2 * clear
        if len(inked) < need:
            return None
        counts = np.concatenate(([0], np.cumsum(inked, dtype=np.int32)))
        starts = np.flatnonzero(counts[need:] == counts[:-need])
        return min(height - rows, int(starts[-1]) + clear) if starts.size else None


def _inked_rows(area: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Return which pixel rows of a page picture (rows, columns, channels) hold ink.

    Ink is judged on blocks of BLOCK x BLOCK pixels, each channel's darkest: a scan's specks of
    dust fade into their block, while a hairline still darkens the blocks it crosses.
    """
    height, width = area.shape[:2]
    darkest = area.min(axis=2) if area.shape[2] > 1 else area[..., 0]
    tall, wide = -(-height // BLOCK) * BLOCK, -(-width // BLOCK) * BLOCK
    padded = np.full((tall, wide), 255, dtype=np.uint8)
    padded[:height, :width] = darkest
    blocks = padded.reshape(tall // BLOCK, BLOCK, wide // BLOCK, BLOCK).sum(axis=(1, 3), dtype=np.uint16)
    paper = max(PAPER_FLOOR, bright_tenth(darkest[::16, ::16]))
    inked = (blocks < (paper - PAPER_MARGIN) * BLOCK * BLOCK).any(axis=1)
    return np.repeat(inked, BLOCK)[:height]


def _blend(
    under: npt.NDArray[np.uint8], over: int | npt.NDArray[np.uint8], opacity: npt.NDArray[np.uint8]
) -> npt.NDArray[np.uint8]:
    """Return `over` laid on `under` with the given opacity (0-255), rounded as Pillow does."""
    weight = opacity.astype(np.uint16)  # 255 * 255 fits in 16 bits
    mixed = (under * (255 - weight) + np.asarray(over, dtype=np.uint16) * weight + 127) // 255
    return mixed.astype(np.uint8)


def reader_mark(mark_text: str, size: tuple[int, int], diagonal_text: str = "") -> ReaderMark:
    """Draw a reader's mark for pictures of one size: faint diagonal copies and a footer band.

    The diagonal copies repeat `diagonal_text` (short, so a crop keeps a whole copy), else the footer's.
    """
    text = stamp_text(mark_text)
    if not text:
        raise WatermarkError("Teks tanda pembaca kosong.", code="bad_mark")
    diagonal = stamp_text(diagonal_text) or text
    width, height = size
    faces = choose_faces(text + diagonal)
    diagonals = _diagonals(size, diagonal, faces)
    footer_size = max(9, round(height / 95))
    lines = [text, NOTICE]
    line_height = round(footer_size * 1.3)
    top = height - line_height * len(lines) - footer_size // 2
    band_top = max(0, top - 2)
    band = Image.new("RGBA", (width, height - band_top), (255, 255, 255, BAND_OPACITY))
    draw = ImageDraw.Draw(band)
    for index, line in enumerate(lines):
        size_pt = footer_size if index == 0 else round(footer_size * 0.85)
        # Shrink a line that would run off the right edge (the notice on narrow pages).
        size_pt = max(
            6, min(size_pt, int(size_pt * (width - footer_size) / (_length(line, faces, size_pt) or 1)))
        )
        origin = (footer_size // 2, top - band_top + index * line_height)
        _draw_runs(draw, origin, line, faces, size_pt, (0, 0, 0, 255))
    opacity = diagonals.reshape(-1)
    touched = np.flatnonzero(opacity)
    shade_at = (touched[:, None] * 3 + np.arange(3)).reshape(-1).astype(np.int32)
    shade = np.repeat(opacity[touched], 3)
    strip = np.asarray(band)
    # The band is as wide as its text: the rest of the row stays as the page printed it.
    written = np.flatnonzero((strip[..., :3] < 255).any(axis=(0, 2)))
    columns = min(width, int(written[-1]) + 1 + footer_size // 2) if written.size else 1
    strip = strip[:, :columns]
    return ReaderMark(size, shade_at, shade, band_top, strip[..., :3].copy(), strip[..., 3:].copy())


def draw_reader_mark(picture: Image.Image, mark_text: str) -> Image.Image:
    """Return a new picture with faint diagonal copies of the mark and a footer band drawn on it."""
    return reader_mark(mark_text, picture.size).apply(picture)


def _diagonals(size: tuple[int, int], text: str, faces: list[Face]) -> npt.NDArray[np.uint8]:
    """Return the opacity of the mark tiled across a picture at the page's diagonal (a crop keeps a copy).

    Only the opacity is drawn (one byte a pixel): the copies are all one grey. Where two copies
    overlap the darker one shows; laying each copy in place (a maximum over its rectangle) costs
    a third of cropping, combining and pasting it back.
    """
    width, height = size
    size_pt = max(14, round(math.hypot(width, height) / 32))
    text_width = _length(text, faces, size_pt) or 1
    tile = Image.new("L", (round(text_width) + size_pt, round(size_pt * 1.6)), 0)
    _draw_runs(ImageDraw.Draw(tile), (size_pt // 2, size_pt // 4), text, faces, size_pt, SHADE_OPACITY)
    turned = np.asarray(_turned(tile, math.degrees(math.atan2(height, width))))
    turned_h, turned_w = turned.shape
    opacity = np.zeros((height, width), dtype=np.uint8)
    step_x = max(turned_w // 2, width // 3)
    step_y = max(turned_h // 2, height // 3)
    for y in range(-turned_h // 3, height, step_y):
        offset = (y // step_y % 2) * step_x // 2
        for x in range(-turned_w // 2 + offset, width, step_x):
            left, top = max(x, 0), max(y, 0)
            right, bottom = min(x + turned_w, width), min(y + turned_h, height)
            if right <= left or bottom <= top:
                continue
            under = opacity[top:bottom, left:right]
            np.maximum(under, turned[top - y : bottom - y, left - x : right - x], out=under)
    return opacity


def _turned(tile: Image.Image, angle: float, piece: int = 192, pad: int = 4) -> Image.Image:
    """Return the tile turned by `angle` degrees (counter-clockwise), as `rotate(expand=True)` would.

    A long line of text turned to the diagonal fills a small share of its bounding box, but a
    rotation computes every pixel of that box. Turning the line in short pieces, each laid
    where its centre falls, computes about a third of the pixels for the same picture (pieces
    overlap by `pad` and meet by their lighter pixel, so no seam shows).
    """
    full_w, full_h = tile.size
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    size = (
        math.ceil(abs(full_w * cos) + abs(full_h * sin)),
        math.ceil(abs(full_w * sin) + abs(full_h * cos)),
    )
    turned = Image.new("L", size, 0)
    for left in range(0, full_w, piece):
        start, end = max(0, left - pad), min(full_w, left + piece + pad)
        part = tile.crop((start, 0, end, full_h)).rotate(
            angle, expand=True, resample=Image.Resampling.BILINEAR
        )
        offset = (start + end) / 2 - full_w / 2  # from the tile's centre, along its line
        x = round(size[0] / 2 + offset * cos - part.width / 2)
        y = round(size[1] / 2 - offset * sin - part.height / 2)
        box = (x, y, x + part.width, y + part.height)
        turned.paste(ImageChops.lighter(turned.crop(box), part), box)
    return turned


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
    fill: int | tuple[int, int, int, int],
) -> None:
    x, y = origin
    for face, run in _runs(text, faces):
        font = _font(face, size)
        draw.text((x, y), run, font=font, fill=fill)
        x += round(font.getlength(run))
