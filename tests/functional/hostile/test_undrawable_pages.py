"""A page ingest took in but the renderer cannot draw: the reader shows a picture saying so, not a 500."""

from __future__ import annotations

import io
import uuid

import pytest
from flask import Flask
from PIL import Image

from library.models import Role
from tests.functional.accounts.helpers import make_person, sign_in
from tests.functional.hostile.conftest import open_publication
from watermark.errors import N_, WatermarkError
from watermark.trace.ocr import read_text


def cannot_draw(*args: object, **kwargs: object) -> None:
    """Fail as the render worker does on a page two hundred inches wide."""
    raise WatermarkError(
        N_("The page cannot be drawn: %(detail)s"), code="damaged", detail="code=5: Overly large image"
    )


@pytest.fixture
def reader(app: Flask, monkeypatch: pytest.MonkeyPatch):
    """Return a signed-in reader's client, with a renderer that can draw no page."""
    pictures = app.extensions["pustaka"].page_pictures
    monkeypatch.setattr(pictures, "plain", cannot_draw)
    monkeypatch.setattr(pictures, "plains", cannot_draw)
    client = app.test_client()
    person = make_person(app, f"pembaca-{uuid.uuid4().hex[:8]}@example.id", [Role.READER])
    assert sign_in(client, person).status_code == 303
    return client


def test_a_page_that_cannot_be_drawn_is_a_picture_saying_so_in_indonesian(app: Flask, reader) -> None:
    publication = open_publication(app)
    response = reader.get(f"/baca/{publication}/halaman/1.jpg")
    assert response.status_code == 409
    assert response.mimetype == "image/jpeg" and response.headers["Cache-Control"] == "private, no-store"
    picture = Image.open(io.BytesIO(response.get_data()))
    assert picture.size == (910, 1286)
    words = read_text(picture)
    assert "tidak dapat ditampilkan" in words and f"publikasi {publication}" in words


def test_a_sheet_of_thumbnails_that_cannot_be_drawn_shows_empty_pages(app: Flask, reader) -> None:
    response = reader.get(f"/baca/{open_publication(app)}/kecil/1.jpg")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(response.get_data())).width == 96


def test_the_reader_page_itself_still_opens(app: Flask, reader) -> None:
    assert reader.get(f"/baca/{open_publication(app)}").status_code == 200
