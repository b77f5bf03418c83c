"""Skew of a scanned page: the angle by which its text lines are turned."""

from __future__ import annotations

import math

import numpy as np

MAX_DEGREES = 10.0
WORK_SIDE = 1000  # the estimate runs on a copy about this many pixels on its long side
MAX_POINTS = 200_000
MIN_POINTS = 200  # fewer ink pixels than this: a blank page, nothing to measure


def estimate_skew(gray: np.ndarray, max_degrees: float = MAX_DEGREES) -> float:
    """Return the angle, in degrees counter-clockwise, by which a page's text lines are turned."""
    factor = max(1, max(gray.shape) // WORK_SIDE)
    height, width = (side - side % factor for side in gray.shape)
    small = gray[:height, :width].reshape(height // factor, factor, width // factor, factor)
    small = small.mean(axis=(1, 3))
    # Ink is what is clearly darker than the paper, whatever the paper's tone.
    ys, xs = np.nonzero(small < np.median(small) * 0.7)
    if ys.size < MIN_POINTS:
        return 0.0
    step = max(1, ys.size // MAX_POINTS)
    ys, xs = ys[::step].astype(np.float64), xs[::step].astype(np.float64)

    def sharpness(degrees: float) -> float:
        # Text turned counter-clockwise by a runs along y + x·tan(a) = constant: at the
        # right angle the row profile has tall peaks (lines) and empty valleys (leading).
        rows = np.rint(ys + xs * math.tan(math.radians(degrees))).astype(np.int64)
        counts = np.bincount(rows - np.min(rows))
        return float(np.dot(counts, counts))

    coarse = np.arange(-max_degrees, max_degrees + 0.25, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.5, best + 0.51, 0.05)
    return round(float(max(fine, key=sharpness)), 2)
