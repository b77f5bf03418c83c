"""A librarian records the DOI the office registered; citations and DataCite XML then give it."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.functional.desk.test_publication_edit import edit_page, librarian, post, stored_fields
from tests.functional.identifiers.helpers import publication

__all__ = ["librarian"]  # the fixture, used by name


def test_a_doi_typed_with_its_resolver_is_saved_bare_and_cited(
    app: Flask, client: FlaskClient, librarian
) -> None:
    pid, _ = publication(app)
    fields = stored_fields(client, pid)
    assert fields["doi"] == ""
    response = post(
        client, edit_page(pid), {**fields, "doi": "https://doi.org/10.1234/BPS.1872.2024.01"}, pid
    )
    assert response.status_code == 303
    assert stored_fields(client, pid)["doi"] == "10.1234/BPS.1872.2024.01"
    page = client.get(f"/katalog/{pid}").get_data(as_text=True)
    assert 'href="https://doi.org/10.1234/BPS.1872.2024.01"' in page
    assert '<meta name="citation_doi" content="10.1234/BPS.1872.2024.01">' in page
    datacite = client.get(f"/katalog/{pid}/datacite.xml").get_data(as_text=True)
    assert '<identifier identifierType="DOI">10.1234/BPS.1872.2024.01</identifier>' in datacite


def test_a_doi_of_another_shape_is_refused_naming_the_field(
    app: Flask, client: FlaskClient, librarian
) -> None:
    pid, _ = publication(app)
    fields = stored_fields(client, pid)
    response = post(client, edit_page(pid), {**fields, "doi": "11.1234/abc"}, pid)
    assert response.status_code == 400
    assert 'name="doi"' in response.get_data(as_text=True)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert stored_fields(client, pid)["doi"] == ""
