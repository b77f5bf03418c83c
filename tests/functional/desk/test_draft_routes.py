"""A draft answers every route as a publication that does not exist, for everyone but librarians.

The routes are read from the app's URL map: any route taking a publication id, added later, is
walked too. Each is asked, by each kind of visitor, for a draft and for an id nobody has; the
status and the page (with the id written the same) must be equal, so counting up ids tells
nothing of the drafts waiting for review.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from library.models import AccessLevel, FileAsset, Publication, Role
from library.models.user import STAFF_ROLES
from tests.functional.accounts.helpers import csrf_token, make_person, sign_in
from tests.functional.terminal_helpers import register_terminal, start, walk_in

# Other variables of a route keep a plain value; the publication's id is the one that differs.
OTHERS = {"holding_id": "1", "page": "1", "sheet": "1"}
_VARIABLE = re.compile(r"<(?:[^>:]+:)?([^>]+)>")
_TOKEN = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*|(<meta name="csrf-token" content=")[^"]*')


def _draft_and_missing(app: Flask) -> tuple[int, int]:
    """Copy an open demo publication with pages as a draft; return its id and an id nobody has.

    Both ids are long and alike, so the id written on a page is never mistaken for another number.
    """
    draft, missing = 777_777, 777_778
    with app.extensions["pustaka"].transaction() as uow:
        source = uow.session.scalars(
            select(Publication)
            .where(Publication.access_level == AccessLevel.OPEN.value)
            .where(Publication.id.in_(select(FileAsset.publication_id)))
            .order_by(Publication.id)
        ).first()
        assert source is not None
        columns = {c.key: getattr(source, c.key) for c in Publication.__table__.columns}
        uow.session.add(
            Publication(
                **{**columns, "id": draft, "key": f"draf-{draft}", "published_at": None, "identifier": None}
            )
        )
        uow.session.flush()
        for asset in uow.session.scalars(select(FileAsset).where(FileAsset.publication_id == source.id)):
            values = {c.key: getattr(asset, c.key) for c in FileAsset.__table__.columns if c.key != "id"}
            uow.session.add(FileAsset(**{**values, "publication_id": draft}))
    return draft, missing


def _signed_in(role: Role) -> Callable[[Flask], FlaskClient]:
    def visitor(app: Flask) -> FlaskClient:
        client = app.test_client()
        assert sign_in(client, make_person(app, f"{role.value}@example.id", [role])).status_code == 303
        return client

    return visitor


def _terminal_visitor(app: Flask) -> FlaskClient:
    """Return a terminal where a walk-in typed their ticket's code and proved nothing else."""
    client = register_terminal(app)
    assert start(client, walk_in(app, "Budi Santoso")).status_code == 303
    return client


# A reader and every staff role that does not edit the catalogue (a new role is walked too).
NOT_LIBRARIANS = (Role.READER, *(r for r in STAFF_ROLES if r not in (Role.LIBRARIAN, Role.ADMIN)))
VISITORS: dict[str, Callable[[Flask], FlaskClient]] = {
    "anonymous": lambda app: app.test_client(),
    **{role.value: _signed_in(role) for role in NOT_LIBRARIANS},
    "terminal visitor": _terminal_visitor,
}


def _path(rule: str, publication_id: int) -> str:
    return _VARIABLE.sub(
        lambda m: str(publication_id) if m.group(1) == "publication_id" else OTHERS.get(m.group(1), "1"), rule
    )


def _answer(client: FlaskClient, method: str, path: str, token: str) -> TestResponse:
    """Send one request; a message the previous answer left for the next page is dropped first."""
    with client.session_transaction() as session:
        session.pop("_flashes", None)
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": token})


def _seen(response: TestResponse, publication_id: int) -> tuple[int, str, str]:
    """Return what the visitor learns: the status, where it sends them and the page, the id written as N."""
    body = _TOKEN.sub(lambda m: m.group(1) or m.group(2), response.get_data(as_text=True))
    location = response.headers.get("Location", "")
    pattern = re.compile(rf"(?<!\d){publication_id}(?!\d)")
    return response.status_code, pattern.sub("N", location), pattern.sub("N", body)


def _first_difference(draft_page: str, missing_page: str) -> list[str]:
    """Return the first line where the two pages differ, as the draft's and the missing id's."""
    for seen_draft, seen_missing in zip(draft_page.splitlines(), missing_page.splitlines(), strict=False):
        if seen_draft != seen_missing:
            return [f"  draft:   {seen_draft.strip()[:200]}", f"  missing: {seen_missing.strip()[:200]}"]
    return []


@pytest.mark.parametrize("who", VISITORS)
def test_a_draft_answers_every_publication_route_as_a_missing_id_does(app: Flask, who: str) -> None:
    draft, missing = _draft_and_missing(app)
    client = VISITORS[who](app)
    token = csrf_token(client, {"anonymous": "/masuk", "terminal visitor": "/terminal"}.get(who, "/"))
    routes = [r for r in app.url_map.iter_rules() if "publication_id" in r.arguments]
    assert len(routes) >= 10  # the catalogue, the reader, search inside, the request form, the desk
    differing = []
    for rule in routes:
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            of_draft = _seen(_answer(client, method, _path(rule.rule, draft), token), draft)
            of_missing = _seen(_answer(client, method, _path(rule.rule, missing), token), missing)
            if of_draft != of_missing:
                seen = f"{of_draft[:2]} for the draft, {of_missing[:2]} if missing"
                differing.append(f"{method} {rule.rule}: {seen}")
                differing.extend(_first_difference(of_draft[2], of_missing[2]))
    assert not differing, f"{who}:\n" + "\n".join(differing)
