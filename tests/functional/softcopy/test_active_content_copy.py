"""A PDF with scripts and attachments, uploaded, reported on, asked for and downloaded: the copy is clean."""

from __future__ import annotations

import io
import re

import pymupdf
from flask import Flask
from flask.testing import FlaskClient

from library.intake.ingest_job import run_ingest
from library.models import Role
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in, submit
from tests.functional.softcopy.helpers import ask, publish_draft
from tests.integration.watermark.active_pdfs import (
    TITLE,
    WEB_ADDRESS,
    active_names,
    hostile_pdf,
    link_targets,
    linked_pdf,
)

NUMBER = re.compile(r"PS-\d{8}-\d{5}")


def _take_in(app: Flask, data: bytes, name: str) -> tuple[FlaskClient, int, int]:
    """Upload a PDF at the desk as a librarian and run its ingest; return the client, job and publication."""
    librarian = app.test_client()
    sign_in(librarian, make_person(app, "pustakawan@bps.go.id", [Role.LIBRARIAN]))
    form = {"csrf_token": csrf_token(librarian, "/meja/ingest/baru"), "access_level": "open", "title": TITLE}
    form["berkas"] = [(io.BytesIO(data), name)]
    response = librarian.post("/meja/ingest/baru", data=form, content_type="multipart/form-data")
    job_id = int(re.search(r"/meja/ingest/(\d+)$", response.headers["Location"]).group(1))
    run_ingest(app.extensions["pustaka"].ingest_worker(), job_id)
    status = librarian.get(f"/meja/ingest/{job_id}/status.json").get_json()
    assert status["status"] == "ready"
    publish_draft(app, librarian, status["publication_id"])  # an upload is a draft until published
    return librarian, job_id, status["publication_id"]


def _downloaded(app: Flask, client: FlaskClient, publication_id: int) -> bytes:
    """Ask for the whole publication as a reader and download the copy."""
    sign_in(client, make_person(app, "ani@example.id", name="Ani Suryani"))
    sent = ask(client, publication_id)
    number = NUMBER.search(sent.headers.get("Location", "") + sent.get_data(as_text=True)).group(0)
    got = submit(client, f"/permintaan/{number}/unduh", {}, form_page=f"/permintaan/{number}")
    data = got.get_data()
    got.close()  # the file is sent from the store: let it go
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    return data


def test_the_ingest_report_names_what_was_removed_in_indonesian_and_english(app: Flask) -> None:
    librarian, job_id, _ = _take_in(app, hostile_pdf(), "statda-berbahaya.pdf")
    indonesian = page_text(librarian.get(f"/meja/ingest/{job_id}"))
    assert "PDF ini membawa konten aktif." in indonesian
    assert "JavaScript dihapus (5 skrip)." in indonesian
    assert "2 berkas sematan dihapus." in indonesian
    assert "1 aksi yang membuka program atau berkas lain dihapus." in indonesian
    assert "1 aksi formulir yang mengirim atau mengimpor data dihapus." in indonesian
    assert "1 objek multimedia (video, suara, atau 3D) dihapus." in indonesian
    assert "Formulir XFA dihapus." in indonesian
    librarian.get("/bahasa/en")
    english = page_text(librarian.get(f"/meja/ingest/{job_id}"))
    assert "JavaScript removed (5 scripts)." in english and "2 embedded files removed." in english
    assert "1 action that opens a program or another file removed." in english


def test_a_downloaded_copy_carries_no_active_content_and_keeps_its_stamp_and_text(
    app: Flask, client: FlaskClient
) -> None:
    _, _, publication_id = _take_in(app, hostile_pdf(), "statda-berbahaya.pdf")
    data = _downloaded(app, client, publication_id)
    assert active_names(data) == set()
    assert b"evil.exe" not in data
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        assert doc.page_count == 2
        for number, page in enumerate(doc, start=1):
            assert "Ani Suryani" in page.get_text() and f"{TITLE} - halaman {number}" in page.get_text()


def test_a_downloaded_copy_of_a_benign_pdf_keeps_its_links(app: Flask, client: FlaskClient) -> None:
    librarian, job_id, publication_id = _take_in(app, linked_pdf(), "statda-bertautan.pdf")
    assert "konten aktif" not in page_text(librarian.get(f"/meja/ingest/{job_id}"))
    assert link_targets(_downloaded(app, client, publication_id)) == [WEB_ADDRESS, "page 2"]
