"""Reader views are traceable: each opening of the reader is a session in the ledger, its pictures name it."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select

from library.models import Publication, ReadingSession, Role
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in

TABLES_TITLE = "Kecamatan Metro Pusat Dalam Angka 2024"  # born digital, with tables from page 6
SESSION_IN_PAGE = re.compile(r"halaman/(\d+)\.jpg\?sesi=([0-9A-Z]{8})")


def publication(app: Flask, title: str = TABLES_TITLE) -> int:
    with app.extensions["pustaka"].uow() as uow:
        found = uow.session.scalar(select(Publication.id).where(Publication.title == title))
    assert found is not None
    return found


def reader(app: Flask, email: str = "siti@example.id", name: str = "Siti Aminah") -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, make_person(app, email, name=name)).status_code == 303
    return client


def open_reader(client: FlaskClient, publication_id: int, sesi: str = "") -> str:
    """Open the reader (continuing session `sesi` if given); return the session id its page pictures carry."""
    page = client.get(f"/baca/{publication_id}" + (f"?sesi={sesi}" if sesi else "")).get_data(as_text=True)
    found = {match.group(2) for match in SESSION_IN_PAGE.finditer(page)}
    assert len(found) == 1, found
    return found.pop()


def picture(client: FlaskClient, publication_id: int, page: int, session_id: str) -> bytes:
    """Return the page picture the server sends, exactly as a screenshot tool would keep it."""
    for _ in range(50):  # a page still rendering answers 503: ask again, as the reader's page does
        response = client.get(f"/baca/{publication_id}/halaman/{page}.jpg?sesi={session_id}")
        if response.status_code != 503:
            break
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    return response.data


def sessions(app: Flask) -> list[ReadingSession]:
    with app.extensions["pustaka"].uow() as uow:
        rows = uow.session.scalars(select(ReadingSession).order_by(ReadingSession.id)).all()
        uow.session.expunge_all()
    return list(rows)


def librarian(app: Flask) -> FlaskClient:
    """Return a librarian signed in, who reads pages in English."""
    client = app.test_client()
    sign_in(client, make_person(app, "pustakawan@bps.go.id", [Role.LIBRARIAN]))
    client.set_cookie("lang", "en")
    return client


def trace(app: Flask, content: bytes, name: str, client: FlaskClient | None = None) -> str:
    """Send a file to the trace form as a librarian; return the page's text in English."""
    client = client or librarian(app)
    data = {"csrf_token": csrf_token(client, "/meja/lacak"), "berkas": (io.BytesIO(content), name)}
    response = client.post("/meja/lacak", data=data, content_type="multipart/form-data")
    response.request.environ["wsgi.input"].close()  # a large body is spooled to a file left open
    return page_text(response)


def test_opening_the_reader_records_a_reading_session_in_the_ledger(app: Flask) -> None:
    pub = publication(app)
    session_id = open_reader(reader(app), pub)
    [row] = sessions(app)
    assert (row.session_id, row.publication_id, row.reader_name, row.reader_email) == (
        session_id,
        pub,
        "Siti Aminah",
        "siti@example.id",
    )


def test_another_readers_session_id_is_never_stamped_on_your_pages(app: Flask) -> None:
    pub = publication(app)
    theirs = open_reader(reader(app), pub)
    mine = reader(app, "budi@example.id", "Budi Santoso")
    picture(mine, pub, 1, theirs)
    rows = sessions(app)
    assert [r.reader_name for r in rows] == ["Siti Aminah", "Budi Santoso"]
    assert rows[1].session_id != theirs


def test_reading_sessions_are_append_only(app: Flask) -> None:
    open_reader(reader(app), publication(app))
    engine = app.extensions["pustaka"].engine
    for statement in ("UPDATE reading_session SET reader_name = 'X'", "DELETE FROM reading_session"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.exec_driver_sql(statement)


@pytest.mark.slow
def test_a_screenshot_of_a_reader_page_is_traced_to_its_reading_session(app: Flask) -> None:
    pub = publication(app)
    client = reader(app)
    session_id = open_reader(client, pub)
    shot = picture(client, pub, 6, session_id)
    text = trace(app, shot, "tangkapan-layar.jpg")
    assert f"Reading session {session_id}" in text
    assert "Siti Aminah" in text and "siti@example.id" in text and TABLES_TITLE in text
    assert "The marks in this picture name a reading session in the ledger." in text


@pytest.mark.slow
def test_crops_of_tables_are_traced_to_their_reading_sessions_whatever_the_ids(app: Flask) -> None:
    # Ids drawn at random, as in use: what is read must not depend on which letters they are.
    pub = publication(app)
    desk = librarian(app)
    traced = []
    people = (("siti@example.id", "Siti Aminah"), ("budi@example.id", "Budi Santoso"))
    for (email, name), (page, box) in zip(people, TABLE_CROPS, strict=True):  # two ids, two tables
        client = reader(app, email, name)
        session_id = open_reader(client, pub)
        crop = io.BytesIO()
        Image.open(io.BytesIO(picture(client, pub, page, session_id))).crop(box).save(crop, "PNG")
        text = trace(app, crop.getvalue(), "potongan-tabel.png", desk)
        named = set(re.findall(r"Reading session ([0-9A-Z]{8})", text))
        traced.append((session_id, named, name in text, "Invisible code tiled over a reader" in text))
    assert traced == [(session_id, {session_id}, True, True) for session_id, *_ in traced]


# Tables of pages 6 and 12, about 700x500 pixels of the 910x1287 page pictures; the footer left out.
TABLE_CROPS = ((6, (85, 160, 825, 720)), (12, (60, 300, 760, 800)))


@pytest.mark.slow
def test_someone_signed_out_reads_an_open_publication_and_a_screenshot_names_their_browser_and_address(
    app: Flask,
) -> None:
    pub = publication(app)
    anonymous = app.test_client()
    anonymous.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    session_id = open_reader(anonymous, pub)
    shot = picture(anonymous, pub, 6, session_id)
    [row] = sessions(app)
    assert (row.reader_user_id, row.visit_id, row.reader_email, row.client_address) == (
        None,
        None,
        "",
        "203.0.113.7",
    )
    assert len(row.anonymous_reader) == 8 and row.reader_name == f"Pembaca anonim {row.anonymous_reader}"
    text = trace(app, shot, "tangkapan-layar.jpg")
    assert f"Reading session {session_id}" in text and "203.0.113.7" in text
    assert f"Pembaca anonim {row.anonymous_reader}" in text
    told = page_text(anonymous.get(f"/baca/{pub}?sesi={session_id}"))
    assert "Anda tidak masuk: setiap halaman memuat id pembaca anonim" in told


def test_an_anonymous_reader_keeps_one_id_per_browser_and_never_takes_another_browsers_session(
    app: Flask,
) -> None:
    pub = publication(app)
    first, second = app.test_client(), app.test_client()
    theirs = open_reader(first, pub)
    open_reader(first, pub)
    mine = open_reader(second, pub, sesi=theirs)
    rows = sessions(app)
    assert mine != theirs and len(rows) == 3
    assert rows[0].anonymous_reader == rows[1].anonymous_reader != rows[2].anonymous_reader
