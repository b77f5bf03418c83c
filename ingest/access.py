"""The access copy of a scan: each page turned straight, at 200 dpi, JPEG, its words still selectable.

The master stays as it came in; readers and stamped copies are drawn from this lighter file.
A page is rendered once, turned by its measured skew as MuPDF draws it (one resampling of
the scan), cut back to the page's own size about its centre, and encoded: grey JPEG where
the page is grey, colour JPEG where it is in colour, 1-bit where the scan was black and
white. The OCR words are moved with the picture, so a selection covers the word as shown.
Pages are written one at a time (ingest.pdfwriter): memory holds one page, whatever the count.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from ingest.deskew import WORK_SIDE, estimate_skew
from ingest.errors import IngestError
from ingest.pdffile import mupdf_errors, open_pdf
from ingest.pdfwriter import PageImage, PicturePdf
from ingest.textlayer import FONT, word_operators
from ingest.words import Word
from watermark.pdf.mupdf import load_pymupdf

if TYPE_CHECKING:
    import pymupdf
else:
    pymupdf = load_pymupdf()  # without its add-ons (watermark/pdf/mupdf.py)

MARKER_KEY = "PustakaAccessCopy"  # in the document info: this file is a finished access copy
MARKER_VERSION = "1"
DPI = 200  # readable small print on screen and paper, a third of the pixels of 300 dpi
LOW_DPI = 150  # for the rare page whose picture passes the budget at DPI
QUALITIES = (60, 45)  # JPEG qualities tried in turn, at DPI then LOW_DPI, until a page fits
PAGE_BUDGET = 280_000  # bytes of picture per page: the copy stays under 300 KB a page
MAX_PIXELS = 40_000_000  # a poster-sized page is drawn below DPI rather than in gigabytes
PICTURE_SHARE = 0.6  # a page is a picture page when images cover this much of it
OPTIMISE_PIXELS = 16_000_000  # larger pages are encoded without optimised Huffman tables
COLOUR_SHARE = 0.002  # share of clearly coloured pixels that makes a page a colour page
COLOUR_SPREAD = 40  # max - min of a pixel's channels above which it is coloured
INFO_KEYS = {"title": "Title", "author": "Author", "subject": "Subject", "keywords": "Keywords"}


@dataclass(frozen=True)
class AccessPage:
    """How one page of an access copy was made."""

    number: int
    skew_degrees: float
    kind: str
    dpi: int
    picture_bytes: int


def is_access_copy(path: Path) -> bool:
    """Tell whether a PDF is an access copy built by this module (its version or later)."""
    try:
        with open_pdf(path) as doc:
            kind, value = doc.xref_get_key(-1, f"Info/{MARKER_KEY}")
    except Exception:  # noqa: BLE001 - a file that cannot be read is not a finished copy
        return False
    return kind == "string" and value.isdigit() and int(value) >= int(MARKER_VERSION)


def is_scan(path: Path) -> bool:
    """Tell whether every page of a PDF is a picture (a scan): only those are redrawn."""
    with open_pdf(path) as doc:
        return all(_picture_share(page) >= PICTURE_SHARE for page in doc)


def build_access_copy(
    source: Path,
    target: Path,
    words: Mapping[int, Sequence[Word]] | None = None,
    skews: Mapping[int, float] | None = None,
) -> list[AccessPage]:
    """Write target, the access copy of the scanned PDF source; return how each page was made.

    `words` (by page number, in the source page's unrotated space) are laid over the pages;
    a page without an entry keeps the words of the source's own text layer. `skews` are
    angles already measured (by OCR); other pages are measured here.
    """
    words = words or {}
    skews = skews or {}
    made = []
    with open_pdf(source) as doc, PicturePdf(target, _info(doc)) as out:
        for index in range(doc.page_count):
            number = index + 1
            try:
                page = doc.load_page(index)
                page_words = words[number] if number in words else _layer_words(page)
                made.append(_add_page(out, page, number, page_words, skews.get(number)))
                del page
                # MuPDF keeps what it read of each page (a scan's picture: megabytes) until
                # told to let go: without this, memory grows with the page count.
                pymupdf.TOOLS.store_shrink(100)
            except mupdf_errors() as exc:
                raise _failed(number, exc) from None
    return made


def _add_page(
    out: PicturePdf, page: pymupdf.Page, number: int, words: Sequence[Word], skew: float | None
) -> AccessPage:
    """Draw one page straight, encode it within the budget and write it with its words."""
    small = _small_rendering(page)
    angle = skew if skew is not None else estimate_skew(small.mean(axis=2))
    kind = "bilevel" if _bilevel(page) else "jpeg-rgb" if _coloured(small) else "jpeg-gray"
    image, to_page, dpi = _within_budget(page, angle, kind)
    width, height = page.rect.width, page.rect.height
    boxes = []
    for word in words:
        box = pymupdf.Rect(word.x0, word.y0, word.x1, word.y1) * page.rotation_matrix
        # The box moves with its centre and keeps its size, as the OCR placed it.
        centre = (box.tl + box.br) / 2 * to_page
        boxes.append(
            (
                word.text,
                pymupdf.Rect(centre, centre)
                + (-box.width / 2, -box.height / 2, box.width / 2, box.height / 2),
            )
        )
    overlay = word_operators(boxes, pymupdf.Matrix(1, 0, 0, -1, 0, height), _font())
    out.add_page(width, height, image, overlay)
    return AccessPage(number, angle, kind, dpi, len(image.data))


def _within_budget(page: pymupdf.Page, angle: float, kind: str) -> tuple[PageImage, pymupdf.Matrix, int]:
    """Return the page's picture at the first resolution and quality that fits the budget."""
    for dpi in (DPI, LOW_DPI):
        pixels, to_page = _straight(page, angle, dpi, rgb=kind == "jpeg-rgb")
        for quality in QUALITIES:
            image = _encode(pixels, kind, quality)
            if len(image.data) <= PAGE_BUDGET:
                return image, to_page, dpi
        del pixels  # before the next rendering: a poster's is 120 MB
    return image, to_page, dpi  # a page of pure detail: the smallest of the tries


def _straight(page: pymupdf.Page, angle: float, dpi: int, rgb: bool) -> tuple[np.ndarray, pymupdf.Matrix]:
    """Render the page turned by -angle about its centre, at the page's own size in pixels.

    Returns the pixels and the map from a point of the page as shown to the straight page.
    """
    rect = page.rect
    zoom = min(dpi / 72, (MAX_PIXELS / max(rect.width * rect.height, 1)) ** 0.5)
    matrix = pymupdf.Matrix(zoom, zoom).prerotate(angle)
    space = pymupdf.csRGB if rgb else pymupdf.csGRAY
    pixmap = page.get_pixmap(matrix=matrix, colorspace=space, alpha=False)
    pymupdf.TOOLS.store_shrink(100)  # the page's images as decoded: drawn, not needed again
    channels = pixmap.n
    # A view of MuPDF's own buffer (`samples` would copy it: 120 MB more at 40 Mpx in colour).
    rows = np.frombuffer(pixmap.samples_mv, np.uint8).reshape(pixmap.height, pixmap.stride)
    full = rows[:, : pixmap.width * channels].reshape(pixmap.height, pixmap.width, channels)
    width, height = max(1, round(rect.width * zoom)), max(1, round(rect.height * zoom))
    centre = (rect.tl + rect.br) / 2 * matrix
    left, top = round(centre.x - pixmap.x - width / 2), round(centre.y - pixmap.y - height / 2)
    # The turned page's bounding box holds the page's size about its centre; white where it does not.
    pixels = np.full((height, width, channels), 255, np.uint8)
    src = full[max(top, 0) : top + height, max(left, 0) : left + width]
    pixels[max(-top, 0) : max(-top, 0) + src.shape[0], max(-left, 0) : max(-left, 0) + src.shape[1]] = src
    to_page = matrix * pymupdf.Matrix(1, 0, 0, 1, -pixmap.x - left, -pixmap.y - top)
    to_page = to_page * pymupdf.Matrix(rect.width / width, rect.height / height)
    return pixels, to_page


def _encode(pixels: np.ndarray, kind: str, quality: int) -> PageImage:
    """Encode a page's pixels as the kind asks."""
    height, width = pixels.shape[:2]
    if kind == "bilevel":
        bits = np.packbits(pixels[:, :, 0] >= 128, axis=1)  # rows padded to whole bytes, 1 = white
        return PageImage("bilevel", bits.tobytes(), width, height)
    if kind == "jpeg-gray":
        picture = Image.fromarray(_whiten(pixels[:, :, 0]), "L")
    else:
        picture = Image.fromarray(pixels, "RGB")
    buffer = io.BytesIO()
    # Optimised Huffman tables hold every coefficient of the page in memory (240 MB for a
    # 40 Mpx colour poster): only for pages of ordinary size, where they save a few per cent.
    picture.save(buffer, "JPEG", quality=quality, optimize=width * height <= OPTIMISE_PIXELS)
    return PageImage(kind, buffer.getvalue(), width, height)  # type: ignore[arg-type]


def _whiten(gray: np.ndarray) -> np.ndarray:
    """Lift a grey scan's paper tone to white: cleaner pages, and fewer bytes of paper grain."""
    paper = float(np.percentile(gray[::8, ::8], 90))
    if not 170 <= paper < 250:  # a dark page (a photograph), or paper already white
        return gray
    table = np.clip(np.arange(256) * 255.0 / (paper - 6), 0, 255).astype(np.uint8)
    return table[gray]


@functools.cache
def _font() -> pymupdf.Font:
    """Return the font the invisible words are measured with."""
    return pymupdf.Font(FONT)


def _small_rendering(page: pymupdf.Page) -> np.ndarray:
    """Return a small RGB rendering of the page (about WORK_SIDE pixels on its long side)."""
    zoom = WORK_SIDE / max(page.rect.width, page.rect.height, 1)
    pixmap = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB, alpha=False)
    rows = np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.stride)
    return rows[:, : pixmap.width * 3].reshape(pixmap.height, pixmap.width, 3)


