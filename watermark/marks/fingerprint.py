"""A per-copy fingerprint that still names a recipient when two or three pool their copies.

Every stamped page carries a faint pattern of dots: one place for each of `BITS` positions of
a jittered grid over the page, a dot where the copy's codeword has a 1. The codeword is a
Tardos code (Tardos 2003, with Škorić's symmetric score): position i is 1 with a probability
p_i that is the same for every copy and drawn from the arcsine law, so recipients who pool
their copies (averaging their page pictures, or taking parts from each) cannot remove the
positions where they agree, and those positions accuse them.

Codewords, probabilities and places all come from the site's secret: nobody without it can
tell which dots are which, and the trace can rebuild the codeword of any delivery from its id.

The dots are grey and laid with the Multiply blend mode: over ink they change nothing (ink
is never hidden), over paper they are a light speck of `DOT_POINTS`.

Reading: each page picture gives, at each place, how much of a dot is there (0-1, or unknown
where the page is inked); averaged over the pages, that is the pooled copy's signal y. Each
candidate's score sums, per position, y * U(1, x) + (1 - y) * U(0, x) with the symmetric
weights; an innocent's score has mean 0 and variance sum (2y - 1)^2, each term bounded by
`max_weight`, so a Bernstein bound gives the threshold for a false accusation below
`FALSE_ACCUSATION` per candidate.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from watermark.errors import N_, WatermarkError

# The code's shape and draws are `watermark.marks.dots`' (what a stamp needs, without NumPy).
from watermark.marks.dots import BITS, CUTOFF, DOT_GRAY, DOT_POINTS
from watermark.marks.dots import codeword as _codeword
from watermark.marks.dots import layout as _drawn_layout
from watermark.pdf.mupdf import load_pymupdf
from watermark.pdf.pixels import zoom_within

INKED = 0.75  # a place whose surroundings are darker than this (0-1) is on ink: not read
PAPER_SPREAD = 0.04  # nor one whose surroundings vary more than this: a letter's edge is near
FALSE_ACCUSATION = 1e-10  # chance that one given innocent's score passes the threshold
READ_DPI = 150  # pages rendered to read the dots: about 2 pixels a dot
MAX_PIXELS = 12_000_000  # a larger page is read at a lower resolution
MAX_PAGES = 12  # the first pages of a suspect copy: the dots repeat on every page

Signal = npt.NDArray[np.float64]  # per position: 0-1, or NaN where it could not be read


@lru_cache(maxsize=8)
def _layout(secret: bytes) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return (places, probabilities): the dots' places (BITS x 2, 0-1 from the bottom left) and p_i."""
    places, probabilities = _drawn_layout(secret)
    return np.array(places, dtype=np.float64), np.array(probabilities, dtype=np.float64)


def places(secret: bytes) -> npt.NDArray[np.float64]:
    """Return where the dots go: BITS rows of (x, y), each 0-1 of the page from its bottom left."""
    return _layout(secret)[0]


def codeword(secret: bytes, delivery_id: str) -> npt.NDArray[np.bool_]:
    """Return the copy's codeword: BITS positions, each 1 with its position's probability."""
    return np.array(_codeword(secret, delivery_id), dtype=bool)


def read_page(picture: npt.NDArray[np.uint8], secret: bytes, long_side: float = 842.0) -> Signal:
    """Return how much of a dot each place of a whole-page picture (greyscale rows) shows, 0-1.

    The picture may be of any resolution (`long_side`: the page's longer side in points, A4's
    by default); places on ink, or too near the edge, read as NaN.
    """
    grey = np.asarray(picture, dtype=np.float64) / 255.0
    height, width = grey.shape
    dot = DOT_POINTS / long_side * max(width, height)  # the dot's side in pixels
    spot = max(1, math.ceil(dot)) + 1  # a box that holds the whole dot wherever it falls on the pixels
    ring = 2 * spot + 1
    at = places(secret)
    columns = np.floor(at[:, 0] * width).astype(np.int64)
    rows = np.floor((1 - at[:, 1]) * height).astype(np.int64)
    inside = (columns - ring >= 0) & (rows - ring >= 0) & (columns + ring < width) & (rows + ring < height)
    columns, rows = np.where(inside, columns, ring), np.where(inside, rows, ring)
    values, squared = _integral(grey), _integral(grey**2)
    low, high = spot // 2, spot - spot // 2 + 1
    centre = _box(values, rows - low, columns - low, rows + high, columns + high)
    centre_area = (low + high) ** 2
    # The paper around the dot: a square ring clear of the dot's own blur.
    outer = (rows - ring, columns - ring, rows + ring + 1, columns + ring + 1)
    near = (rows - spot - 1, columns - spot - 1, rows + spot + 2, columns + spot + 2)
    count = (2 * ring + 1) ** 2 - (2 * spot + 3) ** 2
    around = (_box(values, *outer) - _box(values, *near)) / count
    squares = (_box(squared, *outer) - _box(squared, *near)) / count
    spread = np.sqrt(np.maximum(squares - around**2, 0.0))
    # How much darker the box is than paper, against what a whole dot takes away.
    missing = centre_area - centre / np.maximum(around, 1e-6)
    signal = missing / (dot * dot * (1 - DOT_GRAY))
    # Ink in the ring (a letter's edge) or dark paper make the reading meaningless: unknown.
    readable = inside & (around >= INKED) & (spread <= PAPER_SPREAD)
    return np.where(readable, np.clip(signal, 0.0, 1.0), np.nan)


