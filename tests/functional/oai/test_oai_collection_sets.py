"""A collection's set at /oai: listed, filtered, named in headers, changed when a librarian adds to it.

Every response is validated against the OAI-PMH 2.0 schema (oai_helpers.ask).
"""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Collection, CollectionMember, Role
from library.oai import requests as oai_requests
from tests.functional import oai_helpers
from tests.functional.accounts.helpers import csrf_token, make_person, sign_in
from tests.functional.oai_helpers import (
    NOW,
    OAI,
    ask,
    error_code,
    harvest,
    publications,
    record_ids,
    stamp,
    texts,
)

app = oai_helpers.app
SET = "collection:dalam-angka"


def series_members(app: Flask) -> list[int]:
    with app.extensions["pustaka"].uow() as uow:
        return sorted(
            uow.session.scalars(
                select(CollectionMember.publication_id)
                .join(Collection)
                .where(Collection.slug == "dalam-angka")
            )
        )


def test_list_sets_names_each_collection_beside_the_office_and_subject_sets(client: FlaskClient) -> None:
    root = ask(client, {"verb": "ListSets"})
    named = dict(zip(texts(root, f".//{OAI}setSpec"), texts(root, f".//{OAI}setName"), strict=True))
    assert named["collection"] and named[SET] == "Dalam Angka"
    assert {"office", "office:1872", "subject", "subject:umum"} <= named.keys()


def test_a_harvest_by_collection_set_gets_its_publications_each_header_naming_the_set(
    app: Flask, client: FlaskClient
) -> None:
    pages = harvest(client, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": SET})
    assert sorted(i for page in pages for i in record_ids(page)) == series_members(app)
    headers = [h for page in pages for h in page.iterfind(f".//{OAI}header")]
    assert all(SET in texts(h, f"{OAI}setSpec") for h in headers)
    everything = harvest(client, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "collection"})
    assert set(series_members(app)) <= {i for page in everything for i in record_ids(page)}


def test_an_unknown_collection_set_matches_no_record(client: FlaskClient) -> None:
    root = ask(client, {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "collection:tidak-ada"})
    assert error_code(root) == "noRecordsMatch"


def test_a_publication_a_librarian_adds_reaches_an_incremental_harvest_of_the_set(
    app: Flask, client: FlaskClient
) -> None:
    stamp(app, {p.id: NOW - dt.timedelta(days=10) for p in publications(app)})
    outside = next(p.id for p in publications(app) if p.id not in series_members(app))
    librarian = app.test_client()
    sign_in(librarian, make_person(app, "wulan@bps.go.id", [Role.LIBRARIAN]))
    with app.extensions["pustaka"].uow() as uow:
        series = uow.session.scalar(select(Collection.id).where(Collection.slug == "dalam-angka"))
    page = f"/meja/koleksi/{series}"
    added = librarian.post(
        page + "/publikasi", data={"csrf_token": csrf_token(librarian, page), "numbers": str(outside)}
    )
    assert added.status_code == 303
    since = oai_requests.datestamp(NOW)
    root = ask(client, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": SET, "from": since})
    assert record_ids(root) == [outside]


def test_an_office_collection_set_holds_what_its_office_set_holds(app: Flask, client: FlaskClient) -> None:
    librarian = app.test_client()
    sign_in(librarian, make_person(app, "wulan@bps.go.id", [Role.LIBRARIAN]))
    made = librarian.post(
        "/meja/koleksi",
        data={
            "csrf_token": csrf_token(librarian, "/meja/koleksi"),
            "kind": "office",
            "slug": "bps-tuba",
            "name_id": "Publikasi BPS Tulang Bawang",
            "office": "1805",
        },
    )
    assert made.status_code == 303
    by_office, by_collection = (
        sorted(
            i
            for page in harvest(client, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": spec})
            for i in record_ids(page)
        )
        for spec in ("office:1805", "collection:bps-tuba")
    )
    assert by_office and by_collection == by_office
