"""OCR of image-only pages: render, deskew, Tesseract, words placed back on the page.

Parallelism: PyMuPDF is not thread-safe, so the calling thread measures each page's skew on
a small rendering and renders it turned upright at 300 dpi (about 0.15 s a page), while
`processes` worker threads each feed one single-threaded Tesseract process (about 1.5 s a
page: the real cost) and read its TSV back. Pixels go to Tesseract through a pipe and words
come back through one: nothing is ever written to disk, so a killed caller leaves no files.
"""

from __future__ import annotations

import functools
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
from ingest.pdffile import mupdf_errors
from ingest.words import Box, Word, read_tsv
from watermark.pdf.mupdf import load_pymupdf

if TYPE_CHECKING:
    import pymupdf

__all__ = ["PageOcr", "Word", "ocr_pages"]

Matrix6 = tuple[float, float, float, float, float, float]

TESSERACT_TIMEOUT = 600  # seconds for one page; a hung Tesseract must not hold a job forever
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
    """A page rendered upright to greyscale, with the maps from its pixels back to points."""

    page_number: int
    pixels: bytes
    width: int
    height: int
    zoom: float  # pixels per point
    to_shown: Matrix6  # pixel -> point of the page as shown (skew turn undone)
    derotation: Matrix6  # point as shown -> point in the unrotated page space
    dpi: int
    skew_degrees: float = 0.0


def ocr_pages(
    pdf_path: Path,
    page_numbers: Sequence[int],
    *,
    languages: str = "ind+eng",
    dpi: int = 300,
    processes: int = 2,
    deskew: bool = True,
    limits: Limits = Limits(),
) -> Iterator[PageOcr]:
    """OCR the given pages, yielding each page's result as soon as it is done (any order)."""
    pymupdf = load_pymupdf()

    command = tesseract_command(languages)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one thread each, or parallel pages crawl
    recognise = functools.partial(recognise_page, command=command, env=env)
    pool = ThreadPoolExecutor(max_workers=max(1, processes), thread_name_prefix="ocr")
    pending: set[Future[PageOcr]] = set()
    try:
        with pymupdf.open(pdf_path) as doc:
            for number in page_numbers:
                page = render_page(doc, number, dpi, limits, deskew=deskew)
                pending.add(pool.submit(recognise, page))
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


def render_page(
    doc: pymupdf.Document, number: int, dpi: int, limits: Limits, deskew: bool = True
) -> RenderedPage:
    """Render one page upright and greyscale at `dpi`, lower when the limits' pixel budget demands it."""
    pymupdf = load_pymupdf()

    # Here, as pymupdf: importing the watermark package loads pikepdf and reportlab, which the
    # CLI's start-up (it imports this module through the intake jobs) must not pay for.
    from watermark.pdf.pixels import zoom_within

    try:
        page = doc.load_page(number - 1)
        angle = measure_skew(page) if deskew else 0.0
        # MuPDF turns the page while rendering it: one resampling of the scan, not two.
        turned = page.rect.transform(pymupdf.Matrix(1, 1).prerotate(angle))
        zoom = zoom_within(turned.width, turned.height, dpi / 72, min(limits.max_pixels, limits.ocr_pixels))
        matrix = pymupdf.Matrix(zoom, zoom).prerotate(angle)
        pixmap = page.get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY, alpha=False)
        pymupdf.TOOLS.store_shrink(100)  # the page's images as decoded (120 MB for 40 Mpx in colour)
    except mupdf_errors() as exc:
        raise IngestError(
            f"OCR failed on page {number}: it cannot be rendered ({exc}).", code="ocr_failed", page=number
        ) from None
    width, height, stride = pixmap.width, pixmap.height, pixmap.stride
    samples = pixmap.samples
    if stride != width:  # rows padded: keep the pixels only
        samples = b"".join(samples[row * stride : row * stride + width] for row in range(height))
    # The pixmap starts at (pixmap.x, pixmap.y) of the turned, zoomed page.
    to_shown = pymupdf.Matrix(1, 0, 0, 1, pixmap.x, pixmap.y) * ~matrix
    return RenderedPage(
        number,
        samples,
        width,
        height,
        zoom,
        tuple(to_shown),
        tuple(page.derotation_matrix),
        round(zoom * 72),
        angle,
    )


def measure_skew(page: pymupdf.Page) -> float:
    """Return the skew of a page's text lines in degrees, from a small greyscale rendering."""
    import numpy as np

    pymupdf = load_pymupdf()

    from ingest.deskew import WORK_SIDE, estimate_skew

    zoom = WORK_SIDE / max(page.rect.width, page.rect.height, 1)
    small = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False)
    gray = np.frombuffer(small.samples, np.uint8).reshape(small.height, small.stride)
    return estimate_skew(gray[:, : small.width])


def recognise_page(page: RenderedPage, *, command: tuple[str, ...], env: dict[str, str]) -> PageOcr:
    """Run Tesseract on a rendered page and map its words back to page points."""
    pgm = b"P5\n%d %d\n255\n" % (page.width, page.height) + page.pixels
    try:
        result = subprocess.run(
            [*command, "--dpi", str(page.dpi), "tsv"],
            input=pgm,
            capture_output=True,
            env=env,
            timeout=TESSERACT_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise IngestError(
            f"OCR failed on page {page.page_number}: {exc}.", code="ocr_failed", page=page.page_number
        ) from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise IngestError(
            f"OCR failed on page {page.page_number}: Tesseract said {detail[0]!r}.",
            code="ocr_failed",
            page=page.page_number,
        )
    place = functools.partial(place_box, page=page)
    text, words, confidence = read_tsv(result.stdout.decode("utf-8", "replace"), place)
    return PageOcr(page.page_number, text, words, page.skew_degrees, confidence, page.dpi)


def place_box(left: float, top: float, width: float, height: float, *, page: RenderedPage) -> Box:
    """Map a word box in pixels to points in the unrotated page space."""
    # The box is moved with its centre and keeps its size: turning its corners back by the
    # skew would tilt it and widen it.
    a, b, c, d, e, f = page.to_shown
    x, y = left + width / 2, top + height / 2
    x, y = a * x + c * y + e, b * x + d * y + f
    half_w, half_h = width / 2 / page.zoom, height / 2 / page.zoom
    a, b, c, d, e, f = page.derotation
    (x0, y0), (x1, y1) = (
        (a * u + c * v + e, b * u + d * v + f)
        for u, v in ((x - half_w, y - half_h), (x + half_w, y + half_h))
    )
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def tesseract_command(languages: str) -> tuple[str, ...]:
    """Return the Tesseract command line reading stdin, writing stdout; refuse if unusable."""
    executable = shutil.which("tesseract")
    if executable is None:
        raise IngestError(f"Tesseract (the OCR program) is not installed: {INSTALL_HINT}.", code="ocr_failed")
    missing = sorted(set(languages.split("+")) - installed_languages(executable))
    if missing:
        raise IngestError(
            f"Tesseract lacks the language data {', '.join(missing)}: {INSTALL_HINT}.",
            code="ocr_failed",
            languages=missing,
        )
    return (executable, "stdin", "stdout", "-l", languages)


@functools.cache
def installed_languages(executable: str) -> frozenset[str]:
    """Return the language codes a Tesseract installation can read."""
    result = subprocess.run([executable, "--list-langs"], capture_output=True, text=True, timeout=60)
    return frozenset(line.strip() for line in result.stdout.splitlines()[1:] if line.strip())
