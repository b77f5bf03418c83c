"""OCR of image-only pages: render, deskew, Tesseract, words placed back on the page.

Parallelism: PyMuPDF is not thread-safe, so the calling thread renders the pages, one at a
time, while `processes` worker threads each deskew a rendered page (numpy and Pillow release
the GIL for the heavy parts) and run one single-threaded Tesseract process on it. The
Tesseract processes are the CPU cost; the pixels go to them through a pipe and the TSV comes
back through one, so nothing is ever written to disk and a killed caller leaves no files.
"""

from __future__ import annotations

import functools
import math
import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import IngestError
from ingest.limits import Limits
from ingest.words import Box, Word, read_tsv

if TYPE_CHECKING:
    import pymupdf

__all__ = ["PageOcr", "Word", "ocr_pages"]

TESSERACT_TIMEOUT = 600  # seconds for one page; a hung Tesseract must not hold a job forever
MIN_TURN = 0.05  # degrees: below this turning the image only blurs it
INSTALL_HINT = "install the packages tesseract-ocr and tesseract-ocr-ind (and tesseract-ocr-eng)"


@dataclass(frozen=True)
class PageOcr:
    """What OCR read on one page."""

    page_number: int
    text: str
    words: tuple[Word, ...]
    skew_degrees: float
    mean_confidence: float
    dpi: int


@dataclass(frozen=True)
class RenderedPage:
    """A page rendered to greyscale pixels, with what is needed to map pixels back to points."""

    page_number: int
    pixels: bytes
    width: int
    height: int
    scale: tuple[float, float]  # pixels per point, horizontally and vertically
    derotation: tuple[float, float, float, float, float, float]  # shown page -> unrotated
    dpi: int


def ocr_pages(pdf_path: Path, page_numbers: Sequence[int], *, languages: str = "ind+eng",
              dpi: int = 300, processes: int = 2, deskew: bool = True,
              limits: Limits = Limits()) -> Iterator[PageOcr]:
    """OCR the given pages, yielding each page's result as soon as it is done (any order)."""
    import pymupdf

    command = tesseract_command(languages)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one thread each, or parallel pages crawl
    recognise = functools.partial(recognise_page, command=command, env=env, deskew=deskew)
    pool = ThreadPoolExecutor(max_workers=max(1, processes), thread_name_prefix="ocr")
    pending: set[Future[PageOcr]] = set()
    try:
        with pymupdf.open(pdf_path) as doc:
            for number in page_numbers:
                pending.add(pool.submit(recognise, render_page(doc, number, dpi, limits)))
                # One rendered page waits while `processes` run: workers never starve and
                # memory holds at most processes + 1 page images.
                while len(pending) > max(1, processes):
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (future.result() for future in done)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (future.result() for future in done)
    finally:
        # A caller that stops early (or an OCR failure) does not wait for the other pages.
        pool.shutdown(wait=False, cancel_futures=True)


def render_page(doc: pymupdf.Document, number: int, dpi: int, limits: Limits) -> RenderedPage:
    """Render one page to greyscale at `dpi`, or lower when limits.max_pixels demands it."""
    import pymupdf

    page = doc.load_page(number - 1)
    zoom = dpi / 72
    area = page.rect.width * page.rect.height
    if area * zoom * zoom > limits.max_pixels:
        zoom = math.sqrt(limits.max_pixels / area) * 0.999
    pixmap = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY,
                             alpha=False)
    width, height, stride = pixmap.width, pixmap.height, pixmap.stride
    samples = pixmap.samples
    if stride != width:  # rows padded: keep the pixels only
        samples = b"".join(samples[row * stride:row * stride + width] for row in range(height))
    matrix = page.derotation_matrix
    return RenderedPage(number, samples, width, height,
                        (width / page.rect.width, height / page.rect.height),
                        (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f),
                        round(zoom * 72))


def recognise_page(page: RenderedPage, *, command: tuple[str, ...], env: dict[str, str],
                   deskew: bool = True) -> PageOcr:
    """Deskew a rendered page, run Tesseract on it and map its words back to page points."""
    import numpy as np
    from PIL import Image

    from ingest.deskew import estimate_skew, unturn_point

    gray = np.frombuffer(page.pixels, np.uint8).reshape(page.height, page.width)
    angle = estimate_skew(gray) if deskew else 0.0
    image = Image.fromarray(gray)
    if abs(angle) >= MIN_TURN:
        image = image.rotate(-angle, resample=Image.Resampling.BILINEAR, expand=True,
                             fillcolor=255)
    pgm = b"P5\n%d %d\n255\n" % image.size + image.tobytes()
    try:
        result = subprocess.run([*command, "--dpi", str(page.dpi), "tsv"], input=pgm,
                                capture_output=True, env=env, timeout=TESSERACT_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise IngestError(f"OCR failed on page {page.page_number}: {exc}.", code="ocr_failed",
                          page=page.page_number) from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise IngestError(f"OCR failed on page {page.page_number}: Tesseract said {detail[0]!r}.",
                          code="ocr_failed", page=page.page_number)

    turned = abs(angle) >= MIN_TURN
    sx, sy = page.scale
    a, b, c, d, e, f = page.derotation

    def place(left: float, top: float, width: float, height: float) -> Box:
        # The box keeps its size and is moved with its centre: undoing the deskew turn on its
        # corners would tilt it and widen it.
        x, y = left + width / 2, top + height / 2
        if turned:
            x, y = unturn_point(x, y, -angle, image.size, (page.width, page.height))
        x, y, half_w, half_h = x / sx, y / sy, width / 2 / sx, height / 2 / sy
        (x0, y0), (x1, y1) = ((a * u + c * v + e, b * u + d * v + f)
                              for u, v in ((x - half_w, y - half_h), (x + half_w, y + half_h)))
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)

    text, words, confidence = read_tsv(result.stdout.decode("utf-8", "replace"), place)
    return PageOcr(page.page_number, text, words, angle, confidence, page.dpi)


def tesseract_command(languages: str) -> tuple[str, ...]:
    """Return the Tesseract command line reading stdin, writing stdout; refuse if unusable."""
    executable = shutil.which("tesseract")
    if executable is None:
        raise IngestError(f"Tesseract (the OCR program) is not installed: {INSTALL_HINT}.",
                          code="ocr_failed")
    missing = sorted(set(languages.split("+")) - installed_languages(executable))
    if missing:
        raise IngestError(
            f"Tesseract lacks the language data {', '.join(missing)}: {INSTALL_HINT}.",
            code="ocr_failed", languages=missing)
    return (executable, "stdin", "stdout", "-l", languages)


@functools.cache
def installed_languages(executable: str) -> frozenset[str]:
    """Return the language codes a Tesseract installation can read."""
    result = subprocess.run([executable, "--list-langs"], capture_output=True, text=True,
                            timeout=60)
    return frozenset(line.strip() for line in result.stdout.splitlines()[1:] if line.strip())
