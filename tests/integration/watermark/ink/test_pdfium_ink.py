"""A first stamp's ink drawn by PDFium: the same cells as MuPDF finds, and MuPDF where PDFium may differ."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pikepdf
import pytest

from tests.integration.watermark import awkward_pages as awkward
from tests.integration.watermark import ink_pages
from tests.integration.watermark.conftest import MARK, SECRET
from tests.integration.watermark.watermark_samples import born_digital
from watermark import stamp_pdf
from watermark.ink import pageinks
from watermark.ink.pdfium_ink import FOOT_ROWS, PICTURES, PdfiumDocument
from watermark.ink.room import MEASURE_DPI, Ink, ink_mask
from watermark.marks.fonts import FontSet
from watermark.marks.layout import ResourceNames, StampLayout
from watermark.marks.placement import Planner
from watermark.pdf.mupdf import load_pymupdf
from watermark.pdf.pagebox import displayed_box
from watermark.pdf.pixels import INK_PIXELS, zoom_within

CORPORA = {"awkward": awkward.build, "content": ink_pages.build, "born-digital": born_digital}


@pytest.fixture(scope="module", params=sorted(CORPORA))
def corpus(request: pytest.FixtureRequest, sample_dir: Path) -> Path:
    """The ink tests' pages: awkward boxes and turns, every kind of content, the born-digital sample."""
    return CORPORA[request.param](sample_dir / f"pdfium-{request.param}.pdf")


def boxes(source: Path) -> list[tuple[float, float]]:
    """Each page's displayed width and height, as the stamper reads them."""
    with pikepdf.open(source) as pdf:
        return [(box.width, box.height) for box in (displayed_box(page.obj) for page in pdf.pages)]


def mupdf_ink_pixels(source: Path, index: int) -> np.ndarray:
    """The pixels MuPDF draws as ink on page `index` at MEASURE_DPI (row 0 at the bottom), not grown."""
    pymupdf = load_pymupdf()
    with pymupdf.open(source) as document:
        page = document[index]
        zoom = zoom_within(page.rect.width, page.rect.height, MEASURE_DPI / 72, INK_PIXELS)
        pixmap = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False)
        gray = np.frombuffer(pixmap.samples, dtype=np.uint8).reshape(pixmap.height, pixmap.stride)
        return ink_mask(gray[:, : pixmap.width])[::-1]


def test_what_mupdf_draws_as_ink_is_in_what_pdfium_measured_but_a_few_pixels_of_a_glyph(corpus) -> None:
    # The fourteen standard fonts, when not embedded, are drawn from each engine's own
    # substitutes: a large bold '@' differs by a few pixels. Every foot is the same.
    document = PdfiumDocument.open(corpus)
    assert document is not None
    measured = 0
    try:
        for index, (width, height) in enumerate(boxes(corpus)):
            whole = document.measure(index, width, height, whole=True)
            if not isinstance(whole, Ink):
                continue  # read from its content, or left to MuPDF: their own tests
            theirs = mupdf_ink_pixels(corpus, index)
            assert whole.shape == theirs.shape, index
            missed = theirs & ~whole.inked
            assert not missed[:FOOT_ROWS].any(), index
            assert np.count_nonzero(missed) <= 0.01 * np.count_nonzero(theirs), index
            measured += 1
    finally:
        document.close()
    assert measured >= 3


def test_the_foot_alone_gives_the_whole_drawings_cells_there_and_the_same_plan(corpus) -> None:
    fonts = FontSet.for_text(StampLayout.texts(MARK, 40), "PkTest")
    layout = StampLayout(MARK, fonts, ResourceNames("PkTest"), 37, 40)
    from_feet, from_wholes = Planner(layout), Planner(layout)
    document = PdfiumDocument.open(corpus.read_bytes())  # a copy in memory draws as its file does
    assert document is not None
    feet = 0
    try:
        for index, (width, height) in enumerate(boxes(corpus)):
            foot = document.measure(index, width, height)
            whole = document.measure(index, width, height, whole=True)
            if not isinstance(foot, Ink):
                assert foot == whole  # read from its content, or MuPDF's, either way
                continue
            assert isinstance(whole, Ink) and foot.shape == whole.shape
            if foot.exact_rows < foot.shape[0]:  # a foot alone; a scan's grey page is drawn whole
                assert foot.exact_rows == FOOT_ROWS - 1
                assert np.array_equal(foot.inked[: foot.exact_rows], whole.inked[: foot.exact_rows]), index
                assert foot.inked[foot.exact_rows :].all()
                feet += 1
            plan = from_feet.plan(width, height, foot)
            if from_feet.depth > foot.exact_rows:  # as the stamper does: the whole page decides
                plan = from_feet.plan(width, height, whole)
            assert plan == from_wholes.plan(width, height, whole), index
    finally:
        document.close()
    assert feet >= 3


def test_pages_pdfium_might_draw_otherwise_are_left_to_mupdf(sample_dir) -> None:
    source = ink_pages.build(sample_dir / "pdfium-left.pdf")
    annotated = ink_pages.CONTENT_PAGES.index("annotations: a note, a square, a highlight, a free text")
    picture = ink_pages.CONTENT_PAGES.index("a small picture placed scaled and turned, with a caption")
    sizes = boxes(source)
    document = PdfiumDocument.open(source)
    assert document is not None
    try:
        assert document.measure(annotated, *sizes[annotated]) is None  # its form fields, its notes
        assert document.measure(picture, *sizes[picture]) == PICTURES  # read, not decoded
        width, height = sizes[0]
        assert isinstance(document.measure(0, width, height), Ink)
        assert document.measure(0, width + 2, height) is None  # a box PDFium reads otherwise
        assert document.measure(len(sizes), width, height) is None
    finally:
        document.close()
    assert PdfiumDocument.open(b"%PDF-1.7 nothing more") is None


def test_a_first_stamp_measures_with_mupdf_what_pdfium_cannot(
    sample_dir, monkeypatch, tmp_path, feet_drawn
) -> None:
    source = ink_pages.build(sample_dir / "pdfium-none.pdf")
    mupdf_feet: list[int] = []
    foot_ink = pageinks.foot_ink

    def counting(document: object, index: int, width: float, height: float) -> Ink | None:
        mupdf_feet.append(index)
        return foot_ink(document, index, width, height)

    monkeypatch.setattr(pageinks, "foot_ink", counting)
    stamp_pdf(source, tmp_path / "with.pdf", MARK, SECRET)
    annotated = ink_pages.CONTENT_PAGES.index("annotations: a note, a square, a highlight, a free text")
    assert annotated in mupdf_feet and len(mupdf_feet) < len(boxes(source)) // 2
    mupdf_feet.clear()
    monkeypatch.setattr(PdfiumDocument, "open", classmethod(lambda cls, source: None))
    stamp_pdf(source, tmp_path / "without.pdf", MARK, SECRET)
    assert len(mupdf_feet) > len(boxes(source)) // 2
    for index in range(len(boxes(source))):  # either way the stamp keeps off the page's ink
        original = awkward.render(source, index)
        for copy in ("with.pdf", "without.pdf"):
            assert awkward.hidden_ink(original, awkward.render(tmp_path / copy, index)) == 0, (copy, index)
