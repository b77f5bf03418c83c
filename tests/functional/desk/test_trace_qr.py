"""Tracing a copy made by the softcopy pipeline: its signed QR codes are read and said to be read."""

from __future__ import annotations

import io
import re

import pymupdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Publication, Role
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in, submit
from tests.functional.softcopy.helpers import ask

NUMBER = re.compile(r"PS-\d{8}-\d{5}")


@pytest.fixture
def app(app: Flask) -> Flask:
    """Return the app with its jobs run at once, inside the request that queues them."""
    app.extensions["pustaka"].jobs.immediate = True
    return app


def open_publication(app: Flask, title: str) -> int:
    """Return the id of the demo publication with this title."""
    with app.extensions["pustaka"].uow() as uow:
        found = uow.session.scalar(select(Publication.id).where(Publication.title == title))
    assert found is not None
    return found


def downloaded_copy(app: Flask, client: FlaskClient, publication: int) -> bytes:
    """Ask for a whole publication as a reader, let the pipeline stamp it, and download it."""
    sign_in(client, make_person(app, "ani@example.id", name="Ani Suryani"))
    sent = ask(client, publication)
    number = NUMBER.search(sent.headers["Location"])
    assert number is not None
    path = f"/permintaan/{number.group(0)}"
    got = submit(client, f"{path}/unduh", {}, form_page=path)
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    data = got.data
    got.close()
    client.post("/keluar", data={"csrf_token": csrf_token(client, "/")})
    return data


def trace(app: Flask, client: FlaskClient, content: bytes, name: str):
    """Sign a librarian in and send a file to the trace form, reading the page in English."""
    sign_in(client, make_person(app, "pustakawan@bps.go.id", [Role.LIBRARIAN]))
    client.set_cookie("lang", "en")
    data = {"csrf_token": csrf_token(client, "/meja/lacak"), "berkas": (io.BytesIO(content), name)}
    response = client.post("/meja/lacak", data=data, content_type="multipart/form-data")
    # The test client spools a large body to a temporary file and leaves it open.
    response.request.environ["wsgi.input"].close()
    return response


@pytest.mark.parametrize(
    "title, pages",
    [
        ("Kecamatan Metro Pusat Dalam Angka 2024", 14),
        ("Direktori Pasar dan Pusat Perdagangan Kota Metro 2019", 4),
    ],
    ids=["born digital", "scan"],
)
def test_a_downloaded_copy_is_traced_with_its_signed_qr_code_read_on_every_page(
    app: Flask, client: FlaskClient, title: str, pages: int
) -> None:
    copy = downloaded_copy(app, client, open_publication(app, title))
    with pymupdf.open(stream=copy, filetype="pdf") as pdf:
        assert pdf.page_count == pages
    text = page_text(trace(app, client, copy, "salinan.pdf"))
    assert "Ani Suryani" in text
    assert f"valid: made by this library (read on {pages} pages: 1–{pages})" in text
    assert (
        f"Read: the text of {pages} of {pages} pages, and their QR codes on {pages} pages (1–{pages})."
        in text
    )
    assert "no signed QR code" not in text


def test_a_copy_whose_qr_codes_were_cut_off_says_they_were_searched_and_not_found(
    app: Flask, client: FlaskClient
) -> None:
    copy = downloaded_copy(app, client, open_publication(app, "Kecamatan Metro Pusat Dalam Angka 2024"))
    with pymupdf.open(stream=copy, filetype="pdf") as pdf:
        for page in pdf:  # the QR code is the born-digital page's only picture: white it out
            for image in page.get_images():
                for rect in page.get_image_rects(image[0]):
                    page.add_redact_annot(rect)
            page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_REMOVE)
        # Four pages: each is drawn to look for a code, and the tracer gives that 20 s in all,
        # which 14 pages overran on a slow machine under load (a budget, not what is tested).
        pdf.select(range(4))
        cut = pdf.tobytes()
    text = page_text(trace(app, client, cut, "tanpa-qr.pdf"))
    assert "Ani Suryani" in text
    assert "no signed QR code on the 4 pages searched" in text
