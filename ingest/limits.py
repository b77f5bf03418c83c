"""How much one source may ask of the machine before it is refused."""

from __future__ import annotations

from dataclasses import dataclass

# The most a page is rendered at for Tesseract, which needs about 10 bytes a pixel (an A4 page at
# 300 dpi is 8.7 Mpx, an A2 poster 35 Mpx). Kept here, not in watermark.pdf.pixels with the other
# budgets: importing this module must stay light (the CLI's start-up imports it).
OCR_PIXELS = 40_000_000


@dataclass(frozen=True)
class Limits:
    """Ceilings checked before any real work on a source."""

    max_bytes: int = 1024 * 2**20  # per source file
    max_pages: int = 5000
    # Per page image as decoded (decompression-bomb guard): a bigger one is refused.
    max_pixels: int = 300_000_000
    # The most a page is rendered at for OCR (the lower of this and max_pixels): a bigger page
    # is read below 300 dpi, so neither Pustaka nor Tesseract takes gigabytes on a poster.
    ocr_pixels: int = OCR_PIXELS
    # The most a page image is taken into the base PDF at: a larger PNG or TIFF frame is read a
    # strip at a time and reduced to this, as every later step draws pages at 40 Mpx at most
    # (the master keeps every pixel). MuPDF decoding a 17,000 x 17,000 colour PNG whole takes 1.8 GB.
    base_pixels: int = OCR_PIXELS
    # The most one stream other than an image may inflate to (decompression-bomb guard): a 1 MB
    # stream can inflate to 1 GiB, which every copy would carry and every reader's tool decode.
    # Content streams of the densest pages are a few MB; images are held by max_pixels instead.
    max_stream_bytes: int = 128 * 2**20
