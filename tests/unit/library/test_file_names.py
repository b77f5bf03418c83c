"""File names as listed and downloaded: made safe once, the same text the second time."""

from __future__ import annotations

import pytest

from library.file_names import NAME_MAX, attachment_name, file_name

SENT = [
    'a";x=.html',
    "Ringkasan Ekonomi – Triwulan I.pdf",
    "baris\r\n\tbaru.pdf",
    "..\\..\\etc/passwd",
    "tabel\u202egpj.exe",
    "Laporan v2.1 final",
    " . ",
    "",
    "日本語" * 100 + ".pdf",
    "x" * 300 + ".html",
    "a..pdf",
]


@pytest.mark.parametrize("sent", SENT)
def test_a_name_made_safe_is_left_as_it_is_the_second_time(sent: str) -> None:
    once, listed = file_name(sent), attachment_name(sent, "pdf")
    assert file_name(once) == once and attachment_name(listed, "pdf") == listed == file_name(listed)
    assert 0 < len(once) <= NAME_MAX and not once.startswith(".")
    assert not any(c in once for c in "\r\n\t/\\\u202e")


@pytest.mark.parametrize(
    ("sent", "named"),
    [
        ('a";x=.html', 'a";x=.pdf'),  # a PDF is named a PDF, the rest of its name kept
        ("Laporan v2.1 final", "Laporan v2.1 final.pdf"),  # "1 final" is no extension
        ("tabel.PDF", "tabel.pdf"),
        (".pdf", "lampiran.pdf"),
        ("x" * 300 + ".html", "x" * 195 + ".pdf"),
    ],
)
def test_an_attachment_ends_in_the_extension_its_content_calls_for(sent: str, named: str) -> None:
    assert attachment_name(sent, "pdf") == named
