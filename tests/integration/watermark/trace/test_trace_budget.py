"""A long PDF is traced within a budget: every page's text, QR codes on a sample, and it says which."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from tests.integration.watermark.conftest import MARK, SECRET
from watermark import stamp_pdf_bytes
from watermark.trace.reading import TraceBudget, read_marks

PAGES = 2000


@pytest.fixture(scope="module")
def long_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stamped copy of a 2,000-page publication."""
    with pymupdf.open() as document:
        for number in range(1, PAGES + 1):
            document.new_page(width=595, height=842).insert_text((72, 72), f"Halaman {number} dari {PAGES}")
        source = document.tobytes()
    data, _ = stamp_pdf_bytes(source, MARK, SECRET)
    path = tmp_path_factory.mktemp("long") / "panjang.pdf"
    path.write_bytes(data)
    return path


@pytest.mark.slow
def test_a_2000_page_pdf_is_traced_within_its_budget_saying_which_pages_were_checked(long_copy: Path) -> None:
    # The pages' counts are the default budget's; its seconds are not what this test is about,
    # and a busy machine may take longer than they allow (the test below runs them out).
    budget = TraceBudget(qr_seconds=3600, text_seconds=3600)
    result = read_marks(long_copy, secret=SECRET, budget=budget)
    assert result.pages == PAGES and result.text_pages == PAGES
    assert len(result.qr_pages) == budget.qr_pages == TraceBudget().qr_pages
    assert result.qr_pages[:5] == (1, 2, 3, 4, 5) and result.qr_pages[-1] == PAGES
    qr = [e for e in result.evidence if e.kind == "qr"]
    assert tuple(e.page for e in qr) == result.qr_pages
    assert {e.signature_valid for e in qr} == {True}


class Ticking:
    """A clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_when_the_time_allowed_runs_out_the_trace_stops_and_says_how_far_it_read(long_copy: Path) -> None:
    budget = TraceBudget(qr_first=5, qr_pages=20, qr_seconds=3, text_seconds=10)
    result = read_marks(long_copy, secret=SECRET, budget=budget, clock=Ticking())
    assert 0 < result.text_pages < 20
    assert result.qr_pages == (1, 2, 3)
    assert {e.page for e in result.evidence if e.kind == "hidden_text"} == set(
        range(1, result.text_pages + 1)
    )


def test_with_qr_never_no_page_is_rendered_and_none_is_said_to_be(long_copy: Path) -> None:
    result = read_marks(long_copy, qr="never")
    assert result.qr_pages == () and "qr" not in result.kinds()


def test_past_its_page_budget_the_text_is_read_on_the_first_pages_and_the_trace_says_so(
    long_copy: Path,
) -> None:
    result = read_marks(long_copy, qr="never", budget=TraceBudget(text_pages=300))
    assert result.text_pages == 300
    assert {e.page for e in result.evidence if e.kind == "hidden_text"} == set(range(1, 301))
    assert any("first 300 of 2,000 pages" in str(note) for note in result.notes)


def test_a_picture_of_many_frames_is_read_on_a_sample_of_them(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (200, 200), "white") for _ in range(60)]
    path = tmp_path / "banyak.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    result = read_marks(path, ocr=False, budget=TraceBudget(qr_first=3, qr_pages=8))
    assert result.pages == 60 and len(result.qr_pages) == 8
    assert result.qr_pages[:3] == (1, 2, 3) and result.qr_pages[-1] == 60
    assert any("has 60 frames" in str(note) for note in result.notes)


def test_a_picture_whose_time_runs_out_stops_and_says_how_many_frames_were_read(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (200, 200), "white") for _ in range(10)]
    path = tmp_path / "lambat.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    result = read_marks(path, ocr=False, budget=TraceBudget(picture_seconds=3), clock=Ticking())
    assert result.qr_pages == (1, 2, 3)
    assert any("3 of 10 sampled frames" in str(note) for note in result.notes)
