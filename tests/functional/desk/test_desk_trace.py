"""Tracing a suspicious file at the desk: who received it, or a clear "no mark"; bad files refused."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import pikepdf
import pymupdf
import pytest
from flask import Flask

from library.ledger.deliveries import DeliveryRecord
from library.models import Role
from runtime.apart import ApartSlots
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in
from tests.functional.ledger_helpers import deliver
from tests.integration.library.pdf_helpers import tiny_pdf


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the temporary folder of this process at a folder the test can look into."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def librarian(app, client, temp_folder):
    """Sign a librarian in, reading pages in English (the msgids, whatever the catalogue holds)."""
    person = make_person(app, "pustakawan@bps.go.id", [Role.LIBRARIAN])
    sign_in(client, person)
    client.set_cookie("lang", "en")
    return person


@pytest.fixture
def delivered(app: Flask) -> tuple[DeliveryRecord, bytes]:
    """Deliver a stamped copy of the first publication; return its ledger record and its bytes."""
    record = deliver(
        app,
        "Dewi Lestari",
        "dewi@unila.ac.id",
        dt.datetime(2026, 3, 5, 16, 30, tzinfo=dt.UTC),
        request_number="PST-2026-0042",
        client_address="203.0.113.9",
    )
    return record, app.extensions["pustaka"].store.path_for(record.output_sha256).read_bytes()


def trace(client, content: bytes | None, name: str = "bocoran.pdf"):
    """Send the trace form with one file (or none)."""
    data: dict[str, object] = {"csrf_token": csrf_token(client, "/meja/lacak")}
    if content is not None:
        data["berkas"] = (io.BytesIO(content), name)
    return client.post("/meja/lacak", data=data, content_type="multipart/form-data")


def test_the_trace_form_is_shown_with_its_token(client, librarian) -> None:
    response = client.get("/meja/lacak")
    assert response.status_code == 200
    assert 'name="csrf_token"' in response.get_data(as_text=True) and 'name="berkas"' in response.get_data(
        as_text=True
    )


def test_an_unchanged_delivered_copy_is_named_exactly_with_its_recipient(
    client, librarian, delivered
) -> None:
    record, content = delivered
    response = trace(client, content)
    text = page_text(response)
    assert response.status_code == 200
    assert f"This file is exactly delivery {record.delivery_id}, byte for byte" in text
    for shown in (
        "Dewi Lestari",
        "dewi@unila.ac.id",
        "5 March 2026, 23:30 WIB",
        record.publication_title,
        "PST-2026-0042",
        "Online request",
        "203.0.113.9",
    ):
        assert shown in text


def test_a_copy_changed_after_delivery_still_names_its_recipient(client, librarian, delivered) -> None:
    record, content = delivered
    with pikepdf.open(io.BytesIO(content)) as pdf:
        del pdf.pages[1:]
        pdf.docinfo["/Title"] = "disalin ulang"
        out = io.BytesIO()
        pdf.save(out)
    text = page_text(trace(client, out.getvalue()))
    assert "This file is exactly" not in text
    assert "The marks in this file name a delivery in the ledger." in text
    assert (
        f"Delivery {record.delivery_id}" in text
        and "Dewi Lestari" in text
        and "Hidden text on the page" in text
    )


def test_a_picture_of_a_stamped_page_names_its_recipient_by_its_signed_qr_code(
    client, librarian, delivered
) -> None:
    record, content = delivered
    with pymupdf.open(stream=content, filetype="pdf") as pdf:
        picture = pdf[0].get_pixmap(dpi=150).tobytes("png")
    text = page_text(trace(client, picture, "foto-halaman.png"))
    assert f"Delivery {record.delivery_id}" in text and "Dewi Lestari" in text
    assert "QR code" in text and "valid: made by this library" in text


def test_a_clean_pdf_has_no_mark(client, librarian, delivered) -> None:
    response = trace(client, tiny_pdf("Statistik Daerah Kota Metro"), "bersih.pdf")
    text = page_text(response)
    assert response.status_code == 200
    assert "No mark of a delivery from this library was found in this file." in text
    assert "Dewi Lestari" not in text


@pytest.mark.parametrize(
    "content, name, message",
    [
        (None, "", "Choose a file to trace."),
        (b"", "kosong.pdf", "The file is empty."),
        (b"just some notes, not a document", "catatan.txt", "Only a PDF or a picture"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "program.exe", "Only a PDF or a picture"),
        (b"%PDF-1.7\nthis is not really a pdf\n", "rusak.pdf", "The file cannot be traced"),
        (b"\x89PNG\r\n\x1a\nnot really a picture", "rusak.png", "The file cannot be traced"),
    ],
    ids=["no file", "empty", "text", "program", "broken pdf", "broken picture"],
)
def test_a_bad_upload_is_refused_on_the_form_and_nothing_is_kept(
    client, librarian, temp_folder, content, name, message
) -> None:
    response = trace(client, content, name)
    text = page_text(response)
    assert response.status_code == 400
    assert message in text and 'name="berkas"' in response.get_data(as_text=True)
    assert str(temp_folder) not in text
    assert list(temp_folder.iterdir()) == []


@pytest.mark.parametrize(
    "language, words, foreign",
    [
        (
            "id",
            "Berkas tidak dapat dilacak: PDF tidak dapat dibaca: Failed to open file 'rusak.pdf'",
            "cannot be",
        ),
        (
            "en",
            "The file cannot be traced: The PDF cannot be read: Failed to open file 'rusak.pdf'",
            "tidak dapat",
        ),
    ],
)
def test_a_damaged_pdf_is_refused_in_the_librarians_language_with_the_engines_reason(
    app, client, temp_folder, language, words, foreign
) -> None:
    sign_in(client, make_person(app, "pustakawan@bps.go.id", [Role.LIBRARIAN]))
    client.set_cookie("lang", language)
    response = trace(client, b"%PDF-1.7\nthis is not really a pdf\n", "rusak.pdf")
    text = page_text(response)
    assert response.status_code == 400
    # The library's sentence and the engine's reason inside it, both from the catalogue; the PDF
    # reader's own detail names the file as uploaded, not by its temporary path.
    assert words in text
    assert foreign not in text and str(temp_folder) not in text


def test_a_traced_file_is_not_kept(client, librarian, delivered, temp_folder) -> None:
    assert trace(client, delivered[1]).status_code == 200
    assert list(temp_folder.iterdir()) == []


def test_a_trace_without_the_form_token_is_refused(client, librarian, delivered) -> None:
    response = client.post(
        "/meja/lacak",
        data={"berkas": (io.BytesIO(delivered[1]), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "Dewi Lestari" not in page_text(response)


def test_a_file_read_past_the_time_allowed_is_stopped_with_a_clear_message(
    client, librarian, delivered, monkeypatch: pytest.MonkeyPatch, temp_folder: Path
) -> None:
    monkeypatch.setattr("webapp.desk.ledger.TRACE_SECONDS", 0.01)
    response = trace(client, delivered[1])
    assert response.status_code == 400
    assert "took longer than 0 seconds, so it was stopped" in page_text(response)
    assert list(temp_folder.iterdir()) == []


def test_while_two_files_are_traced_a_third_is_asked_to_wait(
    client, librarian, delivered, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("webapp.desk.ledger.TRACING", ApartSlots(0, wait=0.01))
    response = trace(client, delivered[1])
    assert response.status_code == 400
    assert "Two other files are being traced right now. Try again in a minute." in page_text(response)
