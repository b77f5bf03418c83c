"""Online consultation is found by everyone: the home page and the menu link it, signed in or not."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.functional.accounts.helpers import make_person, page_text, sign_in


def menu_of(html: str) -> str:
    """Return the main menu of a page."""
    found = re.search(r'<nav aria-label="Menu utama">(.*?)</nav>', html, re.S)
    assert found, "the page has no main menu"
    return found.group(1)


def test_the_menu_links_online_consultation_for_a_visitor_not_signed_in(client: FlaskClient) -> None:
    menu = menu_of(client.get("/katalog/").get_data(as_text=True))
    assert '<a href="/konsultasi/baru" >Konsultasi</a>' in menu


def test_the_menu_links_online_consultation_for_someone_signed_in(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    assert 'href="/konsultasi/baru"' in menu_of(client.get("/").get_data(as_text=True))


def test_the_home_page_links_online_consultation_for_a_visitor_not_signed_in(client: FlaskClient) -> None:
    home = client.get("/").get_data(as_text=True)
    hero = home[home.index('<section class="hero"') : home.index("</section>")]
    assert '<a href="/konsultasi/baru">Ajukan konsultasi</a>' in hero


def test_the_consultation_service_on_the_home_page_links_its_online_form(client: FlaskClient) -> None:
    home = client.get("/").get_data(as_text=True)
    service = home[home.index('id="layanan-consultation"') :]
    service = service[: service.index("</article>")]
    assert 'href="/konsultasi/baru">Ajukan konsultasi online</a>' in service


def test_a_visitor_not_signed_in_reads_how_to_ask_for_a_consultation(client: FlaskClient) -> None:
    answer = client.get("/konsultasi/baru")
    html, text = answer.get_data(as_text=True), page_text(answer)
    assert answer.status_code == 200
    assert "Cari di perpustakaan dulu" in text
    assert "Masuk untuk bertanya kepada konsultan kami" in text
    assert 'href="/masuk?next=/konsultasi/baru"' in html and 'href="/daftar"' in html
    assert 'name="question"' not in html


def test_my_consultations_sends_a_visitor_not_signed_in_to_the_consultation_page(client: FlaskClient) -> None:
    answer = client.get("/konsultasi")
    assert answer.status_code == 302 and answer.headers["Location"] == "/konsultasi/baru"


def test_the_consultation_address_answers_with_a_trailing_slash(client: FlaskClient) -> None:
    answer = client.get("/konsultasi/")
    assert answer.status_code == 308 and answer.headers["Location"] == "/konsultasi"


def test_a_signed_in_person_reaches_their_consultations_with_a_trailing_slash(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    answer = client.get("/konsultasi/", follow_redirects=True)
    assert answer.status_code == 200 and "Konsultasi saya" in page_text(answer)