def read_file(
    path: str | os.PathLike[str], secret: bytes, *, max_pages: int = MAX_PAGES
) -> tuple[Signal, int]:
    """Return the pooled signal of a suspect PDF or page picture, and how many pages were read.

    A PDF is rendered in grey at `READ_DPI` (lower for a page beyond `MAX_PIXELS`), its first
    `max_pages` pages only; a picture is taken as one whole A4-like page.
    """
    signals, pages = read_signals(path, (secret,), max_pages=max_pages)
    return signals[0], pages


def read_signals(
    path: str | os.PathLike[str], keys: Sequence[bytes], *, max_pages: int = MAX_PAGES
) -> tuple[list[Signal], int]:
    """Return a file's pooled signal under each key (each puts its dots elsewhere), and the pages read.

    The pages are rendered once, whatever the number of keys (a key ring after rotations).
    """
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        from PIL import Image  # only a picture needs it: a stamp, which lays the dots, never does

        try:
            with Image.open(path) as picture:
                picture.draft("L", (2000, 2000))  # a big JPEG is decoded small: enough for the dots
                if picture.width * picture.height > MAX_PIXELS:
                    picture.thumbnail((4000, 4000))
                grey = np.asarray(picture.convert("L"))
        except (OSError, Image.DecompressionBombError, ValueError) as exc:
            raise WatermarkError(
                N_("The picture cannot be read: %(detail)s"), code="damaged", detail=str(exc)
            ) from None
        return [pooled([read_page(grey, key)]) for key in keys], 1
    pymupdf = load_pymupdf()  # heavy: only tracing needs it here

    per_key: list[list[Signal]] = [[] for _ in keys]
    pages = 0
    try:
        with pymupdf.open(path) as document:
            for index in range(min(max_pages, document.page_count)):
                page = document[index]
                long_side = max(page.rect.width, page.rect.height) or 1.0
                zoom = zoom_within(page.rect.width, page.rect.height, READ_DPI / 72, MAX_PIXELS)
                matrix = pymupdf.Matrix(zoom, zoom)
                pixmap = page.get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY, alpha=False)
                grey = np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.width)
                for signals, key in zip(per_key, keys, strict=True):
                    signals.append(read_page(grey, key, long_side))
                pages += 1
    except (RuntimeError, ValueError) as exc:  # how PyMuPDF reports an unreadable file
        raise WatermarkError(
            N_("The PDF cannot be read: %(detail)s"), code="damaged", detail=str(exc)
        ) from None
    return [pooled(signals) for signals in per_key], pages


def pooled(signals: Iterable[Signal]) -> Signal:
    """Return the signal of several pages of one copy: each position averaged where it was read."""
    stack = np.array(list(signals), dtype=np.float64)
    if stack.size == 0:
        return np.full(BITS, np.nan)
    read = ~np.isnan(stack)
    counts = read.sum(axis=0)
    sums = np.where(read, stack, 0.0).sum(axis=0)
    return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


@dataclass(frozen=True)
class Accusation:
    """A candidate whose score passed the threshold: very unlikely to be there by chance."""

    delivery_id: str
    score: float
    threshold: float


def accuse(signal: Signal, secret: bytes, candidates: Sequence[str]) -> list[Accusation]:
    """Return the candidates (delivery ids) the signal names, highest score first."""
    scores, threshold = scores_of(signal, secret, candidates)
    named = [
        Accusation(c, float(s), threshold) for c, s in zip(candidates, scores, strict=True) if s > threshold
    ]
    return sorted(named, key=lambda a: -a.score)


def scores_of(
    signal: Signal, secret: bytes, candidates: Sequence[str]
) -> tuple[npt.NDArray[np.float64], float]:
    """Return each candidate's symmetric Tardos score and the threshold an innocent stays under."""
    probability = _layout(secret)[1]
    read = ~np.isnan(signal)
    y, p = signal[read], probability[read]
    up = np.sqrt((1 - p) / p)  # the weight of a 1 where the pooled copy shows a dot
    down = np.sqrt(p / (1 - p))  # the weight of a 0 where it shows none
    if not candidates or not y.size:
        return np.zeros(len(candidates)), math.inf
    words = np.array([codeword(secret, c)[read] for c in candidates])
    # x = 1: y * up - (1 - y) * up; x = 0: -y * down + (1 - y) * down
    scores = np.where(words, (2 * y - 1) * up, (1 - 2 * y) * down).sum(axis=1)
    variance = float(((2 * y - 1) ** 2).sum())
    bound = float(np.sqrt((1 - CUTOFF) / CUTOFF))
    return scores, _threshold(variance, bound, FALSE_ACCUSATION)


def _threshold(variance: float, bound: float, chance: float) -> float:
    """Return x with exp(-x^2 / (2 (V + M x / 3))) = chance (Bernstein's inequality)."""
    twice_log = 2 * math.log(1 / chance)
    linear = twice_log * bound / 3
    return (linear + math.sqrt(linear**2 + 4 * twice_log * variance)) / 2


def _integral(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Return the integral image of `values`: any box's sum then takes four reads."""
    summed = np.zeros((values.shape[0] + 1, values.shape[1] + 1))
    summed[1:, 1:] = values.cumsum(axis=0).cumsum(axis=1)
    return summed


def _box(summed: npt.NDArray[np.float64], top, left, bottom, right) -> npt.NDArray[np.float64]:  # noqa: ANN001
    """Return the sums over boxes [top, bottom) x [left, right) of an integral image."""
    return summed[bottom, right] - summed[top, right] - summed[bottom, left] + summed[top, left]
