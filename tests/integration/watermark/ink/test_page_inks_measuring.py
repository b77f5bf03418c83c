"""How a page's ink is measured: pages of pictures from their content, others drawn straight to pixels."""

from __future__ import annotations

import io
import multiprocessing.context
import os
import random
import threading
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from tests.integration.watermark import awkward_pages as awkward
from tests.integration.watermark import ink_pages
from tests.integration.watermark.conftest import MARK, SECRET
from tests.integration.watermark.watermark_samples import born_digital
from watermark import stamp_pdf
from watermark.ink import ahead, claiming, forked, pageinks
from watermark.ink.inkmap import InkMap
from watermark.ink.inkrender import FOOT_ROWS
from watermark.ink.pageinks import measure_pages, render_ink
from watermark.ink.pdfium_ink import PdfiumDocument
from watermark.ink.room import MEASURE_DPI, Ink
from watermark.marks.fonts import FontSet
from watermark.marks.layout import ResourceNames, StampLayout
from watermark.marks.placement import Planner
from watermark.pdf.mupdf import load_pymupdf
from watermark.pdf.pagebox import displayed_box
from watermark.pdf.pixels import INK_PIXELS, zoom_within

PAGES = 12


def counted(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    """Record the indexes of the pages `pageinks.<name>` (a measure of one page) is called on."""
    indexes: list[int] = []
    measure = getattr(pageinks, name)

    def counting(document: object, index: int, width: float, height: float) -> Ink | None:
        indexes.append(index)
        return measure(document, index, width, height)

    monkeypatch.setattr(pageinks, name, counting)
    return indexes


def own_share(processes: int = 2) -> list[int]:
    """The pages of text this process measures itself when `processes` share PAGES (`ahead.split`)."""
    own = ahead.split([(index, None) for index in range(PAGES)], processes)[0]
    return [index for index, _ in own if index % 3]


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The indexes of the pages rendered whole to measure their ink."""
    return counted(monkeypatch, "render_ink")


@pytest.fixture
def feet(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The indexes of the pages whose foot alone MuPDF measured."""
    return counted(monkeypatch, "foot_ink")


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """The pages PDFium measured for a first stamp (index, whole or not), in this process."""
    calls: list[tuple[int, bool]] = []
    measure = PdfiumDocument.measure

    def counting(self: PdfiumDocument, index: int, width: float, height: float, *, whole: bool = False):
        ink = measure(self, index, width, height, whole=whole)
        if isinstance(ink, Ink):
            calls.append((index, whole))
        return ink

    monkeypatch.setattr(PdfiumDocument, "measure", counting)
    return calls


def picture() -> ImageReader:
    """A grey photo-like picture, as a page of figures holds."""
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 255, (30, 45), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).resize((450, 300)).save(buffer, format="JPEG")
    buffer.seek(0)
    return ImageReader(buffer)


@pytest.fixture(scope="module")
def mixed(sample_dir: Path) -> Path:
    """PAGES pages: every third a figure (a photo and its caption), the others dense figures."""
    path = sample_dir / "measuring.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, pageCompression=1)
    rng = random.Random(PAGES)
    for number in range(PAGES):
        pdf.setFont("Helvetica", 9)
        if number % 3:
            for row in range(60):
                figures = " ".join(f"{rng.randrange(10**6):,}" for _ in range(9))
                pdf.drawString(50, 800 - row * 12, f"Tabel {number}.{row} {figures}")
        else:
            pdf.drawImage(picture(), 72, 420, 300, 200)
            pdf.drawString(72, 400, f"Gambar {number}. Kegiatan pencacahan")
        pdf.line(50, 40, 540, 40)
        pdf.drawString(290, 28, str(number + 1))
        pdf.showPage()
    pdf.save()
    return path


def test_a_page_of_pictures_is_read_from_its_content_and_a_page_of_text_rendered(mixed, rendered) -> None:
    ink = InkMap(0)
    assert measure_pages(mixed, ink) == PAGES
    assert rendered == [index for index in range(PAGES) if index % 3]
    assert ink.missing() == []


def test_a_page_of_pictures_the_content_reader_declines_is_rendered(sample_dir, rendered) -> None:
    # A scan: its one picture covers the page, and only its pixels tell paper from print.
    source = ink_pages.build(sample_dir / "measuring-declined.pdf")
    scan = len(ink_pages.CONTENT_PAGES) + ink_pages.DECLINED_PAGES.index("a full-page scan")
    picture = ink_pages.CONTENT_PAGES.index("a small picture placed scaled and turned, with a caption")
    ink = InkMap(0)
    measure_pages(source, ink)
    assert scan in rendered and picture not in rendered and ink.missing() == []


