"""Nothing personal is kept by a browser or a proxy: every answer is `no-store` unless its route may be kept.

Every GET route of the app is walked, anonymous and signed in as an administrator (who holds
every role), with the demo's real ids where a route takes one: a route added later is walked
too, and is `no-store` unless it joins CACHEABLE (things the same for everyone allowed, with
nothing of a person on them).
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import AccessLevel, Publication, Role
from tests.functional.accounts.helpers import make_person, sign_in

# Routes that say themselves how long what they send may be kept.
CACHEABLE = {"static", "favicon", "catalogue.cover", "reader.thumbnails"}


def paths(app: Flask) -> list[tuple[str, str]]:
    """Return (endpoint, path) of every GET route, its variables filled with real or plausible values."""
    with app.extensions["pustaka"].uow() as uow:
        publication = uow.session.scalars(
            select(Publication.id).where(Publication.access_level == AccessLevel.OPEN.value)
        ).first()
    values = {"publication_id": publication, "page": 1, "sheet": 0, "console": "perpustakaan"}
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()):
            continue
        path = rule.rule
        for name in (n for n in rule.arguments if n in rule._converters):  # not a default
            converter = rule._converters[name]  # noqa: SLF001 - the rule's own parts
            value = values.get(name, 1 if "Integer" in type(converter).__name__ else "x")
            path = _fill(path, name, str(value))
        found.append((rule.endpoint, path))
    return found


def _fill(path: str, name: str, value: str) -> str:
    """Put a value in place of the route variable `name` (with or without its converter)."""
    start = path.index("<")
    while start != -1:
        end = path.index(">", start)
        if path[start + 1 : end].split(":")[-1] == name:
            return path[:start] + value + path[end + 1 :]
        start = path.find("<", end)
    return path


@pytest.fixture
def admin(app: Flask) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, make_person(app, "admin.cache@bps.go.id", (Role.ADMIN,))).status_code == 303
    return client


@pytest.mark.slow
def test_every_answer_is_kept_by_no_one_unless_its_route_may_be_kept(app: Flask, admin: FlaskClient) -> None:
    stored = []
    for who, client in (("anyone", app.test_client()), ("admin", admin)):
        for endpoint, path in paths(app):
            if endpoint in CACHEABLE or endpoint in ("accounts.logout",):
                continue
            with client.get(path) as answer:
                if "no-store" not in answer.headers.get("Cache-Control", ""):
                    stored.append(f"{who} {path} {answer.status_code} {answer.headers.get('Cache-Control')}")
    assert not stored, "\n".join(stored)


@pytest.mark.parametrize("path", ["/profil", "/loket/loker", "/meja/pengaduan/", "/laporan"])
def test_personal_and_staff_pages_shown_are_not_kept(admin: FlaskClient, path: str) -> None:
    with admin.get(path, follow_redirects=True) as answer:
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == "no-store"
