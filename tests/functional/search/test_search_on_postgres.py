"""The search page on PostgreSQL: the app chooses PostgreSQL's engine and finds what ingest wrote.

Demo publications go through the real ingest job of the app's runtime with a queue that drops
every job: what the pages find was written by the ingest's own transaction, not by an index
job. The search folder Whoosh would use is never made.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

import catalog_data
from library.catalogue.demo import load_demo
from library.job_queue import NoQueue
from library.models import Office, PageText, Publication, Role
from library.settings import Settings
from runtime.root import Runtime
from search.postgres.engine import PostgresSearchEngine
from tests.conftest import postgres_schema
from tests.functional.accounts.helpers import make_person, page_text, sign_in, submit
from tests.functional.consultation.test_knowledge_pages import ENTRY, publish, write_entry
from webapp import create_app

pytestmark = pytest.mark.postgres
TAKEN = ("metro-keuangan-daerah-2023", "metro-brs-kemiskinan-2024", "tuba-dalam-angka-2024")


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Ingest three demo publications (one restricted) into a schema of their own, once for the module."""
    with postgres_schema("pustaka_pgsearch") as url:
        settings = Settings.from_env(
            {}, instance_dir=tmp_path_factory.mktemp("pgsearch") / "instance", database_url=url
        )
        records = [r for r in catalog_data.load_demo_catalogue() if r.key in TAKEN]
        rt = Runtime(settings)
        try:
            worker = rt.ingest_worker(queue=NoQueue())
            load_demo(worker, catalog_data.load_offices(), records, catalog_data.render_demo_pdf)
        finally:
            rt.close()
        yield settings


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    app = create_app(settings)
    app.config["TESTING"] = True
    yield app
    app.extensions["pustaka"].close()


def titles(html: str) -> list[str]:
    return re.findall(r'class="hit-title" href="[^"]+">([^<]+)</a>', html)


def words_only_in_the_pages_of(app: Flask, key: str) -> list[str]:
    """Return words of the publication's pages found in no other page and in no publication's metadata."""
    with app.extensions["pustaka"].uow() as uow:
        pages = uow.session.execute(select(Publication.key, PageText.text).join(PageText)).all()
        described = uow.session.scalars(select(Publication)).all()
        metadata = " ".join(f"{p.title} {p.alternative_title} {p.abstract} {p.subject}" for p in described)
    owners: dict[str, set[str]] = {}
    for owner, page in pages:
        for word in re.findall(r"[a-z]{7,}", page.lower()):
            owners.setdefault(word, set()).add(owner)
    described_words = set(re.findall(r"[a-z]+", metadata.lower()))
    return sorted(w for w, found in owners.items() if found == {key} and w not in described_words)


def test_the_app_on_postgresql_searches_with_postgresql_and_makes_no_whoosh_folder(app, settings) -> None:
    assert isinstance(app.extensions["pustaka"].search(), PostgresSearchEngine)
    app.test_client().get("/cari/?q=penduduk")
    assert not (settings.instance_path / "search").exists()


def test_a_freshly_ingested_publication_is_found_by_a_word_of_its_pages_with_the_page_and_snippet(
    app,
) -> None:
    word = words_only_in_the_pages_of(app, "metro-brs-kemiskinan-2024")[0]
    html = app.test_client().get(f"/cari/?q={word}").get_data(as_text=True)
    assert titles(html) == ["Berita Resmi Statistik: Profil Kemiskinan Kota Metro Maret 2024"]
    found = re.search(r'Ditemukan di halaman\s*<a href="/baca/(\d+)\?halaman=(\d+)">', html)
    assert found is not None
    assert re.search(rf"<mark>{word}</mark>", html, re.IGNORECASE)  # the snippet is that page's
    with app.extensions["pustaka"].uow() as uow:
        page = uow.session.scalar(
            select(PageText.text).where(
                PageText.publication_id == int(found.group(1)), PageText.page_number == int(found.group(2))
            )
        )
    assert page is not None and word in page.lower()


def test_the_results_count_each_office_in_its_facet(app) -> None:
    html = app.test_client().get("/cari/?q=penduduk").get_data(as_text=True)
    with app.extensions["pustaka"].uow() as uow:
        tuba = uow.session.scalar(select(Office.name).where(Office.code == "1805"))
    counted = rf'name="office" value="1805" > {re.escape(str(tuba))} <span class="count">\(1\)</span>'
    assert re.search(counted, html)


def test_a_facet_narrows_the_results_to_one_office(app) -> None:
    client = app.test_client()
    tuba = next(r.title for r in catalog_data.load_demo_catalogue() if r.key == "tuba-dalam-angka-2024")
    everywhere = titles(client.get("/cari/?q=penduduk").get_data(as_text=True))
    assert tuba in everywhere and len(everywhere) > 1
    assert titles(client.get("/cari/?q=penduduk&office=1805").get_data(as_text=True)) == [tuba]


def test_a_word_with_two_slips_finds_nothing_and_suggests_the_word_that_does(app) -> None:
    client = app.test_client()
    html = client.get("/cari/?q=kemuskinn").get_data(as_text=True)
    assert titles(html) == []
    link = re.search(r'Mungkin maksud Anda <a href="([^"]+)">kemiskinan</a>', html)
    assert link is not None
    followed = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Berita Resmi Statistik: Profil Kemiskinan Kota Metro Maret 2024" in titles(followed)


def test_a_restricted_publications_pages_are_searched_by_librarians_only(app) -> None:
    word = words_only_in_the_pages_of(app, "metro-keuangan-daerah-2023")[0]
    title = next(r.title for r in catalog_data.load_demo_catalogue() if r.key == "metro-keuangan-daerah-2023")
    assert titles(app.test_client().get(f"/cari/?q={word}").get_data(as_text=True)) == []
    librarian = app.test_client()
    sign_in(librarian, make_person(app, "wulan@bps.go.id", roles=(Role.LIBRARIAN,)))
    assert titles(librarian.get(f"/cari/?q={word}").get_data(as_text=True)) == [title]


def test_a_published_common_answer_shows_above_the_publications(app) -> None:
    app.extensions["pustaka"].jobs.immediate = True  # the answer's index job runs in the request
    consultant = app.test_client()
    sign_in(consultant, make_person(app, "citra@example.id", roles=(Role.CONSULTANT,)))
    reader = app.test_client()
    page = write_entry(consultant)
    assert "Jawaban umum" not in page_text(reader.get("/cari/?q=kecamatan+miskin"))
    publish(consultant, page)
    html = reader.get("/cari/?q=kecamatan+miskin").get_data(as_text=True)
    assert "Jawaban umum" in html and ENTRY["title"] in html
    assert submit(consultant, f"{page}/tarik", {}, form_page=page).status_code == 303
    assert "Jawaban umum" not in page_text(reader.get("/cari/?q=kecamatan+miskin"))
