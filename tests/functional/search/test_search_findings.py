"""What people see when they search: names for codes, covers, tips, staff scope, inside one publication."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import catalog_data
from cli import main
from library.models import Publication, Role
from library.settings import Settings
from runtime.root import Runtime
from tests.demo_fixtures import clone_instance
from tests.functional.accounts.helpers import make_person, move_clock, sign_in
from webapp import create_app

# Only the pages of the embargoed demo title hold this word (its table of contents and chapter I).
CLOSED_WORD = "tanaman"
EMBARGOED = "metro-survei-ekonomi-pertanian-2024"


@pytest.fixture
def app(indexed_instance: Path, tmp_path: Path) -> Iterator[Flask]:
    settings = Settings.from_env({}, instance_dir=clone_instance(indexed_instance, tmp_path / "instance"))
    app = create_app(settings)
    app.config["TESTING"] = True
    yield app
    app.extensions["pustaka"].close()  # its pooled connections, not left to the garbage collector


def title_of(key: str) -> str:
    return next(r.title for r in catalog_data.load_demo_catalogue() if r.key == key)


def id_of(app: Flask, key: str) -> int:
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalars(select(Publication.id).where(Publication.key == key)).one()


def html_of(response) -> str:
    return response.get_data(as_text=True)


def main_text(response) -> str:
    html = html_of(response)
    main = html[html.find("<main") : html.find("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def facet_label(html: str, facet: str, value: str) -> str:
    """Return the words shown beside one facet checkbox."""
    found = re.search(
        rf'name="{facet}" value="{re.escape(value)}"[^>]*>\s*([^<]+?)\s*<span class="count">', html
    )
    assert found, f"no {facet}={value} checkbox"
    return found.group(1)


def signed_in(app: Flask, email: str, roles: list[Role]) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, make_person(app, email, roles)).status_code == 303
    return client


def test_facets_name_access_levels_languages_and_offices_in_indonesian(app) -> None:
    html = html_of(app.test_client().get("/cari/?urut=newest"))
    assert facet_label(html, "access_level", "open") == "Terbuka"
    assert facet_label(html, "access_level", "registered") == "Pengguna terdaftar"
    assert facet_label(html, "language", "id,en") == "Bahasa Indonesia, Bahasa Inggris"
    assert facet_label(html, "office", "1872") == "BPS Kota Metro"


def test_facets_name_their_values_in_english_on_english_pages(app) -> None:
    client = app.test_client()
    client.set_cookie("lang", "en")
    html = html_of(client.get("/cari/?urut=newest"))
    assert facet_label(html, "access_level", "open") == "Open"
    assert facet_label(html, "language", "id,en") == "Indonesian, English"
    assert facet_label(html, "office", "1872") == "BPS-Statistics of Metro Municipality"


def test_a_hit_shows_its_cover_year_and_access(app) -> None:
    response = app.test_client().get("/cari/?q=tengkulak")
    html = html_of(response)
    publication = id_of(app, "metro-direktori-pasar-2019")
    hit = html[html.find('<li class="hit">') :]
    assert f'src="/katalog/{publication}/sampul.png"' in hit
    assert '<span class="year">2019</span>' in hit
    assert 'class="badge badge-open">Terbuka' in hit


def test_nothing_found_offers_a_correction_from_the_index_and_tips(app) -> None:
    response = app.test_client().get("/cari/?q=penddk")
    text = main_text(response)
    assert "0 publikasi ditemukan" in text
    assert "Mungkin maksud Anda penduduk ?" in text
    assert 'href="/cari/?q=penduduk' in html_of(response)
    assert "Gunakan lebih sedikit kata" in text and "Periksa ejaannya" in text


def test_nothing_found_lists_the_filters_in_use_each_removable(app) -> None:
    response = app.test_client().get("/cari/?q=penduduk&office=1872&access_level=embargoed")
    html = html_of(response)
    assert "0 publikasi ditemukan" in main_text(response)
    chips = re.findall(r'<ul class="active-filters".*?</ul>', html, re.S)[0]
    assert "Kantor penerbit: BPS Kota Metro" in chips and "Akses: Embargo" in chips
    without_office = (
        re.search(r'<a href="([^"]+)"[^>]*>Kantor penerbit', chips).group(1).replace("&amp;", "&")
    )
    assert "office=" not in without_office and "access_level=embargoed" in without_office
    assert "cari tanpa filter" in main_text(response)


def test_a_removed_filter_finds_the_publications_again(app) -> None:
    client = app.test_client()
    html = html_of(client.get("/cari/?q=penduduk&access_level=embargoed"))
    without = re.search(r'<ul class="active-filters"[^>]*>\s*<li><a href="([^"]+)"', html).group(1)
    text = main_text(client.get(without.replace("&amp;", "&")))
    assert "publikasi ditemukan" in text and "0 publikasi ditemukan" not in text


def test_every_page_has_a_search_box_in_its_header(app) -> None:
    client = app.test_client()
    for path in ("/", "/katalog/", f"/katalog/{id_of(app, EMBARGOED)}", "/masuk"):
        html = html_of(client.get(path))
        assert re.search(r'<form class="header-search" method="get" action="/cari/" role="search"', html), (
            path
        )
        assert 'id="header-q" name="q"' in html


def test_the_home_page_has_a_search_box(app) -> None:
    html = html_of(app.test_client().get("/"))
    assert 'id="home-q" name="q"' in html


def test_an_embargoed_title_is_not_among_the_newest_publications(app) -> None:
    html = html_of(app.test_client().get("/"))
    newest = html[html.find('id="newest-title"') :]
    assert 'class="card-title"' in newest
    assert title_of(EMBARGOED) not in newest


def test_a_title_whose_embargo_has_ended_is_the_newest_publication(app) -> None:
    move_clock(app, dt.timedelta(days=120))  # past the demo embargo's 15 January 2027
    html = html_of(app.test_client().get("/"))
    newest = html[html.find('id="newest-title"') :]
    assert re.search(r'class="card-title">([^<]+)<', newest).group(1) == title_of(EMBARGOED)


def test_readers_find_nothing_in_the_pages_of_an_embargoed_title(app) -> None:
    client = signed_in(app, "pembaca@example.id", [Role.READER])
    response = client.get(f"/cari/?q={CLOSED_WORD}")
    assert "0 publikasi ditemukan" in main_text(response)
    assert "<mark>" not in html_of(response)


def test_librarians_find_words_in_the_pages_of_an_embargoed_title(app) -> None:
    client = signed_in(app, "pustakawan@example.id", [Role.LIBRARIAN])
    response = client.get(f"/cari/?q={CLOSED_WORD}")
    html = html_of(response)
    assert re.findall(r'class="hit-title" href="[^"]+">([^<]+)</a>', html) == [title_of(EMBARGOED)]
    assert "<mark>Tanaman</mark>" in html
    assert "Pencarian staf" in main_text(response)


def test_librarians_can_search_as_the_public_does(app) -> None:
    client = signed_in(app, "pustakawan@example.id", [Role.LIBRARIAN])
    response = client.get(f"/cari/?q={CLOSED_WORD}&cakupan=publik")
    assert "0 publikasi ditemukan" in main_text(response)


def test_a_reader_searches_inside_a_publication_page_by_page(app) -> None:
    client = signed_in(app, "pembaca@example.id", [Role.READER])
    publication = id_of(app, "metro-dalam-angka-2024")
    response = client.get(f"/cari/dalam/{publication}?q=penduduk")
    html = html_of(response)
    assert response.status_code == 200
    assert "halaman memuat kata-kata ini" in main_text(response)
    found = re.findall(
        rf'<a class="page-number" href="/baca/{publication}\?halaman=(\d+)">Halaman \1</a>', html
    )
    assert len(found) >= 2
    assert html.count('<p class="snippet">') == len(found) and "<mark>" in html


def test_a_publications_page_offers_to_search_inside_it_to_whoever_may_read_it(app) -> None:
    client = signed_in(app, "pembaca@example.id", [Role.READER])
    readable = html_of(client.get(f"/katalog/{id_of(app, 'metro-dalam-angka-2024')}"))
    closed = html_of(client.get(f"/katalog/{id_of(app, EMBARGOED)}"))
    assert "Cari di dalam publikasi ini" in readable
    assert f'action="/cari/dalam/{id_of(app, "metro-dalam-angka-2024")}"' in readable
    assert "Cari di dalam publikasi ini" not in closed


def test_searching_inside_a_title_a_reader_may_not_read_is_refused_without_its_text(app) -> None:
    client = signed_in(app, "pembaca@example.id", [Role.READER])
    response = client.get(f"/cari/dalam/{id_of(app, EMBARGOED)}?q={CLOSED_WORD}")
    assert response.status_code == 403
    assert "embargo" in main_text(response) and "<mark>" not in html_of(response)


def test_searching_inside_a_publication_that_is_not_open_needs_a_signed_in_reader(app) -> None:
    response = app.test_client().get(f"/cari/dalam/{id_of(app, 'metro-kesra-2023')}?q=penduduk")
    assert response.status_code == 403 and "Masuk untuk membaca" in main_text(response)


def test_librarians_search_inside_an_embargoed_title(app) -> None:
    client = signed_in(app, "pustakawan@example.id", [Role.LIBRARIAN])
    publication = id_of(app, EMBARGOED)
    html = html_of(client.get(f"/cari/dalam/{publication}?q={CLOSED_WORD}"))
    assert re.findall(rf'href="/baca/{publication}\?halaman=(\d+)"', html) == ["4", "5"]


def test_searching_inside_with_a_typo_offers_a_correction(app) -> None:
    client = signed_in(app, "pembaca@example.id", [Role.READER])
    publication = id_of(app, "metro-dalam-angka-2024")
    text = main_text(client.get(f"/cari/dalam/{publication}?q=penddk"))
    assert "0 halaman memuat kata-kata ini" in text and "Mungkin maksud Anda penduduk" in text


def test_the_older_search_within_address_leads_to_the_search_inside(app) -> None:
    response = app.test_client().get("/cari/?q=penduduk&dalam=1")
    assert response.status_code == 302 and response.location == "/cari/dalam/1?q=penduduk"


def test_the_cli_searches_closed_pages_only_when_asked_as_staff(app) -> None:
    settings = app.extensions["pustaka"].settings
    public = CliRunner().invoke(main, ["search", CLOSED_WORD, "--json"], obj=Runtime(settings))
    staff = CliRunner().invoke(main, ["search", CLOSED_WORD, "--staff", "--json"], obj=Runtime(settings))
    assert public.exit_code == 0 and json.loads(public.output)["total"] == 0
    assert staff.exit_code == 0, staff.output
    assert [hit["title"] for hit in json.loads(staff.output)["hits"]] == [title_of(EMBARGOED)]


def test_one_client_cannot_push_a_term_up_the_top_searches(app: Flask) -> None:
    from library.models import SearchTerm

    script = app.test_client()
    for _ in range(30):
        assert (
            script.get("/cari/?q=kemiskinan", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 200
        )
    other = app.test_client()
    other.get("/cari/?q=kemiskinan", environ_base={"REMOTE_ADDR": "198.51.100.4"})
    other.get("/cari/?q=qqzzxxw", environ_base={"REMOTE_ADDR": "198.51.100.4"})  # found nothing
    misspelt = other.get("/cari/?q=kemiskinn", environ_base={"REMOTE_ADDR": "198.51.100.5"})
    assert "kemiskinan" in main_text(misspelt)  # offered as the correction
    app.extensions["pustaka"].write_counts()  # counted in memory, written every few seconds
    with app.extensions["pustaka"].uow() as uow:
        counts = {row.term: row.searches for row in uow.session.scalars(select(SearchTerm))}
    assert counts == {
        "kemiskinan": 3
    }  # the script once, the other visitor once, the typo under its correction


def test_a_hit_links_its_pages_and_shows_an_embargo_and_a_title_in_another_language(app) -> None:
    client = signed_in(app, "pustakawan@example.id", [Role.LIBRARIAN])
    publication = id_of(app, EMBARGOED)
    html = html_of(client.get(f"/cari/?q={CLOSED_WORD}"))
    hit = html[html.find('<li class="hit">') :]
    assert 'class="badge badge-embargoed">Embargo · hingga 15 Januari 2027</span>' in hit
    pages = f'<a href="/baca/{publication}?halaman=4">4</a>, <a href="/baca/{publication}?halaman=5">5</a>'
    assert pages in hit
    assert f'<a href="/cari/dalam/{publication}?q={CLOSED_WORD}">cari di dalam publikasi ini</a>' in hit
    client.get("/bahasa/en")
    english = html_of(client.get(f"/cari/?q={CLOSED_WORD}"))
    assert f'class="hit-title" href="/katalog/{publication}" lang="id">' in english  # an Indonesian title
    assert "Embargoed · until 15 January 2027" in english and "search in this publication" in english
