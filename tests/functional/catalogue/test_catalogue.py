"""Readers browse the catalogue and open a publication."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.demo_fixtures import demo_sample


def publication_ids(page: str) -> list[int]:
    """Return the publication ids linked from a listing, in order, once each."""
    seen: list[int] = []
    for match in re.findall(r'href="/katalog/(\d+)"', page):
        if int(match) not in seen:
            seen.append(int(match))
    return seen


def test_the_catalogue_lists_every_loaded_publication(client: FlaskClient) -> None:
    page = client.get("/katalog/").get_data(as_text=True)
    assert f"{len(demo_sample())} publikasi" in page
    assert len(publication_ids(page)) == len(demo_sample())


def test_the_catalogue_pages_through_the_publications(make_app) -> None:
    app = make_app(per_page=4)
    client = app.test_client()
    first = client.get("/katalog/").get_data(as_text=True)
    second = client.get("/katalog/?halaman=2").get_data(as_text=True)
    assert "Halaman 1 dari 3" in first
    assert len(publication_ids(first)) == 4
    assert set(publication_ids(first)).isdisjoint(publication_ids(second))


def test_a_page_past_the_end_is_empty_not_an_error(client: FlaskClient) -> None:
    response = client.get("/katalog/?halaman=99")
    assert response.status_code == 200
    assert "Tidak ada publikasi yang cocok." in response.get_data(as_text=True)


def test_filtering_by_office_shows_only_that_office(client: FlaskClient) -> None:
    page = client.get("/katalog/?kantor=1600").get_data(as_text=True)
    expected = [r for r in demo_sample() if r.office == "1600"]
    assert f"{len(expected)} publikasi" in page
    assert all(r.title in page for r in expected)


def test_a_publication_page_shows_its_bps_metadata(client: FlaskClient) -> None:
    record = demo_sample()[0]
    listing = client.get("/katalog/").get_data(as_text=True)
    pid = next(
        i
        for i in publication_ids(listing)
        if record.title in client.get(f"/katalog/{i}").get_data(as_text=True)
    )
    page = client.get(f"/katalog/{pid}").get_data(as_text=True)
    assert record.katalog_bps in page
    assert record.nomor_publikasi in page
    assert "Kantor penerbit" in page
    assert f"<dd>{record.pages}</dd>" in page


def test_an_embargoed_publication_says_until_when(client: FlaskClient) -> None:
    record = next(r for r in demo_sample() if r.access_level == "embargoed")
    listing = client.get("/katalog/").get_data(as_text=True)
    assert "Embargo · hingga" in listing
    assert record.title in listing


def test_the_cover_is_served_as_a_png(client: FlaskClient) -> None:
    pid = publication_ids(client.get("/katalog/").get_data(as_text=True))[0]
    with client.get(f"/katalog/{pid}/sampul.png") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/png"
        assert response.data.startswith(b"\x89PNG")


def test_an_unknown_publication_gets_a_404_page_in_indonesian(client: FlaskClient) -> None:
    response = client.get("/katalog/987654")
    assert response.status_code == 404
    assert "Tidak ada publikasi bernomor 987654." in response.get_data(as_text=True)


def test_a_malformed_address_gets_the_not_found_page(app: Flask) -> None:
    response = app.test_client().get("/katalog/abc")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)
