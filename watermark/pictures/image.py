"""Page pictures for the in-browser reader, plain: rendered, measured and encoded for the browser.

A reader's page is drawn in three steps so the costly ones are done once: the plain render
(the same for every reader: `render_plain_page`, cached by the caller as a `PlainPage`), the
reader's mark (the same for every page of one size: `watermark.pictures.mark_overlay`, drawn
once and laid over many pages) and the encoding (`encode_jpeg`, from the marked pixels, or
`encode_picture`): the only steps paid for every picture sent.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO, Literal

import numpy as np
import numpy.typing as npt
import simplejpeg
from PIL import Image

from watermark.errors import N_, WatermarkError
from watermark.pdf.mupdf import load_pymupdf
from watermark.pdf.pixels import READER_PIXELS, zoom_within

if TYPE_CHECKING:
    import pymupdf
MAX_DPI = 300  # a screen never needs more; larger renders are a download in disguise
Format = Literal["jpeg", "webp", "png"]
MIME_TYPES: dict[str, str] = {"jpeg": "image/jpeg", "webp": "image/webp", "png": "image/png"}


def render_plain_page(pdf_path: str | os.PathLike[str], page_index: int, *, dpi: int = 110) -> Image.Image:
    """Render one page (0-based) as an RGB picture with no mark: the same for every reader."""
    _check_dpi(dpi)
    with _open_pdf(pdf_path) as document:
        if not 0 <= page_index < document.page_count:
            raise WatermarkError(
                N_("Page %(page)s does not exist: this PDF has pages 1 to %(count)s."),
                code="no_page",
                page=page_index + 1,
                count=document.page_count,
            )
        page = document[page_index]
        zoom = zoom_within(page.rect.width, page.rect.height, dpi / 72, READER_PIXELS)
        pixmap = page.get_pixmap(matrix=load_pymupdf().Matrix(zoom, zoom), alpha=False)
        return Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)


def encode_picture(picture: Image.Image, fmt: Format = "jpeg", *, quality: int = 80) -> bytes:
    """Encode a page picture for the browser (benchmarks/reader.py measured the choices)."""
    if fmt not in MIME_TYPES:
        raise WatermarkError(
            N_("Picture format not supported: %(format)s"), code="bad_request", format=repr(fmt)
        )
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


def encode_jpeg(pixels: npt.NDArray[np.uint8], *, quality: int = 80) -> bytes:
    """Encode page pixels (rows, columns, 1 or 3 channels) as a baseline JPEG for the browser.

    libjpeg-turbo through simplejpeg, straight from the array and without the GIL: Pillow
    needs a picture object first, and making one of RGB pixels is a copy (about 1 ms an A4
    page, as much again as laying the mark); its encoding is also slower (benchmarks/reader.py).
    Chroma is halved both ways (4:2:0) and the DCT is the accurate one, as Pillow encodes.
    """
    grey = pixels.shape[2] == 1
    return simplejpeg.encode_jpeg(
        np.ascontiguousarray(pixels),
        quality=quality,
        colorspace="GRAY" if grey else "RGB",
        colorsubsampling="Gray" if grey else "420",
        fastdct=False,
    )


def _memory_file() -> BinaryIO:
    """Return a new, empty read-write file that lives in memory where the system allows it."""
    if hasattr(os, "memfd_create"):
        return open(os.memfd_create("pustaka-page"), "w+b")
    return tempfile.TemporaryFile()


def page_sizes(pdf_path: str | os.PathLike[str], *, dpi: int = 110) -> list[tuple[int, int]]:
    """Return the (width, height) in pixels of every page as render_page_image draws it."""
    _check_dpi(dpi)
    matrix = load_pymupdf().Matrix

    def size(rect: pymupdf.Rect) -> tuple[int, int]:
        zoom = zoom_within(rect.width, rect.height, dpi / 72, READER_PIXELS)
        drawn = (rect * matrix(zoom, zoom)).irect
        return drawn.width, drawn.height

    with _open_pdf(pdf_path) as document:
        # The same geometry get_pixmap uses: the rotated page rectangle, scaled, rounded out.
        return [size(page.rect) for page in document]


def _check_dpi(dpi: int) -> None:
    if not 36 <= dpi <= MAX_DPI:
        raise WatermarkError(
            N_("The resolution must be 36-%(max_dpi)s dpi, not %(dpi)s."),
            code="bad_request",
            max_dpi=MAX_DPI,
            dpi=dpi,
        )


def _open_pdf(pdf_path: str | os.PathLike[str]) -> pymupdf.Document:
    """Open a PDF for reading, or raise WatermarkError saying why it cannot be."""
    try:
        document = load_pymupdf().open(pdf_path)
    except (RuntimeError, ValueError) as exc:  # pymupdf reports unreadable files so
        raise WatermarkError(
            N_("The PDF cannot be opened: %(detail)s"), code="damaged", detail=str(exc)
        ) from None
    if document.needs_pass and not document.authenticate(""):
        document.close()
        raise WatermarkError(N_("This PDF is locked with a password to open it."), code="encrypted")
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
            raise WatermarkError(
                N_("A %(mode)s picture cannot be marked."), code="bad_mark", mode=picture.mode
            )
        return cls(picture.mode, picture.width, picture.height, picture.tobytes())

    @property
    def size(self) -> tuple[int, int]:
        """Return (width, height) in pixels."""
        return self.width, self.height

    def picture(self) -> Image.Image:
        """Return a new picture of the page."""
        return Image.frombytes(self.mode, self.size, self.pixels)
