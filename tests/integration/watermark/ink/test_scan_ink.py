"""A scanned page's ink: the cells its picture covers (every cell a render inks), nothing decoded."""

from __future__ import annotations

import base64
import io
import random
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from PIL import Image, ImageDraw

from tests.integration.watermark.conftest import MARK, SECRET
from watermark import stamp_pdf
from watermark.ink import pageinks
from watermark.ink.inkrender import render_ink
from watermark.ink.room import grown
from watermark.ink.scan_ink import _span, scan_ink
from watermark.pdf.mupdf import load_pymupdf
from watermark.pdf.pagebox import displayed_box

A4 = (595.28, 841.89)


def scanned(mode: str, seed: int, size: tuple[int, int] = (1240, 1754)) -> bytes:
    """Return a JPEG of a scanned page: grey paper, lines of print, a faint rule, a stamp at the foot."""
    rng = random.Random(seed)
    picture = Image.new("L", size, 246)
    draw = ImageDraw.Draw(picture)
    for row in range(40):
        y = 120 + row * 36
        draw.rectangle((100, y, 100 + rng.randint(300, 1000), y + 14), fill=rng.randint(10, 90))
    draw.line((100, 1600, 1100, 1600), fill=150, width=1)  # a faint hairline
    draw.rectangle((900, 1660, 1000, 1700), fill=40)  # ink in the foot's margin
    buffer = io.BytesIO()
    picture.convert(mode).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def page_drawing(
    pdf: pikepdf.Pdf, jpeg: bytes, mode: str, placed: tuple[float, ...], extra: bytes = b""
) -> None:
    """Add a page that draws `jpeg` at `placed` (width, height, x, y); `extra` content after it."""
    width, height = Image.open(io.BytesIO(jpeg)).size if jpeg[4:] else (1240, 1754)
    armoured = mode.endswith("+a85")
    data = base64.a85encode(jpeg) + b"~>" if armoured else jpeg
    filters = Array([Name.ASCII85Decode, Name.DCTDecode]) if armoured else Name.DCTDecode
    space = {"L": Name.DeviceGray, "RGB": Name.DeviceRGB, "CMYK": Name.DeviceCMYK}[mode.split("+")[0]]
    picture = pikepdf.Stream(pdf, data)
    picture.write(data, filter=filters, type_check=False)
    for key, value in (("/Type", Name.XObject), ("/Subtype", Name.Image), ("/ColorSpace", space)):
        picture[key] = value
    picture.Width, picture.Height, picture.BitsPerComponent = width, height, 8
    w, h, x, y = placed
    content = b"1 0 0 1 0 0 cm BT /F1 12 Tf ET\nq %g 0 0 %g %g %g cm /Im0 Do Q\n" % (w, h, x, y) + extra
    page = Dictionary(
        Type=Name.Page,
        MediaBox=Array([0, 0, *A4]),
        Resources=Dictionary(XObject=Dictionary(Im0=pdf.make_indirect(picture))),
        Contents=pdf.make_stream(content),
    )
    pdf.pages.append(pikepdf.Page(page))


KINDS = [("L", (*A4, 0, 0)), ("RGB", (*A4, 0, 0)), ("L+a85", (*A4, 0, 0)), ("L", (500, 700, 40, 60))]


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scans") / "scans.pdf"
    with pikepdf.new() as pdf:
        for seed, (mode, placed) in enumerate(KINDS):
            page_drawing(pdf, scanned(mode.split("+")[0], seed), mode, placed)
        page_drawing(pdf, scanned("L", 9), "L", (*A4, 0, 0), b"BT /F1 9 Tf 40 20 Td (Hal. 3) Tj ET\n")
        page_drawing(pdf, scanned("CMYK", 10), "CMYK", (*A4, 0, 0))
        page_drawing(pdf, scanned("L", 11, (300, 420)), "L", (*A4, 0, 0))  # coarser than the cells
        page_drawing(pdf, b"\xff\xd8\xff\xe0", "L", (*A4, 0, 0))  # cut short: no JPEG libjpeg reads
        pdf.save(path)
    return path


def test_a_scans_cells_hold_every_cell_a_render_inks_and_the_paper_round_it(scans: Path) -> None:
    document = load_pymupdf().open(str(scans))
    with pikepdf.open(scans) as pdf:
        for index in range(len(KINDS)):
            page = pdf.pages[index].obj
            box = displayed_box(page)
            read = scan_ink(page, box)
            rendered = render_ink(document, index, box.width, box.height)
            assert read is not None and rendered is not None, index
            assert read.inked.shape == rendered.inked.shape, index
            assert not (rendered.inked & ~read.inked).any(), index  # nothing a render finds is missed
            assert not read.is_free(*foot_stamp(KINDS[index][1])), index  # the foot's own ink is seen
            w, h, x, y = KINDS[index][1]
            cells = np.zeros(read.inked.shape, dtype=bool)
            cells[_span(y, h, read.cell_h, cells.shape[0]), _span(x, w, read.cell_w, cells.shape[1])] = True
            assert np.array_equal(read.inked, grown(cells)), index  # what a render's cells grow to
            # Paper round a picture that leaves some is free for the stamp; a whole-page scan leaves none.
            assert read.is_free(0, 0, box.width, 40) == (y > 40), index
            assert read.is_free(box.width - 40, 0, 40, box.height) == (x > 0), index


def foot_stamp(placed: tuple[float, ...]) -> tuple[float, float, float, float]:
    """Where a scan's foot stamp is on the page (x, y, width, height) for its picture `placed`."""
    w, h, x, y = placed
    return x + 900 / 1240 * w, y + (1754 - 1700) / 1754 * h, 100 / 1240 * w, 40 / 1754 * h


def test_a_page_that_draws_more_than_its_picture_is_drawn_instead(scans: Path) -> None:
    with pikepdf.open(scans) as pdf:
        page = pdf.pages[len(KINDS)].obj  # a page number's text beside the picture
        assert scan_ink(page, displayed_box(page)) is None
        for index in range(len(KINDS) + 1, len(pdf.pages)):  # CMYK, coarse, cut short: still a picture
            page = pdf.pages[index].obj
            assert scan_ink(page, displayed_box(page)) is not None, index


def test_a_first_stamp_of_a_scan_draws_none_of_its_pictures_and_puts_its_stamp_below(
    scans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[bool] = []

    def counting(page: pikepdf.Dictionary, box: object) -> object:
        found = scan_ink(page, box)  # type: ignore[arg-type]
        read.append(found is not None)
        return found

    monkeypatch.setattr(pageinks, "scan_ink", counting)
    result = stamp_pdf(scans, tmp_path / "stamped.pdf", MARK, SECRET, processes=1)
    assert result.page_count == 8 and sum(read) == 7  # all but the page with text beside its picture
    with pikepdf.open(tmp_path / "stamped.pdf") as stamped:
        heights = [float(page.mediabox[3]) - float(page.mediabox[1]) for page in stamped.pages]
    # A whole-page scan grows a band for its stamp; the picture with paper round it keeps its size.
    assert heights[0] > A4[1] and heights[3] == pytest.approx(A4[1])
