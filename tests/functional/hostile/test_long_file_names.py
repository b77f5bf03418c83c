"""A file name longer than a file system takes (255 bytes) is shortened on upload and trace, never a 500."""

from __future__ import annotations

import io
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import IngestJob, Role
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in
from tests.integration.library.pdf_helpers import tiny_pdf
from webapp.forms import upload_name

LONG_NAMES = ["a" * 300 + ".pdf", "é" * 200 + ".pdf", "日本語" * 40 + ".pdf", "x." + "p" * 300]


@pytest.fixture
def librarian(app: Flask) -> FlaskClient:
    """Return a client signed in as a librarian."""
    client = app.test_client()
    person = make_person(app, f"pustakawan-{uuid.uuid4().hex[:8]}@example.id", [Role.LIBRARIAN])
    assert sign_in(client, person).status_code == 303
    return client


@pytest.mark.parametrize("name", LONG_NAMES)
def test_an_upload_with_a_long_name_is_queued_under_a_shortened_one(
    app: Flask, librarian: FlaskClient, name: str
) -> None:
    pdf = tiny_pdf(f"Uji nama panjang {len(name)} {name[0]}", 2)
    data = {"csrf_token": csrf_token(librarian, "/meja/ingest/baru"), "berkas": (io.BytesIO(pdf), name)}
    response = librarian.post("/meja/ingest/baru", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, page_text(response)[:300]
    with app.extensions["pustaka"].uow() as uow:
        original = uow.session.scalars(select(IngestJob.original_name).order_by(IngestJob.id.desc())).first()
    assert original == name[:255]


def test_pages_sent_as_many_long_named_files_are_queued(app: Flask, librarian: FlaskClient) -> None:
    pages = [(io.BytesIO(tiny_pdf(f"Halaman panjang {n}", 1)), f"{n}" + "h" * 300 + ".pdf") for n in range(2)]
    data = {"csrf_token": csrf_token(librarian, "/meja/ingest/baru"), "berkas": pages}
    response = librarian.post("/meja/ingest/baru", data=data, content_type="multipart/form-data")
    assert response.status_code < 500 and "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)  # the name meets no database here
@pytest.mark.parametrize("name", LONG_NAMES)
def test_tracing_a_file_with_a_long_name_answers_without_a_500(librarian: FlaskClient, name: str) -> None:
    leaked = (io.BytesIO(tiny_pdf("Bocor")), name)
    data = {"csrf_token": csrf_token(librarian, "/meja/lacak"), "berkas": leaked}
    response = librarian.post("/meja/lacak", data=data, content_type="multipart/form-data")
    assert response.status_code in (200, 400)
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("name", LONG_NAMES)
def test_a_saved_name_keeps_its_extension_within_255_bytes(name: str) -> None:
    saved = upload_name(name, "berkas", "0001-")
    assert len(saved.encode()) <= 255 and saved.startswith("0001-")
    assert saved.endswith(".pdf") is name.endswith(".pdf")
