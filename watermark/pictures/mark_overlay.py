"""The reader's mark over page pictures: drawn once for a picture size, laid over any page of it.

A `ReaderMark` holds faint diagonal copies of the mark and a footer band (`reader_mark` draws
them); laying it over a plain page (`watermark.pictures.image.PlainPage`) puts the band on the
page's lowest blank strip, or below the page when it has none, so the band never hides what
the page printed. `render_page_image` renders, marks and encodes one page in a single call.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from watermark.errors import N_, WatermarkError
from watermark.ink.room import PAPER_FLOOR, PAPER_MARGIN, bright_tenth
from watermark.marks.diagonal_layout import diagonal_opacity
from watermark.marks.fonts import choose_faces
from watermark.marks.lettering import draw_runs as _draw_runs
from watermark.marks.lettering import length as _length
from watermark.marks.mark import NOTICE, stamp_text
from watermark.marks.tile_code import code_tile, lay_code
from watermark.pictures.image import MIME_TYPES, Format, PlainPage, encode_picture, render_plain_page

SHADE = 90  # the grey of the diagonal copies, at the opacity their mask gives
BAND_OPACITY = 215
BAND_CLEARANCE = 3  # blank pixel rows kept between the band and the page's ink
BLOCK = 4  # pixels a side of the blocks ink is judged on: about the PDF stamp's 2-point cells
FOOT_ROWS = 128  # rows at a page's foot looked at first for the band's blank strip


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
        raise WatermarkError(
            N_("Picture format not supported: %(format)s"), code="bad_request", format=repr(fmt)
        )
    picture = draw_reader_mark(render_plain_page(pdf_path, page_index, dpi=dpi), mark_text)
    return encode_picture(picture, fmt, quality=quality)


@dataclass(frozen=True, eq=False)
class ReaderMark:
    """One reader's mark drawn once for one picture size, to lay over any page of that size.

    The diagonal copies touch a few per cent of the pixels: the mark keeps just those (their
    place and opacity), and the footer band, so laying it over a page costs a few milliseconds
    (benchmarks/reader.py measures it).
    """

    size: tuple[int, int]
    shade_at: npt.NDArray[np.intp]  # the pixels (flat index) the diagonal copies touch
    shade: npt.NDArray[np.uint8]  # the opacity of the copies there, 1-255, once for each channel of RGB
    band_top: int  # where the band sits on a page blank at its foot
    band: npt.NDArray[np.uint8]  # (rows, columns, 3): the footer band, white with the text in black
    band_opacity: npt.NDArray[np.uint8]  # (rows, columns, 3): its opacity, the same in each channel
    code: npt.NDArray[np.uint8] | None = None  # the reading id's invisible tile (watermark.marks.tile_code)

    @property
    def nbytes(self) -> int:
        """Return the memory the mark holds, in bytes."""
        arrays = (self.shade_at, self.shade, self.band, self.band_opacity, self.code)
        return sum(a.nbytes for a in arrays if a is not None)

    def apply(self, page: PlainPage | Image.Image) -> Image.Image:
        """Return a new picture of the page with the mark laid over it (see `lay`)."""
        if isinstance(page, Image.Image):
            page = PlainPage.of(page)
        grid = self.lay(page)
        size = (page.width, grid.shape[0])
        return Image.frombuffer(page.mode, size, grid.reshape(-1), "raw", page.mode, 0, 1)

    def lay(self, page: PlainPage) -> npt.NDArray[np.uint8]:
        """Return the pixels (rows, columns, channels) of the page with the mark laid over them.

        The footer band goes on the lowest blank strip of the page; a page with none gets
        the band added below it (the picture grows by the band's height): the band never
        hides what the page printed. Each step is a whole-array numpy operation on contiguous
        memory (a short inner axis broadcast or reduced was 10-30x slower), and the result
        goes to the encoder as it is (`encode_jpeg`): no picture object is made of it.
        """
        if page.size != self.size:
            raise WatermarkError(
                N_("The mark was made for a picture of %(made_for)s pixels, not %(size)s."),
                code="bad_mark",
                made_for="%s x %s" % self.size,
                size="%s x %s" % page.size,
            )
        printed = np.frombuffer(page.pixels, dtype=np.uint8).reshape(page.height, page.width, -1)
        top = self.band_place(printed)  # measured on the page as printed, before anything shades it
        if self.code is not None:  # the code is laid as the page is copied to draw on
            grid = lay_code(printed, self.code, out=np.empty_like(printed))
        else:
            grid = printed.copy()
        if page.mode == "RGB":  # a touched pixel's three bytes taken and put back as one item
            pixels, shade = grid.reshape(-1).view("V3"), self.shade
            band, opacity = self.band, self.band_opacity
        else:  # the mark is grey all through: one byte of three is the grey page's byte
            pixels, shade = grid.reshape(-1), self.shade[::3]
            band, opacity = self.band[..., :1], self.band_opacity[..., :1]
        under = np.take(pixels, self.shade_at).view(np.uint8)
        np.put(pixels, self.shade_at, _blend(under, SHADE, shade).view(pixels.dtype))
        rows, columns = self.band.shape[:2]
        if top is None:
            grown = np.full((page.height + rows, page.width, grid.shape[2]), 255, dtype=np.uint8)
            grown[: page.height] = grid
            grid, top = grown, page.height
        strip = grid[top : top + rows, :columns]
        strip[...] = _blend(strip, band, opacity)
        return grid

    def band_place(self, grid: npt.NDArray[np.uint8]) -> int | None:
        """Return the top row of the lowest blank strip the band fits on, or None if there is none.

        The rows are judged from the page's foot up, FOOT_ROWS at a time, only until a strip is
        found: the answer is the one the whole page gives (the paper's shade is measured on all
        of it), at a fraction of the cost on most pages.
        """
        height = grid.shape[0]
        rows, columns = self.band.shape[:2]
        area = grid[:, :columns]
        paper = _paper_shade(area)
        # Blank rows kept above the band, and below it unless it sits on the picture's edge.
        clear = BAND_CLEARANCE
        need = rows + 2 * clear
        inked = np.zeros(clear, dtype=bool)
        end = height
        while end > 0:
            start = max(0, end - FOOT_ROWS) // BLOCK * BLOCK  # blocks stay aligned to the page's top
            inked = np.concatenate((_inked_rows(area[start:end], paper), inked))
            end = start
            if len(inked) >= need:
                counts = np.concatenate(([0], np.cumsum(inked, dtype=np.int32)))
                starts = np.flatnonzero(counts[need:] == counts[:-need])
                if starts.size:  # the lowest strip so far is the lowest on the page
                    return min(height - rows, start + int(starts[-1]) + clear)
        return None


def _paper_shade(area: npt.NDArray[np.uint8]) -> int:
    """Return the grey level a page's blank paper is at least (each pixel's darkest channel)."""
    sample = area[::16, ::16]
    darkest = sample[..., 0]
    for channel in range(1, sample.shape[2]):
        darkest = np.minimum(darkest, sample[..., channel])
    return max(PAPER_FLOOR, bright_tenth(darkest))


def _inked_rows(area: npt.NDArray[np.uint8], paper: int) -> npt.NDArray[np.bool_]:
    """Return which pixel rows of a page picture (rows, columns, channels) hold ink.

    Ink is judged on blocks of BLOCK x BLOCK pixels, each channel's darkest: a scan's specks of
    dust fade into their block, while a hairline still darkens the blocks it crosses. (Each
    step is a whole-array operation on contiguous rows: numpy's reductions over a short inner
    axis, `min(axis=2)` on RGB, were 20x slower.)
    """
    height, width, channels = area.shape
    darkest = area[..., 0]
    for channel in range(1, channels):
        darkest = np.minimum(darkest, area[..., channel])
    tall, wide = -(-height // BLOCK) * BLOCK, -(-width // BLOCK) * BLOCK
    padded = np.full((tall, wide), 255, dtype=np.uint16)
    padded[:height, :width] = darkest
    across = padded.reshape(tall // BLOCK, BLOCK, wide).sum(axis=1, dtype=np.uint16)
    blocks = sum(across[:, k::BLOCK] for k in range(1, BLOCK)) + across[:, 0::BLOCK]
    inked = (blocks < (paper - PAPER_MARGIN) * BLOCK * BLOCK).any(axis=1)
    return np.repeat(inked, BLOCK)[:height]


def _blend(
    under: npt.NDArray[np.uint8], over: int | npt.NDArray[np.uint8], opacity: npt.NDArray[np.uint8]
) -> npt.NDArray[np.uint8]:
    """Return `over` laid on `under` with the given opacity (0-255), rounded as Pillow does."""
    weight = opacity.astype(np.uint16)  # 255 * 255 + 127 fits in 16 bits
    mixed = under * (255 - weight)
    mixed += np.asarray(over, dtype=np.uint16) * weight + 127
    # x // 255 for x <= 65152, without a division: (x + 1 + (x >> 8)) >> 8
    mixed += (mixed >> 8) + 1
    mixed >>= 8
    return mixed.astype(np.uint8)


def reader_mark(
    mark_text: str, size: tuple[int, int], diagonal_text: str = "", reading_id: str = ""
) -> ReaderMark:
    """Draw a reader's mark for pictures of one size: faint diagonal copies and a footer band.

    The diagonal copies repeat `diagonal_text` (short, so a crop keeps a whole copy), else the
    footer's. A `reading_id` is also tiled over the picture as an invisible code (any crop of
    a table-sized piece carries it whole).
    """
    text = stamp_text(mark_text)
    if not text:
        raise WatermarkError(N_("The reader's mark has no text."), code="bad_mark")
    diagonal = stamp_text(diagonal_text) or text
    width, height = size
    faces = choose_faces(text + diagonal)
    diagonals = diagonal_opacity(size, diagonal, faces)
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
    shade = np.repeat(opacity[touched], 3)
    strip = np.asarray(band)
    # The band is as wide as its text: the rest of the row stays as the page printed it.
    written = np.flatnonzero((strip[..., :3] < 255).any(axis=(0, 2)))
    columns = min(width, int(written[-1]) + 1 + footer_size // 2) if written.size else 1
    strip = strip[:, :columns]
    code = code_tile(reading_id) if reading_id else None
    band_opacity = np.repeat(strip[..., 3:], 3, axis=2)
    return ReaderMark(
        size, touched.astype(np.intp), shade, band_top, strip[..., :3].copy(), band_opacity, code
    )


def draw_reader_mark(picture: Image.Image, mark_text: str) -> Image.Image:
    """Return a new picture with faint diagonal copies of the mark and a footer band drawn on it."""
    return reader_mark(mark_text, picture.size).apply(picture)
