"""A page's ink read from its content covers every cell a render finds inked, and leaves paper free."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from tests.integration.watermark import awkward_pages as awkward
from tests.integration.watermark import ink_pages
from watermark.ink.content_ink import content_ink
from watermark.ink.pageinks import render_ink
from watermark.ink.room import Ink
from watermark.pdf.mupdf import load_pymupdf
from watermark.pdf.pagebox import displayed_box


def both(path: Path, index: int) -> tuple[Ink | None, Ink]:
    """Return page `index`'s ink read from its content, and as a render finds it."""
    with pikepdf.open(path) as pdf:
        page = pdf.pages[index].obj
        box = displayed_box(page)
        read = content_ink(page, box)
    with load_pymupdf().open(path) as document:
        rendered = render_ink(document, index, box.width, box.height)
    assert rendered is not None
    return read, rendered


def assert_covers(read: Ink | None, rendered: Ink, what: str) -> None:
    assert read is not None, f"declined: {what}"
    assert read.inked.shape == rendered.inked.shape, what
    assert read.cell_w == pytest.approx(rendered.cell_w) and read.cell_h == pytest.approx(rendered.cell_h)
    missed = rendered.inked & ~read.inked
    assert not missed.any(), f"{what}: {int(missed.sum())} inked cells not read, first {missed.nonzero()}"


@pytest.mark.parametrize("index", range(len(ink_pages.CONTENT_PAGES)), ids=ink_pages.CONTENT_PAGES)
def test_the_ink_read_from_a_page_covers_all_its_render_shows(content_pages, index) -> None:
    read, rendered = both(content_pages, index)
    assert_covers(read, rendered, ink_pages.CONTENT_PAGES[index])
    # ... and is not the whole page: there is paper left where the stamp can go.
    assert read is not None and read.inked.mean() < 0.9


@pytest.mark.parametrize("index", range(1, len(awkward.AWKWARD_PAGES)), ids=awkward.AWKWARD_PAGES[1:])
def test_the_ink_read_from_the_awkward_pages_covers_their_render(awkward_corpus, index) -> None:
    read, rendered = both(awkward_corpus, index)
    assert_covers(read, rendered, awkward.AWKWARD_PAGES[index])


@pytest.mark.parametrize(
    "index",
    range(len(ink_pages.CONTENT_PAGES), len(ink_pages.CONTENT_PAGES) + len(ink_pages.DECLINED_PAGES)),
    ids=ink_pages.DECLINED_PAGES,
)
def test_a_page_whose_ink_only_a_render_knows_is_declined(content_pages, index) -> None:
    read, _ = both(content_pages, index)
    assert read is None


def test_white_paint_and_clipped_content_are_never_subtracted(content_pages) -> None:
    # Text under a white box and outside a clip is not shown, yet still read as ink:
    # the reader only ever adds, so nothing it misjudges can uncover a page's ink.
    white = ink_pages.CONTENT_PAGES.index("a white page-size background and white boxes over text")
    read, rendered = both(content_pages, white)
    assert read is not None
    assert (read.inked & ~rendered.inked).sum() > 100


@pytest.mark.parametrize("content", ink_pages.BROKEN_CONTENTS.values(), ids=ink_pages.BROKEN_CONTENTS)
def test_broken_content_is_declined_not_raised(content: bytes) -> None:
    with pikepdf.new() as pdf:
        page = ink_pages.one_page(pdf, content)
        assert content_ink(page, displayed_box(page)) is None