def _coloured(small: np.ndarray) -> bool:
    """Tell whether a page holds colour (not only greys)."""
    spread = small.max(axis=2).astype(np.int16) - small.min(axis=2)
    return float(np.mean(spread > COLOUR_SPREAD)) > COLOUR_SHARE


def _bilevel(page: pymupdf.Page) -> bool:
    """Tell whether the page's pictures are all black and white (1 bit per pixel)."""
    images = page.get_images(full=True)
    return bool(images) and all(image[4] == 1 for image in images)


def _picture_share(page: pymupdf.Page) -> float:
    """Return the share of the page that its images cover."""
    area = page.rect.get_area()
    if area <= 0:
        return 0.0
    covered = sum((pymupdf.Rect(info["bbox"]) & page.rect).get_area() for info in page.get_image_info())
    return min(1.0, covered / area)


def _layer_words(page: pymupdf.Page) -> list[Word]:
    """Return the words of the page's own text layer, in its unrotated space."""
    return [Word(w[4], w[0], w[1], w[2], w[3]) for w in page.get_text("words")]


def _info(doc: pymupdf.Document) -> dict[str, str]:
    """Return the document info of the copy: the source's descriptive fields and the marker."""
    metadata = doc.metadata or {}
    info = {key: metadata[name] for name, key in INFO_KEYS.items() if metadata.get(name)}
    return {**info, "Producer": "Pustaka", MARKER_KEY: MARKER_VERSION}


def _failed(number: int, exc: Exception) -> IngestError:
    return IngestError(
        f"The access copy could not be made: page {number} cannot be drawn ({exc}).",
        code="damaged",
        page=number,
    )
