"""The subject field suggests controlled subjects; a typo kept as free text is merged on the subject page."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Publication, PublicationChange, Role, SubjectTerm
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in
from tests.functional.desk.test_publication_edit import KEY, edit_page, post, stored_fields

SCREEN = "/meja/subjek"


@pytest.fixture
def pid(app: Flask) -> int:
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(select(Publication.id).where(Publication.key == KEY))


def term_id(app: Flask, name: str) -> int:
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(select(SubjectTerm.id).where(SubjectTerm.name_id == name))


def test_a_typed_variant_is_kept_told_then_merged_after_a_preview(
    app: Flask, client: FlaskClient, pid: int
) -> None:
    sign_in(client, make_person(app, "wulan@bps.go.id", [Role.LIBRARIAN], name="Wulan Pustakawan"))
    edit = client.get(edit_page(pid)).get_data(as_text=True)
    assert 'list="subject-terms"' in edit and '<option value="Kemiskinan">' in edit  # suggested, no script
    fields = stored_fields(client, pid)
    assert post(client, edit_page(pid), {**fields, "subject": "kependudukn"}, pid).status_code == 303
    told = page_text(client.get(edit_page(pid)))
    # Kept as typed, and said so (in English until the catalogue carries its translation).
    assert "not one of the controlled subjects" in told or "bukan salah satu subjek terkendali" in told
    assert "kependudukn" in page_text(client.get(SCREEN))
    target = term_id(app, "Kependudukan")
    form = {"csrf_token": csrf_token(client, SCREEN), "variant": "kependudukn", "term": str(target)}
    preview = client.post(SCREEN + "/pratinjau", data=form)
    assert preview.status_code == 200
    shown = page_text(preview)
    assert "Kota Metro Dalam Angka 2024 kependudukn Kependudukan" in shown
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.get(Publication, pid).subject == "kependudukn"  # a preview changes nothing
    assert client.post(SCREEN + "/gabung", data=form).status_code == 303
    with app.extensions["pustaka"].uow() as uow:
        publication = uow.session.get(Publication, pid)
        assert (publication.subject, publication.subject_id) == ("Kependudukan", target)
        last = uow.session.scalars(
            select(PublicationChange).where(PublicationChange.publication_id == pid)
        ).all()[-1]
        assert (last.old_value, last.new_value) == ("kependudukn", "Kependudukan")
    assert "kependudukn" not in page_text(client.get(SCREEN))


def test_a_merge_without_a_subject_is_refused_on_the_page(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "wulan@bps.go.id", [Role.LIBRARIAN], name="Wulan Pustakawan"))
    form = {"csrf_token": csrf_token(client, SCREEN), "variant": "kependudukn", "term": ""}
    response = client.post(SCREEN + "/pratinjau", data=form)
    assert response.status_code == 400
    assert "error-summary" in response.get_data(as_text=True)


def test_readers_do_not_see_the_subject_screen(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "rina@example.com", [Role.READER]))
    assert client.get(SCREEN).status_code in (403, 404)
