"""What a requester gets: an acknowledgement while waiting, the librarian's note, a file named by title."""

from __future__ import annotations

import io
import urllib.parse

import pypdf
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.clock import day_text
from library.models import AccessLevel, Publication, Role
from library.softcopy.file_names import ascii_slug
from tests.functional.accounts.helpers import make_person, outbox, sign_in, submit
from tests.functional.softcopy.helpers import ask, publication_id


def _number(answer) -> str:
    return answer.headers["Location"].rsplit("/", 1)[-1]


def _mails_about(app: Flask, number: str) -> list[str]:
    """Return the subjects and texts of the emails about a request, oldest first."""
    return [f"{m['Subject']}\n{m.get_content()}" for m in outbox(app) if number in m["Subject"]]


def _title(app: Flask, pub: int) -> str:
    with app.extensions["pustaka"].uow() as uow:
        title = uow.session.scalar(select(Publication.title).where(Publication.id == pub))
    assert title
    return title


def test_a_restricted_request_is_acknowledged_by_email_with_its_pages_and_deadline(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    number = _number(ask(client, publication_id(app, AccessLevel.RESTRICTED), scope="pages", pages="2-3"))
    mails = _mails_about(app, number)
    assert len(mails) == 1
    assert "Permintaan softcopy diterima" in mails[0] and "halaman 2-3" in mails[0]
    assert "pustakawan membaca permintaan Anda dan menjawab paling lambat" in mails[0]
    assert f"/permintaan/{number}" in mails[0]


def test_an_embargoed_request_is_acknowledged_with_its_release_date(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    pub = publication_id(app, AccessLevel.EMBARGOED)
    with app.extensions["pustaka"].uow() as uow:
        until = uow.session.scalar(select(Publication.embargo_until).where(Publication.id == pub))
    assert until is not None
    number = _number(ask(client, pub))
    (mail,) = _mails_about(app, number)
    assert f"Publikasi ini diembargo sampai {day_text(until, 'id')}" in mail
    assert f"This publication is embargoed until {day_text(until, 'en')}" in mail


def test_an_open_request_gets_only_the_ready_email(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    number = _number(ask(client, publication_id(app, AccessLevel.OPEN)))
    (mail,) = _mails_about(app, number)
    assert "Softcopy siap diunduh" in mail


def test_the_ready_email_carries_the_librarians_note(app: Flask) -> None:
    reader, librarian = app.test_client(), app.test_client()
    sign_in(reader, make_person(app, "ani@example.id"))
    sign_in(librarian, make_person(app, "pustakawan@example.id", roles=[Role.LIBRARIAN]))
    number = _number(ask(reader, publication_id(app, AccessLevel.RESTRICTED)))
    note = "Tabel yang Anda cari ada di halaman 12 dan 13."
    path = f"/meja/permintaan/{number}"
    assert submit(librarian, f"{path}/setujui", {"approve-note": note}, form_page=path).status_code == 303
    ready = _mails_about(app, number)[-1]
    assert "Softcopy siap diunduh" in ready
    assert f"Catatan pustakawan:\n{note}" in ready and f"The librarian's note:\n{note}" in ready


def test_the_download_is_named_after_the_publication_in_ascii_and_in_utf8(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    pub = publication_id(app, AccessLevel.OPEN)
    number = _number(ask(client, pub))
    got = submit(client, f"/permintaan/{number}/unduh", {}, form_page=f"/permintaan/{number}")
    title = _title(app, pub)
    disposition = got.headers["Content-Disposition"]
    assert f'filename="{ascii_slug(title)}-{number}.pdf"' in disposition
    assert f"filename*=UTF-8''{urllib.parse.quote(f'{title} - {number}.pdf', safe='')}" in disposition
    assert pypdf.PdfReader(io.BytesIO(got.data)).metadata.title == title
    got.close()
