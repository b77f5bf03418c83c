"""The fingerprint's dots as a stamp draws them: where they go and which a copy carries, without NumPy.

`watermark.marks.fingerprint` explains the code and reads it back from pictures (with NumPy);
this module is what stamping needs of it. Places, probabilities and codewords are drawn by
`watermark.marks.pcg`, which gives NumPy's draws for the same seeds: a trace rebuilds them
with either.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from functools import lru_cache
from itertools import compress

from watermark.marks.pcg import Generator

BITS = 2048  # positions per page: enough to name one of two or three colluders (benchmarks/collusion.py)
GRID = (32, 64)  # columns and rows of the jittered grid (64 x 32 = BITS)
CUTOFF = 0.01  # p_i stays within [CUTOFF, 1 - CUTOFF]: bounds each term of a score
DOT_POINTS = 0.9  # side of a dot, in points (about 2 pixels at 150 dpi)
DOT_GRAY = 0.9  # a dot over white paper: 10 % darker


@lru_cache(maxsize=8)
def layout(secret: bytes) -> tuple[tuple[tuple[float, float], ...], tuple[float, ...]]:
    """Return (places, probabilities): each dot's (x, y), 0-1 from the page's bottom left, and its p_i."""
    draws = Generator(seed(secret, b"fingerprint-layout"))
    columns, rows = GRID
    jitter = draws.uniform(0.2, 0.8, 2 * BITS)  # away from the cell's edges: dots never touch
    places = tuple(
        ((k % columns + jitter[2 * k]) / columns, (k // columns + jitter[2 * k + 1]) / rows)
        for k in range(BITS)
    )
    low = math.asin(math.sqrt(CUTOFF))
    angles = draws.uniform(low, math.pi / 2 - low, BITS)
    return places, tuple(math.sin(angle) ** 2 for angle in angles)


def codeword(secret: bytes, delivery_id: str) -> list[bool]:
    """Return the copy's codeword: BITS positions, each 1 with its position's probability."""
    draws = Generator(seed(secret, b"fingerprint-copy:" + delivery_id.encode()))
    return [drawn < p for drawn, p in zip(draws.random(BITS), layout(secret)[1], strict=True)]


def dots_content(secret: bytes, delivery_id: str, width: float, height: float, state: str) -> bytes:
    """Return content-stream operators drawing the copy's dots on a page of `width` x `height` points.

    `state` names an ExtGState with the Multiply blend mode in the page's resources.
    """
    carried = compress(_squares(secret, width, height), codeword(secret, delivery_id))
    # Drawn in hundredths of a point from half a dot below and left of the page's corner, so each
    # square's corner is a place's own whole, positive numbers: they format in a third of the
    # time two decimals do, and compress smaller.
    start = b"0.01 0 0 0.01 %g %g cm" % (-DOT_POINTS / 2, -DOT_POINTS / 2)
    return b"q /%s gs %g g %s %s f Q\n" % (state.encode(), DOT_GRAY, start, b" ".join(carried))


@lru_cache(maxsize=8)
def _squares(secret: bytes, width: float, height: float) -> tuple[bytes, ...]:
    """Return every place's dot on a page of this size, in hundredths of a point: made once a page size."""
    wide, tall = width * 100, height * 100
    square = b"%%d %%d %d %d re" % (round(DOT_POINTS * 100), round(DOT_POINTS * 100))
    # A place is inside the page (above 0): %d cuts a positive number down, so half is added first.
    return tuple(square % (x * wide + 0.5, y * tall + 0.5) for x, y in layout(secret)[0])


def seed(secret: bytes, label: bytes) -> int:
    """Return the seed of one of the site's draws: an HMAC of `label` under its secret."""
    return int.from_bytes(hmac.new(secret, label, hashlib.sha256).digest(), "big")