@pytest.mark.parametrize("corpus", ["awkward", "content", "born-digital"])
def test_drawing_a_page_straight_to_pixels_finds_the_ink_get_pixmap_finds(sample_dir, corpus) -> None:
    # The kept measurements (MEASUREMENT) stay true only if the render is the one they were made with.
    build = {"awkward": awkward.build, "content": ink_pages.build, "born-digital": born_digital}[corpus]
    source = build(sample_dir / f"measuring-{corpus}.pdf")
    pymupdf = load_pymupdf()
    with pymupdf.open(source) as document:
        for index, page in enumerate(document):
            width, height = page.rect.width, page.rect.height
            zoom = zoom_within(width, height, MEASURE_DPI / 72, INK_PIXELS)
            pixmap = page.get_pixmap(
                matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False, annots=True
            )
            gray = np.frombuffer(pixmap.samples, dtype=np.uint8).reshape(pixmap.height, pixmap.stride)
            expected = Ink.of_picture(gray[:, : pixmap.width], width, height)
            drawn = render_ink(document, index, width, height)
            assert drawn is not None and np.array_equal(drawn.inked, expected.inked), index


def test_many_pages_are_measured_ahead_in_processes_as_one_by_one(mixed, rendered, monkeypatch) -> None:
    alone = InkMap(PAGES)
    monkeypatch.setattr(ahead, "SHARE_PAGES", PAGES * 10)
    measure_pages(mixed, alone)
    rendered.clear()
    monkeypatch.setattr(ahead, "SHARE_PAGES", 5)  # 12 pages: two shares, one forked
    monkeypatch.setattr(ahead, "may_fork", lambda: True)  # a test process may hold a server's thread
    early = InkMap(PAGES)
    assert measure_pages(mixed, early, processes=4) == PAGES
    assert early.to_bytes() == alone.to_bytes()
    assert rendered == own_share() and len(rendered) < 4  # its own share's pages of text only, the smaller


def test_a_share_whose_process_fails_is_measured_here(mixed, rendered, monkeypatch) -> None:
    alone = InkMap(PAGES)
    monkeypatch.setattr(ahead, "SHARE_PAGES", PAGES * 10)
    measure_pages(mixed, alone)
    rendered.clear()
    monkeypatch.setattr(ahead, "SHARE_PAGES", 5)
    monkeypatch.setattr(ahead, "may_fork", lambda: True)
    monkeypatch.setattr(pageinks, "_measure_into", lambda *_: os._exit(3))  # dies without answering
    ink = InkMap(PAGES)
    assert measure_pages(mixed, ink, processes=2) == PAGES
    assert ink.to_bytes() == alone.to_bytes()
    assert rendered == [index for index in range(PAGES) if index % 3]


def test_a_process_that_fails_midway_leaves_only_its_unanswered_pages_to_measure_here(
    mixed, rendered, monkeypatch
) -> None:
    alone = InkMap(PAGES)
    measure_pages(mixed, alone)
    rendered.clear()
    measure_into = pageinks._measure_into

    def answering_once(answer, source, wanted, foot_only) -> None:
        class Once:  # the first chunk reaches the parent, then the process dies
            def send(self, chunk: list) -> None:
                answer.send(chunk)
                os._exit(3)

        measure_into(Once(), source, wanted, foot_only)

    monkeypatch.setattr(ahead, "SHARE_PAGES", 5)
    monkeypatch.setattr(forked, "CHUNK_PAGES", 2)
    monkeypatch.setattr(ahead, "may_fork", lambda: True)
    monkeypatch.setattr(pageinks, "_measure_into", answering_once)
    ink = InkMap(PAGES)
    assert measure_pages(mixed, ink, processes=2) == PAGES
    assert ink.to_bytes() == alone.to_bytes()
    others = [index for index, _ in ahead.split([(index, None) for index in range(PAGES)], 2)[1]]
    assert rendered == own_share() + [index for index in others[2:] if index % 3]


def first_stamp_cells(source: Path, processes: int = 1, measuring: ahead.Ahead | None = None) -> list:
    """Each page's ink as a first stamp takes it (nothing kept), and how many pages others owed at once."""
    with pikepdf.open(source) as pdf:
        boxes = [displayed_box(page.obj) for page in pdf.pages]
    with pageinks.page_inks(source, None, processes, measuring) as inks:
        inks.prefetch(enumerate(boxes))
        owed = sum(inks._others.owes(index) for index in range(len(boxes)))
        cells = []
        for index, box in enumerate(boxes):
            ink = inks.of_page(index, box)
            cells.append((ink.shape, ink.cell_w, ink.cell_h, ink.exact_rows, ink.inked.tobytes()))
    return [owed, *cells]


