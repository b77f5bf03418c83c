"""How a page's ink is measured: short pages from their content, long runs of pages by workers ahead."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.integration.watermark.watermark_samples import born_digital
from watermark import ink_workers, pageinks
from watermark.inkmap import InkMap
from watermark.pagebox import displayed_box
from watermark.pageinks import PageInks, measure_pages

PAGES = 40


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The indexes of the pages rendered in this process to measure their ink."""
    indexes: list[int] = []
    render = pageinks.render_ink

    def counting(document: object, index: int, width: float, height: float) -> object:
        indexes.append(index)
        return render(document, index, width, height)

    monkeypatch.setattr(pageinks, "render_ink", counting)
    return indexes


@pytest.fixture(scope="module")
def long_document(sample_dir: Path) -> Path:
    """PAGES pages, short ones (a page number and a rule) between pages of dense text."""
    path = sample_dir / "measuring.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, pageCompression=1)
    rng = random.Random(PAGES)
    for number in range(PAGES):
        pdf.setFont("Helvetica", 9)
        if number % 3:
            for row in range(60):
                figures = " ".join(f"{rng.randrange(10**6):,}" for _ in range(9))
                pdf.drawString(50, 800 - row * 12, f"Tabel {number}.{row} {figures}")
        pdf.line(50, 40, 540, 40)
        pdf.drawString(290, 28, str(number + 1))
        pdf.showPage()
    pdf.save()
    return path


def ink_of_every_page(path: Path, workers: int) -> InkMap:
    ink = InkMap(0)
    with pageinks.page_inks(path, ink) as inks:
        inks.workers = workers
        measure_pages_into(inks, path)
    return ink


def measure_pages_into(inks: PageInks, path: Path) -> None:
    """Ask `inks` for every page of `path`, in order, as the stamper does."""
    with pikepdf.open(path) as pdf:
        boxes = [displayed_box(page.obj) for page in pdf.pages]
    inks.fit(len(boxes))
    for index, box in enumerate(boxes):
        inks.of_page(index, box)


def test_a_short_page_is_read_from_its_content_and_a_long_one_rendered(long_document, rendered) -> None:
    ink = InkMap(0)
    assert measure_pages(long_document, ink) == PAGES
    assert rendered == [index for index in range(PAGES) if index % 3]
    assert ink.missing() == []


def test_workers_measuring_ahead_find_the_same_ink_as_this_process(long_document, monkeypatch) -> None:
    monkeypatch.setattr(pageinks, "READ_AHEAD_AFTER", 2)
    monkeypatch.setattr(pageinks, "READ_AHEAD_PAGES", 10)
    monkeypatch.setattr(ink_workers, "CHUNK", 7)
    alone, ahead = ink_of_every_page(long_document, 0), ink_of_every_page(long_document, 2)
    with pikepdf.open(long_document) as pdf:
        for index, page in enumerate(pdf.pages):
            box = displayed_box(page.obj)
            here, there = alone.ink(index, box), ahead.ink(index, box)
            assert here is not None and there is not None
            assert np.array_equal(here.inked, there.inked), index


def test_pages_the_workers_measure_are_not_rendered_here_and_the_workers_stop(
    long_document, rendered, monkeypatch
) -> None:
    monkeypatch.setattr(pageinks, "READ_AHEAD_AFTER", 2)
    monkeypatch.setattr(pageinks, "READ_AHEAD_PAGES", 10)
    monkeypatch.setattr(ink_workers, "CHUNK", 7)
    started: list[ink_workers.ReadAhead] = []
    original = ink_workers.ReadAhead.__init__

    def keep(self: ink_workers.ReadAhead, *args: object) -> None:
        original(self, *args)  # type: ignore[arg-type]
        started.append(self)

    monkeypatch.setattr(ink_workers.ReadAhead, "__init__", keep)
    ink = InkMap(0)
    with pageinks.page_inks(long_document, ink) as inks:
        inks.workers = 1
        measure_pages_into(inks, long_document)
        assert len(started) == 1
        processes = list(started[0]._running)
        assert processes
    # Only long pages among the first, before the workers started, were rendered here.
    assert rendered and max(rendered) <= 2
    assert ink.missing() == []
    assert all(process.poll() is not None for process in processes)


def test_a_failing_worker_leaves_the_page_to_this_process(long_document, rendered, monkeypatch) -> None:
    monkeypatch.setattr(pageinks, "READ_AHEAD_AFTER", 2)
    monkeypatch.setattr(pageinks, "READ_AHEAD_PAGES", 10)

    def broken(self: ink_workers.ReadAhead, pages: list[tuple[int, float, float]]) -> list[object]:
        raise EOFError

    monkeypatch.setattr(ink_workers.ReadAhead, "_measure", broken)
    ink = InkMap(0)
    with pageinks.page_inks(long_document, ink) as inks:
        inks.workers = 1
        measure_pages_into(inks, long_document)
    assert ink.missing() == []
    assert rendered == [index for index in range(PAGES) if index % 3]


def test_a_short_document_is_measured_without_workers(sample_dir, monkeypatch) -> None:
    source = born_digital(sample_dir / "measuring-born-digital.pdf")

    def refuse(*args: object) -> None:
        raise AssertionError("workers started for a short document")

    monkeypatch.setattr(ink_workers.ReadAhead, "__init__", refuse)
    assert measure_pages(source, InkMap(0)) > 0
