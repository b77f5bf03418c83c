"""A publication's persistent identifier leads to its page, its citation formats or its tombstone."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from library.models import Role
from tests.functional.accounts.helpers import make_person, sign_in
from tests.functional.identifiers.helpers import change, publication, withdrawn


def test_every_demo_publication_has_an_identifier_under_the_default_prefix(app: Flask) -> None:
    publication_id, identifier = publication(app)
    assert re.fullmatch(r"bps1872/[0-9]+", identifier)


def test_the_identifier_redirects_a_browser_to_the_publication_page(app: Flask, client: FlaskClient) -> None:
    publication_id, identifier = publication(app)
    response = client.get(f"/id/{identifier}", headers={"Accept": "text/html"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/katalog/{publication_id}")
    assert "Accept" in response.headers["Vary"]


def test_the_old_catalogue_address_still_opens_the_page(app: Flask, client: FlaskClient) -> None:
    publication_id, identifier = publication(app)
    page = client.get(f"/katalog/{publication_id}").get_data(as_text=True)
    assert f"http://127.0.0.1:8000/id/{identifier}" in page


def test_a_reference_manager_gets_bibtex_ris_or_datacite_by_asking(app: Flask, client: FlaskClient) -> None:
    _, identifier = publication(app)
    for kind, start in (
        ("application/x-bibtex", "@techreport{bps1872_"),
        ("application/x-research-info-systems", "TY  - RPRT"),
        ("application/vnd.datacite.datacite+xml", '<?xml version="1.0" encoding="UTF-8"?>'),
    ):
        response = client.get(f"/id/{identifier}", headers={"Accept": kind})
        assert response.status_code == 200
        assert response.mimetype == kind
        assert response.get_data(as_text=True).startswith(start)


def test_a_withdrawn_publication_s_identifier_gives_a_tombstone_with_the_reason(
    app: Flask, client: FlaskClient
) -> None:
    publication_id, identifier = publication(app)
    change(app, publication_id, **withdrawn("Diganti edisi revisi."))
    response = client.get(f"/id/{identifier}")
    assert response.status_code == 410
    text = response.get_data(as_text=True)
    assert "Diganti edisi revisi." in text and identifier in text
    assert client.get(f"/id/{identifier}", headers={"Accept": "application/x-bibtex"}).status_code == 410
    assert client.get(f"/id/{identifier}/datacite.xml").status_code == 404


def test_a_draft_s_identifier_is_unknown_to_the_public_and_leads_a_librarian_to_it(
    app: Flask, client: FlaskClient
) -> None:
    publication_id, identifier = publication(app)
    change(app, publication_id, published_at=None)
    assert client.get(f"/id/{identifier}").status_code == 404
    sign_in(client, make_person(app, "wulan@bps.go.id", [Role.LIBRARIAN]))
    assert client.get(f"/id/{identifier}").headers["Location"].endswith(f"/katalog/{publication_id}")


def test_an_identifier_nobody_has_is_not_found(client: FlaskClient) -> None:
    assert client.get("/id/bps1872/999999").status_code == 404
    assert client.get("/id/other/1").status_code == 404


def test_datacite_xml_is_served_under_the_identifier_and_the_page(app: Flask, client: FlaskClient) -> None:
    publication_id, identifier = publication(app)
    by_identifier = client.get(f"/id/{identifier}/datacite.xml")
    by_page = client.get(f"/katalog/{publication_id}/datacite.xml")
    assert by_identifier.status_code == by_page.status_code == 200
    assert by_identifier.data == by_page.data
    assert "datacite.xml" in by_page.headers["Content-Disposition"]