@pytest.mark.parametrize("corpus", ["awkward", "content", "born-digital", "mixed"])
def test_pages_measured_by_processes_started_early_are_the_pages_measured_here(
    sample_dir, mixed, corpus, monkeypatch, feet_drawn
) -> None:
    # Started before the boxes are read, they measure at PDFium's single-precision sizes: the
    # same cells, sized on the displayed box; a page whose size is read otherwise is measured here.
    # Processes are started so only where the compiled foot reader was not built (`feet_drawn`),
    # where a scan's page is drawn too, not read from its JPEG.
    build = {"awkward": awkward.build, "content": ink_pages.build, "born-digital": born_digital}
    source = build[corpus](sample_dir / f"early-{corpus}.pdf") if corpus in build else mixed
    alone = first_stamp_cells(source)
    monkeypatch.setattr(ahead, "SHARE_PAGES", 1)
    monkeypatch.setattr(ahead, "may_fork", lambda: True)
    measuring = claiming.measure_ahead(source, 3)
    try:
        early = first_stamp_cells(source, 3, measuring)
    finally:
        measuring.close()
    assert early[0] > 0 and alone[0] == 0  # two processes took on shares before any page was asked for
    assert early[1:] == alone[1:]


def test_processes_started_early_on_another_file_or_count_are_ended_unused(
    sample_dir, mixed, monkeypatch
) -> None:
    alone = first_stamp_cells(mixed)
    monkeypatch.setattr(ahead, "SHARE_PAGES", 1)
    monkeypatch.setattr(ahead, "may_fork", lambda: True)
    other = sample_dir / "early-other.pdf"  # as many pages, inked at their feet: a repaired copy, say
    pdf = canvas.Canvas(str(other), pagesize=A4)
    for _ in range(PAGES):
        pdf.rect(0, 0, A4[0], 120, fill=1)
        pdf.showPage()
    pdf.save()
    measuring = claiming.measure_ahead(other, 2)
    children = [child.process for child in measuring._children]
    other_share = len(ahead.split(list(range(PAGES)), 2)[1])
    assert first_stamp_cells(mixed, 2, measuring) == [other_share, *alone[1:]]  # shares started anew
    assert children and all(child.exitcode is not None for child in children)  # ended and reaped
    with pikepdf.open(mixed) as pdf:
        boxes = [displayed_box(page.obj) for page in pdf.pages]
    measuring = claiming.measure_ahead(mixed, 2)
    children = [child.process for child in measuring._children]
    assert not measuring.adopt(os.fspath(mixed), boxes[:-1])  # PDFium counted otherwise than qpdf
    assert children and all(child.exitcode is not None for child in children)
    # A file PDFium cannot open (qpdf repairs more): the pages are shared among processes anew.
    monkeypatch.setattr(PdfiumDocument, "open", classmethod(lambda cls, source: None))
    alone = first_stamp_cells(mixed)
    measuring = claiming.measure_ahead(mixed, 2)
    children = [child.process for child in measuring._children]
    assert first_stamp_cells(mixed, 2, measuring) == [other_share, *alone[1:]]
    assert children and all(child.exitcode is not None for child in children)


def test_a_stamp_that_fails_leaves_no_process_measuring_behind(
    mixed, monkeypatch, tmp_path, feet_drawn
) -> None:
    children: list = []
    start = ahead.Ahead.start

    def recorded(self, *args) -> None:
        start(self, *args)
        children.extend(child.process for child in self._children)

    def broken(*_args) -> None:
        raise RuntimeError("the planner broke")

    monkeypatch.setattr(ahead, "SHARE_PAGES", 5)
    monkeypatch.setattr(ahead, "may_fork", lambda: True)
    monkeypatch.setattr(ahead.Ahead, "start", recorded)
    monkeypatch.setattr(pageinks, "_measure_into", lambda *_: threading.Event().wait())  # never answers
    monkeypatch.setattr(Planner, "plan", broken)
    with pytest.raises(RuntimeError, match="planner broke"):
        stamp_pdf(mixed, tmp_path / "copy.pdf", MARK, SECRET, processes=2)
    assert children and all(child.exitcode is not None for child in children)  # ended and reaped
    assert not (tmp_path / "copy.pdf").exists()


