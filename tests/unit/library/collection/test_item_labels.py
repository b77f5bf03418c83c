"""Spine and barcode labels land on the sheet the office set, and their barcodes scan back."""

from __future__ import annotations

import numpy as np
import pymupdf
import pytest
import zxingcpp

from library.collection.barcodes import BarcodeNumbering
from library.collection.labels import LabelItem, barcode_labels_pdf, spine_labels_pdf, spine_lines
from library.errors import InvalidField, SettingsError
from library.settings import Settings, label_sheet
from library.settings.collection import LABEL_SHEETS, check_barcode_pattern

COPIES = [
    LabelItem(f"1872{n:06d}", "310.598 MET k 2024", "Kota Metro Dalam Angka 2024, edisi dengan judul panjang")
    for n in range(1, 27)
] + [LabelItem("B00000001", "330 BPS s 2023", "Statistik Daerah")]


def scanned(pdf: bytes) -> list[list[str]]:
    """Return the Code 128 barcodes a scanner reads on each page, rendered at a printer's 300 dpi."""
    pages = []
    for page in pymupdf.open(stream=pdf):
        pix = page.get_pixmap(dpi=300, colorspace=pymupdf.csGRAY)
        image = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width)
        pages.append(
            sorted(r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.Code128))
        )
    return pages


@pytest.mark.parametrize("name", sorted(LABEL_SHEETS))
def test_every_barcode_on_every_preset_sheet_scans_back(name: str) -> None:
    sheet = label_sheet(name)
    pages = scanned(barcode_labels_pdf(COPIES, sheet, skip=1))
    assert len(pages) == -(-(len(COPIES) + 1) // sheet.per_sheet)
    assert sorted(b for page in pages for b in page) == sorted(c.barcode for c in COPIES)


def test_a_barcode_label_shows_the_barcode_in_figures_the_title_short_and_the_call_number() -> None:
    text = pymupdf.open(stream=barcode_labels_pdf(COPIES[:1], label_sheet("a4-4x10")))[0].get_text()
    assert "1872000001" in text and "310.598 MET k 2024" in text
    assert "Kota Metro Dalam Angka" in text and "…" in text and "judul panjang" not in text


def test_labels_fill_the_sheet_after_those_already_used() -> None:
    sheet = label_sheet("a4-3x8")
    page = pymupdf.open(stream=spine_labels_pdf(COPIES[:1], sheet, skip=4))[0]
    word = page.search_for("310.598")[0]
    assert 70 < word.x0 / 72 * 25.4 < 140 and 37 < word.y0 / 72 * 25.4 < 74  # second row, middle column


def test_a_spine_label_reads_the_call_number_one_part_a_line() -> None:
    assert spine_lines("310.598  MET k 2024") == ["310.598", "MET", "k", "2024"]
    lines = pymupdf.open(stream=spine_labels_pdf(COPIES[-1:], label_sheet("a4-5x13")))[0].get_text().split()
    assert lines == ["330", "BPS", "s", "2023"]


@pytest.mark.parametrize("skip", [-1, 24])
def test_a_count_of_used_labels_beyond_the_sheet_is_refused(skip: int) -> None:
    with pytest.raises(InvalidField):
        spine_labels_pdf(COPIES, label_sheet("a4-3x8"), skip=skip)


def test_a_custom_sheet_is_read_in_millimetres() -> None:
    sheet = label_sheet("columns=2, rows=5, width=100, height=50, top=20, left=5, across=100, down=51")
    assert (sheet.per_sheet, sheet.width, sheet.down) == (10, 100.0, 51.0)


@pytest.mark.parametrize(
    "spec",
    [
        "tom-jerry",
        "columns=3,rows=8,width=70,height=37",  # a measure missing
        "columns=3,rows=8,width=80,height=37,top=0,left=0,across=80,down=37",  # wider than A4
        "columns=3,rows=8,width=70,height=37,top=0,left=0,across=60,down=37",  # labels overlap
    ],
)
def test_a_label_sheet_that_cannot_be_printed_on_is_refused(spec: str) -> None:
    with pytest.raises(SettingsError, match="PUSTAKA_LABEL_SHEET"):
        label_sheet(spec)


@pytest.mark.parametrize(
    "pattern", ["{office}", "{office}-{copy}", "{number:06d} {office}", "{number", "X" * 40 + "{number}"]
)
def test_a_barcode_pattern_without_a_number_or_unscannable_is_refused_at_start(pattern: str) -> None:
    with pytest.raises(SettingsError, match="PUSTAKA_ITEM_BARCODE_PATTERN"):
        check_barcode_pattern(pattern, "1872")
    with pytest.raises(SettingsError):
        Settings.from_env({"PUSTAKA_ITEM_BARCODE_PATTERN": pattern})


def test_copies_numbered_without_the_settings_are_numbered_as_the_default_settings_number_them() -> None:
    settings = Settings.from_env({})
    assert BarcodeNumbering() == BarcodeNumbering(settings.item_barcode_pattern, settings.office)
