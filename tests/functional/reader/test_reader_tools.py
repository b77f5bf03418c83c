"""The reader's aids: page thumbnails (one small sheet, rendered once) and each page's text."""

from __future__ import annotations

import io
import re

from flask import Flask
from PIL import Image
from sqlalchemy import delete

from library.models import PageSource, PageText
from tests.functional.accounts.helpers import page_text
from tests.functional.reader.test_reader import (
    OPEN_KEY,
    REGISTERED_KEY,
    RESTRICTED_KEY,
    id_of,
    signed_in,
)
from watermark.pictures.thumbnails import CELL, THUMB_DPI


def set_page_text(app: Flask, key: str, page: int, text: str, source: PageSource) -> None:
    """Store the text of one page, as ingest does."""
    publication = id_of(app, key)
    with app.extensions["pustaka"].uow() as uow:
        uow.session.execute(
            delete(PageText).where(PageText.publication_id == publication, PageText.page_number == page)
        )
        row = PageText(publication_id=publication, page_number=page, text=text, source=source.value)
        uow.session.add(row)
        uow.commit()


def test_the_reader_links_every_page_to_its_text_and_shows_one_thumbnail_sheet_per_twenty_pages(
    app: Flask,
) -> None:
    publication = id_of(app, OPEN_KEY)
    html = signed_in(app).get(f"/baca/{publication}").get_data(as_text=True)
    for number in range(1, 5):
        assert f'href="/baca/{publication}/teks/{number}"' in html
        assert f'<a href="#hal-{number}" data-page="{number}"' in html
    sheets = re.findall(r'<img src="(/baca/\d+/kecil/\d+\.jpg)"[^>]*loading="lazy"', html)
    assert sheets == [f"/baca/{publication}/kecil/1.jpg"]
    assert "<script>" not in html and " style=" not in html  # nothing a strict CSP would block


def test_a_thumbnail_sheet_holds_every_page_small_and_may_be_kept_by_the_browser(app: Flask) -> None:
    response = signed_in(app).get(f"/baca/{id_of(app, OPEN_KEY)}/kecil/1.jpg")
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.headers["Cache-Control"] == "private, max-age=86400"
    with Image.open(io.BytesIO(response.data)) as sheet:
        assert sheet.size == (CELL[0], CELL[1] * 4)
    assert len(response.data) < 40_000


def test_thumbnails_are_rendered_once_for_every_reader(app: Flask) -> None:
    pictures = app.extensions["pustaka"].page_pictures
    publication = id_of(app, OPEN_KEY)
    signed_in(app).get(f"/baca/{publication}/kecil/1.jpg")
    rendered = sorted(pictures.cache.folder.rglob(f"*-{THUMB_DPI}-*.page"))
    assert len(rendered) == 4
    renders = []
    original = pictures._render
    pictures._render = lambda *args: renders.append(args) or original(*args)
    assert signed_in(app, "librarian").get(f"/baca/{publication}/kecil/1.jpg").status_code == 200
    assert renders == []


def test_a_sheet_past_the_last_page_is_not_found(app: Flask) -> None:
    assert signed_in(app).get(f"/baca/{id_of(app, OPEN_KEY)}/kecil/2.jpg").status_code == 404


def test_thumbnails_of_a_restricted_publication_are_refused_like_its_pages(app: Flask) -> None:
    response = signed_in(app).get(f"/baca/{id_of(app, RESTRICTED_KEY)}/kecil/1.jpg")
    assert response.status_code == 403
    assert response.mimetype == "text/plain"


def test_the_text_view_shows_the_page_text_and_warns_it_was_read_by_a_machine(app: Flask) -> None:
    set_page_text(app, OPEN_KEY, 2, "Pasar Bambu Kuning\n\nJumlah pedagang: 412", PageSource.OCR)
    response = signed_in(app).get(f"/baca/{id_of(app, OPEN_KEY)}/teks/2")
    assert response.status_code == 200
    text = page_text(response)
    assert "Teks halaman 2 dari 4" in text
    assert "Pasar Bambu Kuning" in text and "Jumlah pedagang: 412" in text
    assert "dibaca mesin" in text
    html = response.get_data(as_text=True)
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_a_born_digital_page_text_has_no_machine_reading_warning(app: Flask) -> None:
    set_page_text(app, OPEN_KEY, 1, "Kata pengantar", PageSource.LAYER)
    text = page_text(signed_in(app).get(f"/baca/{id_of(app, OPEN_KEY)}/teks/1"))
    assert "Kata pengantar" in text and "dibaca mesin" not in text


def test_a_page_without_text_says_so(app: Flask) -> None:
    set_page_text(app, OPEN_KEY, 3, "  ", PageSource.OCR)
    assert "tidak memuat teks" in page_text(signed_in(app).get(f"/baca/{id_of(app, OPEN_KEY)}/teks/3"))


def test_the_text_of_a_restricted_publication_is_refused_like_its_pages(app: Flask) -> None:
    set_page_text(app, RESTRICTED_KEY, 1, "Rahasia anggaran", PageSource.LAYER)
    response = signed_in(app).get(f"/baca/{id_of(app, RESTRICTED_KEY)}/teks/1")
    assert response.status_code == 403
    assert "Rahasia anggaran" not in response.get_data(as_text=True)


def test_someone_signed_out_is_sent_to_sign_in_for_the_text_of_a_registered_publication(app: Flask) -> None:
    response = app.test_client().get(f"/baca/{id_of(app, REGISTERED_KEY)}/teks/1")
    assert response.status_code == 302
    assert response.location.startswith("/masuk?next=")


def test_the_text_of_a_page_past_the_end_is_not_found(app: Flask) -> None:
    response = signed_in(app).get(f"/baca/{id_of(app, OPEN_KEY)}/teks/9")
    assert response.status_code == 404
    assert "Tidak ada halaman 9" in page_text(response)
