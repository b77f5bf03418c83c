"""Indonesian first, English on request, remembered in a cookie."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient


def test_choosing_english_returns_to_the_same_page_in_english(client: FlaskClient) -> None:
    response = client.get("/bahasa/en?next=/katalog/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/katalog/"
    page = client.get("/katalog/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<h1>Catalogue</h1>" in page


def test_english_shows_the_english_text_of_the_standard(client: FlaskClient) -> None:
    client.get("/bahasa/en")
    page = client.get("/").get_data(as_text=True)
    assert "Library Service" in page
    assert "Walk-in: served within 5 minutes of filling in the guest book" in page


def test_choosing_indonesian_again_switches_back(client: FlaskClient) -> None:
    client.get("/bahasa/en")
    client.get("/bahasa/id")
    assert '<html lang="id">' in client.get("/").get_data(as_text=True)


def test_an_unknown_language_is_ignored(client: FlaskClient) -> None:
    client.get("/bahasa/fr")
    assert '<html lang="id">' in client.get("/").get_data(as_text=True)


def test_the_language_switch_never_redirects_to_another_site(client: FlaskClient) -> None:
    for target in ("//evil.example/", "https://evil.example/", "\\\\evil.example"):
        response = client.get("/bahasa/en", query_string={"next": target})
        assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "target", ["/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example"]
)
def test_switching_language_never_leads_to_another_site(client: FlaskClient, target: str) -> None:
    response = client.get("/bahasa/en", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_switching_language_with_an_encoded_tab_goes_home(client: FlaskClient) -> None:
    response = client.get("/bahasa/en?next=/%09/evil.example")
    assert response.headers["Location"] == "/"


def test_a_title_in_another_language_than_the_page_says_which(client: FlaskClient) -> None:
    indonesian = client.get("/katalog/").get_data(as_text=True)
    assert '<span class="card-title">' in indonesian and 'class="card-title" lang=' not in indonesian
    client.get("/bahasa/en")
    english = client.get("/katalog/").get_data(as_text=True)
    assert '<span class="card-title" lang="id">' in english  # the demo's titles are Indonesian
    detail = re.search(r'href="(/katalog/\d+)"', english)
    assert detail is not None
    assert '<h1 lang="id">' in client.get(detail.group(1)).get_data(as_text=True)


def test_the_decree_line_reads_in_english_without_an_indonesian_word(client: FlaskClient) -> None:
    client.get("/bahasa/en")
    page = client.get("/").get_data(as_text=True)
    decree = re.search(r'<p class="sk">([^<]+)</p>', page)
    assert decree is not None and re.fullmatch(r"Decree \(SK\) No\. \S+ of \d{4}", decree.group(1).strip())
    client.get("/bahasa/id")
    assert re.search(r'<p class="sk">[^<]+ Tahun \d{4}</p>', client.get("/").get_data(as_text=True))


@pytest.mark.parametrize(
    ("language", "stored", "shown"),
    [
        ("en", "2 halaman", "2 pages"),
        ("en", "P-007 (3 halaman)", "P-007 (3 pages)"),
        ("id", "2 halaman", "2 halaman"),
        ("en", "laporan 2 halaman.pdf", "laporan 2 halaman.pdf"),  # a file's own name is kept as it is
    ],
)
def test_the_name_stored_for_several_page_images_reads_in_the_pages_language(
    client: FlaskClient, language: str, stored: str, shown: str
) -> None:
    from webapp.i18n import upload_name

    with client.application.test_request_context("/", headers={"Cookie": f"lang={language}"}):
        assert upload_name(stored) == shown
