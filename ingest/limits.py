"""How much one source may ask of the machine before it is refused."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Ceilings checked before any real work on a source."""

    max_bytes: int = 1024 * 2**20  # per source file
    max_pages: int = 5000
    # Per page image as decoded (decompression-bomb guard); also caps the size a page is
    # rendered at for OCR, which then drops below 300 dpi rather than refusing the page.
    max_pixels: int = 300_000_000
