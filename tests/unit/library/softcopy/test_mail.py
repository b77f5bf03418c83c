"""The emails about softcopy requests say what the person needs to know, in both languages."""

from __future__ import annotations

import datetime as dt

from library.softcopy.mail import Waiting, copy_ready, request_waiting

DUE = dt.datetime(2026, 11, 19, 3, 0, tzinfo=dt.UTC)  # 10:00 WIB


def _waiting(**changes: object) -> Waiting:
    values: dict = {
        "number": "PS-20261116-00007",
        "title": "Kota Metro Dalam Angka 2024",
        "pages": "2-3",
        "embargo_until": None,
        "due_at": DUE,
        "link": "https://pst.example.id/permintaan/PS-20261116-00007",
    }
    return Waiting(**{**values, **changes})


def test_a_restricted_request_is_acknowledged_with_its_pages_and_the_answer_date() -> None:
    mail = request_waiting("ani@example.id", "Ani", _waiting(), "Asia/Jakarta")
    assert mail.subject.startswith("Permintaan softcopy diterima (PS-20261116-00007)")
    assert "(halaman 2-3)" in mail.text and "(pages 2-3)" in mail.text
    assert "menjawab paling lambat\n19 November 2026 10.00 WIB" in mail.text


def test_an_embargoed_request_is_acknowledged_with_its_release_date() -> None:
    mail = request_waiting(
        "ani@example.id", "Ani", _waiting(pages="", embargo_until=dt.date(2026, 12, 1)), "Asia/Jakarta"
    )
    assert "diembargo sampai 1 Desember 2026" in mail.text and "embargoed until 1 December 2026" in mail.text
    assert "(seluruh publikasi)" in mail.text


def test_the_ready_email_has_no_note_section_without_a_note() -> None:
    mail = copy_ready("a@example.id", "Ani", "PS-1", "Judul", "https://x/p", DUE, 3, "Asia/Jakarta")
    assert "Catatan pustakawan" not in mail.text


def test_the_ready_email_carries_the_librarians_note_in_both_languages() -> None:
    mail = copy_ready(
        "a@example.id", "Ani", "PS-1", "Judul", "https://x/p", DUE, 3, "Asia/Jakarta", note="Lihat tabel 4.2."
    )
    assert "Catatan pustakawan:\nLihat tabel 4.2." in mail.text
    assert "The librarian's note:\nLihat tabel 4.2." in mail.text
