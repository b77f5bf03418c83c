"""Every route, sent hostile path and query values by every kind of visitor, answers without a 500."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient

from library.models import Role
from tests.functional.accounts.helpers import csrf_token, make_person, sign_in
from tests.functional.hostile.conftest import open_publication
from tests.functional.hostile.walk import FOR_THE_DATABASE, HOSTILE, Visitor, Walk, arguments_read

# Each signs the browser out (registering a terminal too): each probe of them gets a new visitor.
SIGNS_OUT = frozenset({"accounts.logout", "terminal.finish", "terminal.admin_terminals"})
ROLES = {"anonymous": (), "reader": (Role.READER,), "admin": (Role.ADMIN,)}


# Who walks on which database. An admin holds every role, so reaches every route a librarian
# does (and the walk's findings are about values, not roles); on PostgreSQL, where the values
# meet another database's types and encodings, the admin's walk reaches the most routes with
# the values a database reads (FOR_THE_DATABASE).
WALKS = [
    *(pytest.param("sqlite", who, id=f"sqlite-{who}") for who in ("anonymous", "reader", "admin")),
    pytest.param("postgresql", "admin", id="postgresql-admin", marks=pytest.mark.postgres),
]


@pytest.mark.slow
@pytest.mark.parametrize(("app", "who"), WALKS, indirect=["app"])
def test_no_route_answers_a_hostile_value_with_a_server_error(app: Flask, who: str) -> None:
    on_postgresql = app.extensions["pustaka"].settings.sqlalchemy_url.startswith("postgresql")
    walk = Walk(app, open_publication(app), only=FOR_THE_DATABASE if on_postgresql else None)
    client = walk.run(who, visitor_as(app, who), SIGNS_OUT, visitor_as(app, who))
    assert walk.count > 300
    if ROLES[who]:  # the walk went through as this person to the end
        assert client.get("/profil").status_code == 200
    assert walk.failures == [], f"{len(walk.failures)} of {walk.count} probes failed:\n" + "\n".join(
        walk.failures[:80]
    )


def visitor_as(app: Flask, who: str) -> Visitor:
    """Return a maker of clients of one new person of the role (or anonymous), with a CSRF token."""
    person = make_person(app, f"{who}-{uuid.uuid4().hex[:8]}@example.id", ROLES[who]) if ROLES[who] else None

    def visitor() -> tuple[FlaskClient, str]:
        client = app.test_client()
        if person is not None:
            assert sign_in(client, person).status_code == 303
        return client, csrf_token(client, "/profil" if person else "/masuk")

    return visitor


def test_the_walk_reads_the_arguments_views_read() -> None:
    names = arguments_read()
    assert {"halaman", "q", "next", "sesi", "urut", "dalam", "kantor", "verb", "email"} <= set(names)


def test_the_walk_sends_numbers_past_64_bits() -> None:
    assert str(2**64) in HOSTILE and str(10**20) in HOSTILE and "1e18" in HOSTILE and "-1" in HOSTILE


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/katalog/99999999999999999999", 404),
        ("/katalog/99999999999999999999/sampul.png", 404),
        (f"/katalog/{2**31}", 404),
        ("/katalog/?halaman=1e18", 200),
        (f"/katalog/?halaman={2**64}", 200),
        ("/katalog/?kantor=%00", 400),
        ("/baca/99999999999999999999", 404),
        ("/baca/1/halaman/99999999999999999999.jpg", 404),
        ("/meja/ingest/99999999999999999999", 404),
        ("/meja/?halaman=99999999999999999999", 200),
        ("/admin/pengguna/99999999999999999999", 404),
        ("/admin/pengguna?halaman=-1", 200),
        ("/permintaan/%00", 404),
        ("/kunjungan/%0d%0a", 404),
    ],
)
def test_the_odd_addresses_of_the_report_are_not_found_or_refused(app: Flask, path: str, status: int) -> None:
    client, _ = visitor_as(app, "admin")()
    response = client.get(path)
    assert response.status_code == status
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/bahasa/en?next=%0d%0aSet-Cookie:x=1", "/bahasa/en?next=/%0d%0a/evil.example"]
)
def test_a_line_break_in_next_leads_home(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"] == "/"
