"""The base PDF an access copy starts from, and the text layer read from it."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from ingest.errors import IngestError
from ingest.limits import Limits
from ingest.source import build_base_pdf, inspect, page_texts
from ingest.thumbnail import render_cover_from_path
from tests.integration.ingest import hostile_files as hostile


def _base(source: Path, tmp_path: Path) -> Path:
    return build_base_pdf(source, inspect(source), tmp_path / "base.pdf")


def test_a_clean_pdf_is_copied_as_it_is(tmp_path: Path) -> None:
    source = hostile.text_pdf(tmp_path)
    assert _base(source, tmp_path).read_bytes() == source.read_bytes()


@pytest.mark.parametrize("make", [hostile.broken_xref_pdf, hostile.empty_password_pdf])
def test_a_repaired_or_unlocked_pdf_is_rewritten_clean(tmp_path: Path, make) -> None:
    base = _base(make(tmp_path), tmp_path)
    with pymupdf.open(base) as doc:
        assert (doc.is_repaired, doc.needs_pass, doc.metadata["encryption"]) == (False, False, None)
    texts = page_texts(base)
    assert len(texts) == 6
    assert texts[2].startswith("Halaman 3 baris 0: jumlah penduduk")


def test_a_jpeg_is_embedded_as_its_own_bytes_on_a_page_sized_by_its_dpi(tmp_path: Path) -> None:
    source = hostile.jpeg_renamed_pdf(tmp_path)  # 1240 × 1754 pixels at 150 dpi
    with pymupdf.open(_base(source, tmp_path)) as doc:
        page = doc[0]
        assert (page.rect.width, page.rect.height) == pytest.approx((595.2, 841.92))
        ((xref, *_),) = page.get_images(full=True)
        assert doc.xref_get_key(xref, "Filter") == ("name", "/DCTDecode")
        assert doc.xref_stream_raw(xref) == source.read_bytes()


def test_a_png_is_embedded_losslessly(tmp_path: Path) -> None:
    source = tmp_path / "halaman.png"
    hostile.page_image(600, 850).save(source, dpi=(100, 100))
    with pymupdf.open(_base(source, tmp_path)) as doc:
        ((xref, *_),) = doc[0].get_images(full=True)
        pixmap = pymupdf.Pixmap(doc, xref)
        assert pixmap.samples == Image.open(source).tobytes()
        assert doc[0].rect.width == pytest.approx(600 * 72 / 100)


def test_every_tiff_frame_becomes_a_page_sized_by_its_own_dpi(tmp_path: Path) -> None:
    source = tmp_path / "jilid.tif"
    first = hostile.page_image(800, 1100).convert("1")
    second = hostile.page_image(1100, 800).convert("1")
    first.save(source, save_all=True, append_images=[second], compression="group4", dpi=(200, 200))
    with pymupdf.open(_base(source, tmp_path)) as doc:
        sizes = [(round(p.rect.width, 1), round(p.rect.height, 1)) for p in doc]
    assert sizes == [(288.0, 396.0), (396.0, 288.0)]


def test_a_page_image_without_a_resolution_is_taken_as_300_dpi(tmp_path: Path) -> None:
    source = tmp_path / "tanpa-dpi.tif"
    hostile.page_image(2480, 3508).save(source)
    with pymupdf.open(_base(source, tmp_path)) as doc:
        assert (doc[0].rect.width, doc[0].rect.height) == pytest.approx((595.2, 841.92))


def test_a_folder_becomes_one_pdf_in_natural_page_order(tmp_path: Path) -> None:
    folder = tmp_path / "pindaian"
    folder.mkdir()
    for number in (1, 2, 10):  # told apart by width: 100 + number pixels at 72 dpi
        hostile.page_image(100 + number, 200).save(folder / f"{number}.png", dpi=(72, 72))
    with pymupdf.open(_base(folder, tmp_path)) as doc:
        assert [round(p.rect.width) for p in doc] == [101, 102, 110]


def test_a_phone_photo_is_turned_upright_by_its_exif_orientation(tmp_path: Path) -> None:
    stored = Image.new("L", (400, 300), 255)
    stored.paste(0, (0, 0, 100, 50))  # a block at the stored image's top-left corner
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned 90° clockwise: the block lands top-right
    source = tmp_path / "foto.jpg"
    stored.save(source, exif=exif, dpi=(72, 72))
    with pymupdf.open(_base(source, tmp_path)) as doc:
        page = doc[0]
        assert (page.rect.width, page.rect.height) == pytest.approx((300, 400))
        pixmap = page.get_pixmap(colorspace=pymupdf.csGRAY)
        assert pixmap.pixel(275, 25) == (0,)  # top-right is dark
        assert pixmap.pixel(25, 25) == (255,)


def test_page_texts_give_every_page_blank_ones_included(tmp_path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Definisi dan konsep")
    doc.new_page()
    doc.save(tmp_path / "dua.pdf")
    assert page_texts(tmp_path / "dua.pdf") == ["Definisi dan konsep\n", ""]


def test_a_cover_is_rendered_from_a_path_at_the_asked_width(tmp_path: Path) -> None:
    png = render_cover_from_path(hostile.text_pdf(tmp_path), width=200)
    assert pymupdf.Pixmap(png).width == 200


def test_a_tiff_whose_pixels_are_cut_off_is_damaged_not_a_crash(tmp_path: Path) -> None:
    source = tmp_path / "terpotong.tif"
    hostile.page_image(200, 200).save(source)
    source.write_bytes(source.read_bytes()[:300])  # header intact, strips gone
    facts = inspect(source)
    with pytest.raises(IngestError) as caught:
        build_base_pdf(source, facts, tmp_path / "base.pdf")
    assert (caught.value.code, caught.value.params) == ("damaged", {"name": "terpotong.tif"})


def _colour_page(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """A page of coloured bands (with a half-transparent top quarter in RGBA)."""
    picture = Image.new("RGB", (width, height), (250, 248, 240))
    for x in range(0, width, 40):
        picture.paste((200, 30, 30), (x, 0, x + 12, height))
    if mode == "RGBA":
        picture = picture.convert("RGBA")
        picture.paste((0, 0, 255, 0), (0, 0, width, height // 4))
    return picture


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_a_page_image_over_the_base_budget_is_reduced_to_it_on_a_page_of_its_own_size(
    tmp_path: Path, mode: str
) -> None:
    source = tmp_path / "poster.png"
    _colour_page(1600, 1200, mode).save(source, dpi=(200, 200))
    limits = Limits(base_pixels=480_000)  # a quarter of its pixels
    base = build_base_pdf(source, inspect(source, limits), tmp_path / "base.pdf", limits)
    with pymupdf.open(base) as doc:
        page = doc[0]
        assert (page.rect.width, page.rect.height) == pytest.approx((1600 * 72 / 200, 1200 * 72 / 200))
        ((xref, *_),) = page.get_images(full=True)
        pixmap = pymupdf.Pixmap(doc, xref)
        assert (pixmap.width, pixmap.height) == (800, 600) and pixmap.n == 3 and not pixmap.alpha
        assert pixmap.pixel(400 + 5, 500)[:3] == pytest.approx((200, 30, 30), abs=12)  # still colour
        if mode == "RGBA":  # the see-through top laid on white, not black
            assert min(pixmap.pixel(30, 20)) >= 240
    assert list(tmp_path.glob("reduced-*")) == []  # the reduced picture is not left behind


def test_only_the_tiff_frame_over_the_base_budget_is_reduced(tmp_path: Path) -> None:
    source = tmp_path / "jilid.tif"
    small = hostile.page_image(800, 1100).convert("1")
    small.save(source, save_all=True, append_images=[_colour_page(1600, 1200)], dpi=(200, 200))
    limits = Limits(base_pixels=1_000_000)
    base = build_base_pdf(source, inspect(source, limits), tmp_path / "base.pdf", limits)
    with pymupdf.open(base) as doc:
        assert [round(v) for p in doc for v in (p.rect.width, p.rect.height)] == [288, 396, 576, 432]
        first = pymupdf.Pixmap(doc, doc[0].get_images(full=True)[0][0])
        assert (first.width, first.height) == (800, 1100)  # as it came
        second = pymupdf.Pixmap(doc, doc[1].get_images(full=True)[0][0])
        assert second.width * second.height <= 1_000_000 and second.width == pytest.approx(1154, abs=2)


def test_a_page_image_damaged_past_its_header_is_refused_as_damaged_when_reduced(tmp_path: Path) -> None:
    whole = tmp_path / "whole.png"
    _colour_page(1600, 1200).save(whole, compress_level=0)
    source = tmp_path / "cut.png"
    source.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    limits = Limits(base_pixels=480_000)
    with pytest.raises(IngestError) as caught:
        build_base_pdf(source, inspect(source, limits), tmp_path / "base.pdf", limits)
    assert caught.value.code == "damaged" and "cut.png" in str(caught.value)