def test_a_first_stamp_of_many_pages_measures_their_feet_ahead(
    mixed, rendered, feet, drawn, monkeypatch, tmp_path, feet_drawn
) -> None:
    monkeypatch.setattr(ahead, "SHARE_PAGES", 5)
    monkeypatch.setattr(ahead, "may_fork", lambda: True)
    result = stamp_pdf(mixed, tmp_path / "copy.pdf", MARK, SECRET, processes=2)
    assert result.page_count == PAGES
    # Nothing to keep: PDFium draws the feet of its own share's pages of text only, MuPDF nothing.
    assert (drawn, feet, rendered) == ([(index, False) for index in own_share()], [], [])
    drawn.clear()
    stamp_pdf(mixed, tmp_path / "copy.pdf", MARK, SECRET)  # one process unless asked for more
    assert (drawn, feet, rendered) == ([(index, False) for index in range(PAGES) if index % 3], [], [])


@pytest.mark.parametrize("corpus", ["awkward", "content", "born-digital"])
def test_a_measure_of_the_foot_alone_gives_the_renders_cells_there_and_ink_above(sample_dir, corpus) -> None:
    build = {"awkward": awkward.build, "content": ink_pages.build, "born-digital": born_digital}[corpus]
    source = build(sample_dir / f"feet-{corpus}.pdf")
    pymupdf = load_pymupdf()
    measured = 0
    with pymupdf.open(source) as document:
        for index, page in enumerate(document):
            width, height = page.rect.width, page.rect.height
            foot = pageinks.foot_ink(document, index, width, height)
            if foot is None:
                continue  # a scan's grey paper, a short page: rendered whole
            whole = render_ink(document, index, width, height)
            assert whole is not None and foot.shape == whole.shape
            exact = foot.exact_rows
            assert exact == FOOT_ROWS - 1
            assert np.array_equal(foot.inked[:exact], whole.inked[:exact]), index
            assert foot.inked[exact:].all()
            measured += 1
    assert measured >= 3


def test_a_page_whose_foot_has_no_room_is_rendered_whole_for_its_plan(
    sample_dir, drawn, tmp_path, feet_drawn
) -> None:
    path = sample_dir / "full-foot.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("Helvetica", 9)
    for row in range(80):  # figures to the very bottom: the stamp must be looked for higher up
        pdf.drawString(40, 20 + row * 10, " ".join(f"{row * 7 + col:,}" for col in range(14)))
    pdf.showPage()
    pdf.drawString(40, 700, "Halaman kedua, kakinya kosong")
    pdf.showPage()
    pdf.save()
    stamp_pdf(path, tmp_path / "copy.pdf", MARK, SECRET)
    assert drawn == [(0, False), (0, True), (1, False)]  # page 0 drawn whole for its plan


def test_a_process_running_threads_measures_every_page_itself(mixed, rendered, monkeypatch) -> None:
    monkeypatch.setattr(ahead, "SHARE_PAGES", 5)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert measure_pages(mixed, InkMap(PAGES), processes=2) == PAGES
    finally:
        stop.set()
        thread.join()
    assert rendered == [index for index in range(PAGES) if index % 3]  # no fork beside a thread


def test_a_plan_made_from_the_foot_alone_is_the_plan_the_whole_render_gives(sample_dir) -> None:
    source = ink_pages.build(sample_dir / "feet-plans.pdf")
    fonts = FontSet.for_text(StampLayout.texts(MARK, 40), "PkTest")
    layout = StampLayout(MARK, fonts, ResourceNames("PkTest"), 37, 40)
    from_feet, from_renders = Planner(layout), Planner(layout)
    planned = 0
    with load_pymupdf().open(source) as document:
        for index, page in enumerate(document):
            width, height = page.rect.width, page.rect.height
            rendered = render_ink(document, index, width, height)
            foot = pageinks.foot_ink(document, index, width, height)
            assert rendered is not None
            if foot is None:
                continue
            plan = from_feet.plan(width, height, foot)
            if from_feet.depth > foot.exact_rows:  # as the stamper does: the whole page decides
                plan = from_feet.plan(width, height, rendered)
            assert plan == from_renders.plan(width, height, rendered), index
            planned += 1
    assert planned >= 10


def test_no_process_to_be_had_measures_every_page_here(mixed, rendered, monkeypatch) -> None:
    def refused(process: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")  # what fork says at a process limit

    monkeypatch.setattr(ahead, "SHARE_PAGES", 5)
    monkeypatch.setattr(ahead, "may_fork", lambda: True)
    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", refused)
    assert measure_pages(mixed, InkMap(PAGES), processes=2) == PAGES
    assert rendered == [index for index in range(PAGES) if index % 3]
