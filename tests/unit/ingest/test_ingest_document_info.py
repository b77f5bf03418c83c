"""PDF document info cleaned for the catalogue: no blanks, placeholders or control bytes."""

from __future__ import annotations

import pytest

from ingest.pdffile import clean_info, pdf_date_iso


def test_info_is_cleaned_of_blanks_placeholders_and_control_characters() -> None:
    metadata = {
        "format": "PDF 1.4",
        "title": " Kota Metro\x00 Dalam\n Angka 2024 ",
        "author": "anonymous",
        "subject": "unspecified",
        "keywords": "",
        "creator": "Adobe InDesign 18.0",
        "producer": None,
        "encryption": None,
        "creationDate": "D:20240228093000+07'00'",
        "trapped": "",
    }
    assert clean_info(metadata) == {
        "title": "Kota Metro Dalam Angka 2024",
        "creator": "Adobe InDesign 18.0",
        "creationDate": "2024-02-28T09:30:00+07:00",
    }


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("D:20240228093000+07'00'", "2024-02-28T09:30:00+07:00"),
        ("D:20240228093000Z", "2024-02-28T09:30:00Z"),
        ("D:20240228", "2024-02-28"),
        ("D:2024", "2024-01-01"),
        ("20191129120000-05'30", "2019-11-29T12:00:00-05:30"),
        ("D:20241399", ""),
        ("kemarin", ""),
    ],
)
def test_pdf_dates_become_iso_8601(raw: str, iso: str) -> None:
    assert pdf_date_iso(raw) == iso


def test_an_unreadable_date_is_kept_as_written() -> None:
    assert clean_info({"modDate": "Selasa, 5 Maret"}) == {"modDate": "Selasa, 5 Maret"}
