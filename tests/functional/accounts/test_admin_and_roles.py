"""Roles: role_required, the administrator's account list, staff roles and deactivation."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from library.models import Role, User
from tests.functional.accounts.helpers import make_person, page_text, sign_in, submit
from webapp.auth import current_actor, role_required


@pytest.fixture
def desk_like_page(app: Flask) -> Flask:
    """Add a page for librarians, as another blueprint would with role_required."""

    @role_required(Role.LIBRARIAN)
    def shelf() -> str:
        actor = current_actor()
        assert actor is not None
        return f"rak untuk {actor.name}"

    app.add_url_rule("/rak-uji", "shelf", shelf)
    return app


def test_role_required_sends_a_signed_out_visitor_to_sign_in(
    desk_like_page: Flask, client: FlaskClient
) -> None:
    response = client.get("/rak-uji")
    assert response.status_code == 302
    assert response.headers["Location"] == "/masuk?next=%2Frak-uji"


def test_role_required_refuses_the_wrong_role_with_a_page_in_indonesian(
    desk_like_page: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(desk_like_page, "pembaca@example.id"))
    response = client.get("/rak-uji")
    assert response.status_code == 403
    assert "Tidak diizinkan" in page_text(response)
    assert "Akun Anda tidak memiliki akses ke halaman ini." in page_text(response)


@pytest.mark.parametrize("role", [Role.LIBRARIAN, Role.ADMIN])
def test_role_required_lets_the_role_and_admins_in(
    desk_like_page: Flask, client: FlaskClient, role: Role
) -> None:
    sign_in(client, make_person(desk_like_page, "staf@example.id", [role], name="Staf"))
    response = client.get("/rak-uji")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "rak untuk Staf")


def test_current_actor_is_none_when_signed_out(app: Flask) -> None:
    with app.test_request_context("/"):
        assert current_actor() is None


def test_librarians_see_the_desk_link_and_readers_do_not(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "pembaca@example.id"))
    assert 'href="/meja/"' not in client.get("/").get_data(as_text=True)
    librarian = app.test_client()
    sign_in(librarian, make_person(app, "pustakawan@example.id", [Role.LIBRARIAN]))
    header = librarian.get("/").get_data(as_text=True).split("</header>")[0]
    assert '<a href="/meja/"' in header and "Meja pustakawan" in header
    assert "/admin/pengguna" not in header


def test_the_account_list_is_for_administrators_only(app: Flask, client: FlaskClient) -> None:
    assert client.get("/admin/pengguna").status_code == 302
    sign_in(client, make_person(app, "pustakawan@example.id", [Role.LIBRARIAN]))
    assert client.get("/admin/pengguna").status_code == 403


def test_an_administrator_finds_people_by_name_or_email(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "admin@bps.go.id", [Role.ADMIN], name="Admin PST"))
    make_person(app, "siti@example.id", name="Siti Aminah")
    make_person(app, "budi@kampus.ac.id", name="Budi Santoso")
    header = client.get("/").get_data(as_text=True).split("</header>")[0]
    assert '<a href="/admin/pengguna"' in header and '<a href="/meja/"' in header
    assert "3 akun" in page_text(client.get("/admin/pengguna"))
    found = page_text(client.get("/admin/pengguna?q=kampus"))
    assert "Budi Santoso" in found and "Siti Aminah" not in found and "1 akun" in found
    assert "Siti Aminah" in page_text(client.get("/admin/pengguna?q=AMINAH"))
    assert "Tidak ada akun yang cocok." in page_text(client.get("/admin/pengguna?q=zzz"))


def test_an_administrator_gives_staff_roles(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "admin@bps.go.id", [Role.ADMIN]))
    person = make_person(app, "rina@example.id", name="Rina")
    path = f"/admin/pengguna/{person.id}"
    response = submit(client, f"{path}/peran", {"roles": ["librarian", "consultant"]}, form_page=path)  # type: ignore[dict-item]
    assert (response.status_code, response.headers["Location"]) == (303, path)
    assert "Peran Rina telah disimpan." in page_text(client.get(path))
    with app.extensions["pustaka"].uow() as uow:
        user = uow.session.get(User, person.id)
        assert user is not None and user.roles == {Role.READER, Role.LIBRARIAN, Role.CONSULTANT}
    rina = app.test_client()
    sign_in(rina, person)
    assert "Meja pustakawan" in rina.get("/").get_data(as_text=True)


def test_an_administrator_cannot_remove_their_own_admin_role(app: Flask, client: FlaskClient) -> None:
    admin = make_person(app, "admin@bps.go.id", [Role.ADMIN])
    sign_in(client, admin)
    path = f"/admin/pengguna/{admin.id}"
    response = submit(client, f"{path}/peran", {"roles": ["librarian"]}, form_page=path)  # type: ignore[dict-item]
    assert response.status_code == 400
    assert "Anda tidak dapat mencabut peran administrator Anda sendiri" in page_text(response)


def test_deactivating_a_person_signs_them_out_and_keeps_them_out(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "admin@bps.go.id", [Role.ADMIN]))
    person = make_person(app, "rina@example.id", name="Rina")
    rina = app.test_client()
    sign_in(rina, person)
    path = f"/admin/pengguna/{person.id}"
    response = submit(client, f"{path}/status", {"aktif": "0"}, form_page=path)
    assert response.status_code == 303
    assert "Akun Rina telah dinonaktifkan" in page_text(client.get(path))
    assert rina.get("/profil").status_code == 302
    assert "Akun ini telah dinonaktifkan." in page_text(sign_in(rina, person))
    submit(client, f"{path}/status", {"aktif": "1"}, form_page=path)
    assert sign_in(rina, person).status_code == 303


def test_an_unknown_account_number_is_a_clear_404(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "admin@bps.go.id", [Role.ADMIN]))
    response = client.get("/admin/pengguna/99999")
    assert response.status_code == 404
    assert "Tidak ada akun bernomor 99999." in page_text(response)
