"""A first stamp reads each page's foot from its content (compiled): all the ink a render finds there."""

from __future__ import annotations

import zlib
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from tests.integration.watermark import awkward_pages as awkward
from tests.integration.watermark import ink_pages
from tests.integration.watermark.conftest import MARK, SECRET
from watermark import stamp_pdf
from watermark.ink import ahead, content_foot
from watermark.ink.content_ink import content_ink
from watermark.ink.inkrender import FOOT_ROWS
from watermark.ink.pageinks import render_ink
from watermark.ink.pdfium_ink import PdfiumDocument
from watermark.ink.room import Ink
from watermark.pdf.mupdf import load_pymupdf
from watermark.pdf.pagebox import displayed_box

pytestmark = pytest.mark.skipif(not content_foot.available(), reason="the compiled foot reader was not built")


def foot_and_render(path: Path, index: int) -> tuple[Ink | None, Ink]:
    """Return page `index`'s foot read from its content, and its ink as a render finds it."""
    with pikepdf.open(path) as pdf:
        page = pdf.pages[index].obj
        box = displayed_box(page)
        read = content_foot.FootReader().ink(page, box)
    with load_pymupdf().open(path) as document:
        rendered = render_ink(document, index, box.width, box.height)
    assert rendered is not None
    return read, rendered


def assert_foot_covers(read: Ink | None, rendered: Ink, what: str) -> None:
    assert read is not None, f"declined: {what}"
    assert read.inked.shape == rendered.inked.shape, what
    assert read.exact_rows == FOOT_ROWS - 1 and read.inked[FOOT_ROWS - 1 :].all(), what  # ink unseen above
    exact = read.exact_rows
    missed = rendered.inked[:exact] & ~read.inked[:exact]
    assert not missed.any(), f"{what}: {int(missed.sum())} inked cells not read, first {missed.nonzero()}"


@pytest.mark.parametrize("index", range(len(ink_pages.CONTENT_PAGES)), ids=ink_pages.CONTENT_PAGES)
def test_the_foot_read_from_a_page_covers_all_its_render_shows_there(content_pages, index) -> None:
    read, rendered = foot_and_render(content_pages, index)
    assert_foot_covers(read, rendered, ink_pages.CONTENT_PAGES[index])
    assert read is not None and read.inked[: FOOT_ROWS - 1].mean() < 0.9  # paper left for the stamp


ROOMY = [index for index, what in enumerate(awkward.AWKWARD_PAGES) if index and not what.startswith("tiny")]


@pytest.mark.parametrize("index", ROOMY, ids=[awkward.AWKWARD_PAGES[index] for index in ROOMY])
def test_the_foot_read_from_the_awkward_pages_covers_their_render(awkward_corpus, index) -> None:
    read, rendered = foot_and_render(awkward_corpus, index)
    assert_foot_covers(read, rendered, awkward.AWKWARD_PAGES[index])


@pytest.mark.parametrize(
    "index",
    [0, *range(len(ink_pages.CONTENT_PAGES), len(ink_pages.CONTENT_PAGES) + len(ink_pages.DECLINED_PAGES))],
    ids=["full-bleed photo", *ink_pages.DECLINED_PAGES],
)
def test_a_page_whose_foot_only_a_render_knows_is_declined(content_pages, awkward_corpus, index) -> None:
    read, _ = foot_and_render(awkward_corpus if index == 0 else content_pages, index)
    assert read is None


# The compiled reader declines more: it follows no name in a TJ array, and saves 256 states at most.
DECLINED = {**ink_pages.BROKEN_CONTENTS, "a name in TJ": b"BT /F1 12 Tf [(a) /Name (b)] TJ ET"}
DECLINED["saved too deep"] = b"q " * 300 + b"0 0 m 10 10 l S"


@pytest.mark.parametrize("content", DECLINED.values(), ids=DECLINED)
def test_content_only_a_render_bounds_is_declined_not_raised(content: bytes) -> None:
    with pikepdf.new() as pdf:
        page = ink_pages.one_page(pdf, content)
        assert content_foot.FootReader().ink(page, displayed_box(page)) is None


