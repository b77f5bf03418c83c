"""The pixel budget of every picture drawn from a page: a page too big for it is drawn smaller.

A PDF page may be 14,400 points square in a file of 600 bytes: drawn at 300 dpi it is 3.6
gigapixels, at the reader's 110 dpi half a gigapixel. Every render (the reader's pictures, OCR,
QR codes, ink maps, the dot pattern) asks `zoom_within` for its scale, so such a page is drawn
at a lower resolution, within its budget, instead of taking gigabytes or failing. The budgets
leave ordinary pages alone: an A4 page is 1.2 Mpx at 110 dpi and 8.7 Mpx at 300 dpi, and an A2
poster at 300 dpi is 35 Mpx. OCR's budget is `ingest.limits.OCR_PIXELS` (kept where the CLI's
start-up can read it without loading the watermark package).
"""

from __future__ import annotations

import math

READER_PIXELS = 4_000_000  # a reader's page picture, marked in the web process (A3 at 110 dpi: 2.3 Mpx)
QR_PIXELS = 16_000_000  # a page searched for QR codes while tracing
INK_PIXELS = 16_000_000  # a page measured for its ink (36 dpi: A4 is 0.1 Mpx)


def zoom_within(width: float, height: float, zoom: float, budget: int) -> float:
    """Return `zoom`, lowered if needed so a width × height page (points) has at most `budget` pixels.

    The pixel count is what get_pixmap draws: the page's sides scaled and rounded out, so the
    lowered zoom leaves a pixel of margin on each side.
    """
    if budget <= 0:
        raise ValueError("a pixel budget is a positive number of pixels")
    width, height = abs(width), abs(height)
    if (width * zoom + 1) * (height * zoom + 1) <= budget:
        return zoom
    # Solve (w z + 1)(h z + 1) = budget for z, the largest zoom within the budget.
    a, b, c = width * height, width + height, 1 - budget
    if a <= 0:
        return min(zoom, (budget - 1) / max(b, 1e-9))
    return min(zoom, (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a) * 0.999)


def dpi_within(width: float, height: float, dpi: float, budget: int) -> float:
    """Return `dpi`, lowered if needed so the page drawn at it stays within `budget` pixels."""
    return zoom_within(width, height, dpi / 72, budget) * 72