@pytest.mark.parametrize("mode", [b"8", b"-1", b"9" * 40])
def test_text_in_a_rendering_mode_out_of_range_is_still_ink(mode: bytes) -> None:
    # PDFium ignores such a mode and draws the text as before: it must not read as invisible.
    with pikepdf.new() as pdf:
        page = ink_pages.one_page(pdf, b"BT /F1 24 Tf " + mode + b" Tr 72 20 Td (HALAMAN) Tj ET")
        read = content_foot.FootReader().ink(page, displayed_box(page))
        assert read is not None and read.inked[5:20, 40:100].all()
        assert content_ink(page, displayed_box(page)).inked[5:20, 40:100].all()


def test_a_form_is_followed_where_it_is_placed_and_a_white_fill_is_paper() -> None:
    with pikepdf.new() as pdf:
        rule = b"0 0 m 100 0 l S"
        form = pdf.make_stream(rule, Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, 100, 10]))
        page = ink_pages.one_page(
            pdf, b"1 g 0 0 595 100 re f q 1 0 0 1 300 40 cm /Fm0 Do Q", XObject=Dictionary(Fm0=form)
        )
        read = content_foot.FootReader().ink(page, displayed_box(page))
    assert read is not None
    rows, cols = read.inked[: read.exact_rows].nonzero()
    # The rule, 300-400 pt across at 40 pt up (two points a cell), widened by its joins and
    # grown by a cell; the white fill under it, 100 pt high, is paper.
    assert len(rows) and 12 <= rows.min() and rows.max() <= 28 and 140 <= cols.min() and cols.max() <= 210


def test_a_first_stamp_reads_most_feet_and_forks_nothing(born_digital, monkeypatch, tmp_path) -> None:
    drawn: list[int] = []
    started: list[int] = []
    measure = PdfiumDocument.measure
    monkeypatch.setattr(
        PdfiumDocument, "measure", lambda self, i, *a, **k: drawn.append(i) or measure(self, i, *a, **k)
    )
    monkeypatch.setattr(ahead.Ahead, "start", lambda self, *args: started.append(1))
    monkeypatch.setattr(ahead, "may_fork", lambda: True)
    monkeypatch.setattr(ahead, "SHARE_PAGES", 1)
    result = stamp_pdf(born_digital, tmp_path / "copy.pdf", MARK, SECRET, processes=2)
    # Only a page that places a picture over much of itself is drawn (PDFium, in this process).
    assert started == [] and len(drawn) <= result.page_count // 4


def test_a_first_stamp_of_scans_shares_their_drawing_among_processes(scanned, monkeypatch, tmp_path) -> None:
    started: list[int] = []
    start = ahead.Ahead.start
    monkeypatch.setattr(ahead.Ahead, "start", lambda self, *args: started.append(1) or start(self, *args))
    monkeypatch.setattr(ahead, "may_fork", lambda: True)
    monkeypatch.setattr(ahead, "SHARE_PAGES", 1)
    stamp_pdf(scanned, tmp_path / "copy.pdf", MARK, SECRET, processes=2)
    assert started == [1]  # its sampled pages did not read: the others draw theirs


def test_a_content_larger_than_the_reader_takes_is_left_to_the_drawing(monkeypatch) -> None:
    monkeypatch.setattr(content_foot, "MAX_CONTENT", 4096)
    rules = b"".join(b"0 %d m 500 %d l S\n" % (y, y) for y in range(400, 800)) + b"40 40 m 500 40 l S"
    with pikepdf.new() as pdf:
        page = ink_pages.one_page(pdf, b"")
        page.Contents = pdf.make_stream(zlib.compress(rules), Filter=Name.FlateDecode)
        assert content_foot.FootReader().ink(page, displayed_box(page)) is None  # inflated 4 KiB, no more
        page.Contents = pdf.make_stream(zlib.compress(rules)[:-40], Filter=Name.FlateDecode)  # cut short
        monkeypatch.setattr(content_foot, "MAX_CONTENT", 1 << 20)
        read = content_foot.FootReader().ink(page, displayed_box(page))
    # qpdf recovers what the cut stream holds; the rule at its end is lost with it, the rest read.
    assert read is not None and read.inked[: read.exact_rows].sum() == 0
