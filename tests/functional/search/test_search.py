"""The search page and `pustaka search` over demo publications that went through ingest."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import catalog_data
from cli import main
from library.models import AccessLevel, IngestChannel, IngestJob, IngestStatus, Publication, Role
from library.settings import Settings
from runtime.index_status import Rebuild, RebuildReport, StatusCache, rebuild_report
from runtime.root import Runtime
from tests.demo_fixtures import clone_instance
from tests.functional.accounts.helpers import make_person, sign_in
from webapp import create_app


@pytest.fixture
def settings(indexed_instance: Path, tmp_path: Path) -> Settings:
    return Settings.from_env({}, instance_dir=clone_instance(indexed_instance, tmp_path / "instance"))


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    app = create_app(settings)
    app.config["TESTING"] = True
    yield app
    app.extensions["pustaka"].close()  # its pooled connections, not left to the garbage collector


def title_of(key: str) -> str:
    return next(r.title for r in catalog_data.load_demo_catalogue() if r.key == key)


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    main = html[html.find("<main") : html.find("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def titles(response) -> list[str]:
    return re.findall(r'class="hit-title" href="[^"]+">([^<]+)</a>', response.get_data(as_text=True))


def whole_titles(response) -> list[str]:
    """Return the titles of the hits holding every word (those lacking one say so), in order."""
    hits = response.get_data(as_text=True).split('<li class="hit">')[1:]
    return [title for hit in hits if 'class="missing"' not in hit for title in titles_in(hit)]


def titles_in(html: str) -> list[str]:
    return re.findall(r'class="hit-title" href="[^"]+">([^<]+)</a>', html)


def test_words_only_in_a_scans_page_images_are_found_with_their_pages(app) -> None:
    response = app.test_client().get("/cari/?q=tengkulak")
    assert response.status_code == 200
    assert titles(response) == [title_of("metro-direktori-pasar-2019")]
    assert re.search(
        r"Ditemukan di halaman\s*<a href=\"/baca/\d+\?halaman=\d+\">\d+</a>", response.get_data(as_text=True)
    )


def test_a_page_hit_opens_the_reader_at_that_page(app) -> None:
    client = app.test_client()
    assert sign_in(client, make_person(app, "pembaca@example.id", [Role.READER])).status_code == 303
    html = client.get("/cari/?q=tengkulak").get_data(as_text=True)
    publication, page = re.search(r'<a href="/baca/(\d+)\?halaman=(\d+)">', html).groups()
    response = client.get(f"/baca/{publication}?halaman={page}")
    assert response.status_code == 302
    # The reader opens in its reading session, at the page.
    assert re.fullmatch(rf"/baca/{publication}\?sesi=\w+#hal-{page}", response.location)
    assert f'id="hal-{page}"' in client.get(response.location).get_data(as_text=True)


def test_a_page_hit_of_an_open_publication_opens_the_reader_for_someone_signed_out(app) -> None:
    client = app.test_client()
    html = client.get("/cari/?q=tengkulak").get_data(as_text=True)
    publication, page = re.search(r'<a href="/baca/(\d+)\?halaman=(\d+)">', html).groups()
    reader = client.get(f"/baca/{publication}?halaman={page}")
    assert re.fullmatch(rf"/baca/{publication}\?sesi=\w+#hal-{page}", reader.location)
    inside = re.search(rf'href="(/cari/dalam/{publication}\?q=tengkulak)"', html).group(1)
    assert client.get(inside).status_code == 200


def test_page_hits_a_viewer_may_not_read_are_not_linked_and_say_where_their_one_link_leads(app) -> None:
    with app.extensions["pustaka"].transaction() as uow:  # the index still holds its pages' words
        found = uow.session.scalars(
            select(Publication).where(Publication.key == "metro-direktori-pasar-2019")
        )
        publication = found.one()
        publication.access_level = AccessLevel.REGISTERED.value
        number = publication.id
    unverified = app.test_client()
    assert sign_in(unverified, make_person(app, "baru@example.id", verified=False)).status_code == 303
    verified = app.test_client()
    assert sign_in(verified, make_person(app, "pembaca@example.id")).status_code == 303
    pages = {
        who: client.get("/cari/?q=tengkulak", headers={"Accept-Language": "id"}).get_data(as_text=True)
        for who, client in (
            ("anonymous", app.test_client()),
            ("unverified", unverified),
            ("verified", verified),
        )
    }
    for who in ("anonymous", "unverified"):
        assert f'href="/baca/{number}' not in pages[who] and f"/cari/dalam/{number}" not in pages[who], who
    sign_in_link = re.search(r'<a href="/masuk\?next=([^"]+)">([^<]+)</a>', pages["anonymous"])
    assert re.fullmatch(rf"/baca/{number}\?halaman=\d+", unquote(sign_in_link.group(1)))
    assert sign_in_link.group(2) == "masuk untuk membaca halaman ini"
    assert (
        f'<a href="/katalog/{number}">mengapa Anda tidak dapat membacanya di sini</a>' in pages["unverified"]
    )
    assert f'href="/baca/{number}?halaman=' in pages["verified"] and "/masuk?next" not in pages["verified"]


def test_subjects_and_publication_types_read_in_the_pages_language_in_facets_and_on_the_page(app) -> None:
    client = app.test_client()
    client.set_cookie("lang", "en")
    english = client.get("/cari/?urut=newest").get_data(as_text=True)
    facets = english[english.find('class="facets') :]
    assert 'value="Publikasi" > Publication <' in facets and 'value="Laporan" > Report <' in facets
    assert 'value="Statistik Umum" > General statistics <' in facets
    client.set_cookie("lang", "id")
    indonesian = client.get("/cari/?urut=newest").get_data(as_text=True)
    assert 'value="Publikasi" > Publikasi <' in indonesian


def test_an_indonesian_word_finds_its_stem(app) -> None:
    hits = titles(app.test_client().get("/cari/?q=kependudukan"))
    assert hits, "kependudukan should find publications about penduduk"


def test_a_katalog_number_finds_its_publication_first(app) -> None:
    hits = titles(app.test_client().get("/cari/?q=1102001.1805"))
    assert hits[0] == title_of("tuba-dalam-angka-2024")


def test_a_facet_narrows_the_results(app) -> None:
    client = app.test_client()
    everything = text_of(client.get("/cari/?q=dalam+angka"))
    narrowed = client.get("/cari/?q=dalam+angka&office=1805")
    assert "publikasi ditemukan" in everything
    assert titles(narrowed) == [title_of("tuba-dalam-angka-2024")]
    assert 'name="office" value="1805" checked' in narrowed.get_data(as_text=True)


def test_a_misspelt_word_finds_what_it_was_near_and_says_which_word_it_searched(app) -> None:
    response = app.test_client().get("/cari/?q=pendudk")
    assert titles(response)
    assert "Menampilkan hasil untuk <em>penduduk</em>" in response.get_data(as_text=True)
    exact = app.test_client().get("/cari/?q=penduduk").get_data(as_text=True)
    assert "Menampilkan hasil untuk" not in exact  # a word it knows: nothing to say


def test_an_empty_search_shows_just_the_form(app) -> None:
    response = app.test_client().get("/cari/")
    assert response.status_code == 200 and 'role="search"' in response.get_data(as_text=True)
    assert "ditemukan" not in text_of(response)


def test_a_too_long_search_gets_a_clear_message(app) -> None:
    response = app.test_client().get("/cari/?q=" + "a" * 600)
    assert response.status_code == 400 and "terlalu panjang" in text_of(response)


def test_the_cli_searches_like_the_page(settings) -> None:
    result = CliRunner().invoke(main, ["search", "pelelangan", "--json"], obj=Runtime(settings))
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["total"] == 1 and found["hits"][0]["pages"]


def test_browsing_without_words_lists_everything_with_its_facets(app) -> None:
    response = app.test_client().get("/cari/?urut=newest")
    assert response.status_code == 200
    assert titles(response) and "ditemukan" in text_of(response)
    assert 'name="access_level"' in response.get_data(as_text=True)


def test_the_catalogue_links_to_browsing_with_filters(app) -> None:
    assert "/cari/?urut=newest" in app.test_client().get("/katalog/").get_data(as_text=True)


def test_the_page_says_when_publications_are_still_being_processed(app) -> None:
    rt = app.extensions["pustaka"]
    assert "sedang diproses" not in text_of(app.test_client().get("/cari/?q=penduduk"))
    with rt.uow() as uow:
        uow.session.add(
            IngestJob(
                source_sha256="f" * 64,
                source_kind="scanned",
                media_type="application/pdf",
                source_files=[],
                original_name="sensus.pdf",
                channel=IngestChannel.UPLOAD.value,
                status=IngestStatus.PROCESSING.value,
                pages_done=3,
                pages_total=40,
            )
        )
        uow.commit()
    app.extensions["catalogue-status"] = StatusCache()  # forget what this process read a moment ago
    shown = text_of(app.test_client().get("/cari/?q=penduduk"))
    assert "1 publikasi baru sedang diproses (3 dari 40 halaman)" in shown


def test_the_page_says_how_far_a_running_reindex_is(app, tmp_path) -> None:
    report = rebuild_report(app.extensions["pustaka"])
    report.write(120, 400)  # this process stands for the reindex: it is alive
    try:
        shown = text_of(app.test_client().get("/cari/"))
        assert "Indeks pencarian sedang dibangun ulang: baru 120 dari 400 publikasi" in shown
    finally:
        report.clear()
    app.extensions["catalogue-status"] = StatusCache()
    assert "dibangun ulang" not in text_of(app.test_client().get("/cari/"))


def test_a_reindex_that_died_is_not_reported(tmp_path) -> None:
    report = RebuildReport(tmp_path / "reindex-progress.json")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    (tmp_path / "reindex-progress.json").write_text(
        json.dumps({"done": 1, "total": 2, "pid": int(dead.stdout), "at": time.time()})
    )
    assert report.read() is None
    report.write(1, 2)
    assert report.read() == Rebuild(done=1, total=2)
    (tmp_path / "reindex-progress.json").write_text("{half a fi")
    assert report.read() is None


def test_a_search_asked_again_shows_the_catalogues_rows_as_they_are_now(app) -> None:
    client = app.test_client()
    first = client.get("/cari/?q=1102001.1805").get_data(as_text=True)
    rt = app.extensions["pustaka"]
    with rt.uow() as uow:  # changed in the database only: the engine's kept answer is the same
        found = select(Publication).where(Publication.katalog_bps == "1102001.1805")
        uow.session.scalars(found).one().access_level = AccessLevel.RESTRICTED
        uow.commit()
    again = client.get("/cari/?q=1102001.1805").get_data(as_text=True)
    assert 'badge badge-open">Terbuka' in first and "badge-restricted" not in first
    assert 'badge badge-restricted">Terbatas' in again
    assert app.extensions["search-results-html"].hits == 0  # rendered again for the new rows
    assert client.get("/cari/?q=1102001.1805").get_data(as_text=True) == again
    assert app.extensions["search-results-html"].hits == 1


def test_a_client_past_its_search_share_is_told_in_indonesian_when_to_search_again(
    app: Flask, client: FlaskClient
) -> None:
    from webapp.search.budget import AT_ONCE, SearchBudget

    budget = SearchBudget()
    app.extensions["pustaka.search_budget"] = budget
    held = [budget.spend("127.0.0.1") for _ in range(AT_ONCE)]  # the test client's address, busy
    for search in held:
        search.__enter__()
    refused = client.get("/cari/?q=padi")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "Terlalu banyak pencarian dari alamat Anda" in refused.get_data(as_text=True)
    held[0].__exit__(None, None, None)
    assert client.get("/cari/?q=padi").status_code == 200


def test_english_words_and_a_province_find_indonesian_publications(app) -> None:
    client = app.test_client()
    assert titles(client.get("/cari/?q=market+directory"))[0] == title_of("metro-direktori-pasar-2019")
    assert titles(client.get("/cari/?q=people%27s+welfare"))[0] == title_of("metro-kesra-2023")
    in_lampung = whole_titles(client.get("/cari/?q=lampung+dalam+angka"))
    assert in_lampung[0] == title_of("metro-dalam-angka-2024")  # the site's own office first
    assert title_of("tuba-dalam-angka-2024") in in_lampung
    assert title_of("llg-dalam-angka-2024") not in in_lampung  # Lubuklinggau is in Sumatera Selatan


def test_a_place_s_motto_finds_its_publications_and_its_word_alone_stays_an_everyday_word(app) -> None:
    client = app.test_client()
    assert titles(client.get("/cari/?q=bumi+sriwijaya+dalam+angka"))[0] == title_of("sumsel-dalam-angka-2024")
    assert titles(client.get("/cari/?q=Bumi+Sai+Wawai+dalam+angka"))[0] == title_of("metro-dalam-angka-2024")
    html = client.get("/cari/?q=Bumi+Sai+Wawai+dalam+angka").get_data(as_text=True)
    assert 'value="Bumi Sai Wawai dalam angka"' in html  # the box keeps what was typed
    assert title_of("metro-dalam-angka-2024") not in titles(client.get("/cari/?q=hasil+bumi+lampung"))[:1]


def test_too_few_publications_holding_every_word_are_followed_by_those_lacking_one(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = app.test_client()
    whole_answer = titles(client.get("/cari/?q=%22kemiskinan%22+%22metro%22"))  # quoted: never topped up
    response = client.get("/cari/?q=kemiskinan+metro")
    whole, every, said = whole_titles(response), titles(response), text_of(response)
    assert 0 < len(whole) < len(every) and whole == whole_answer  # as the whole query ranks them
    assert f"Hanya {len(whole)} publikasi yang memuat semua kata yang Anda ketik: yang lain di sini" in said
    lacking = re.findall(r'class="missing">Tidak memuat: <s>([^<]+)</s>', response.get_data(as_text=True))
    assert len(lacking) == len(every) - len(whole) and set(lacking) <= {"kemiskinan", "metro"}
    # Those lacking the place ("metro": another place's poverty figures) follow every other.
    assert every[: len(whole)] == whole or lacking[0] != "metro"
    # A later page holds only those lacking one: the whole answer is pointed to, not said to be above.
    monkeypatch.setattr("webapp.search.views.PER_PAGE", len(whole) + 1)
    later = client.get("/cari/?q=kemiskinan+metro&halaman=2")
    assert titles(later) and not whole_titles(later)
    assert f"Hanya {len(whole)} publikasi yang memuat semua kata yang Anda ketik, di halaman pertama" in (
        text_of(later)
    )
    assert re.search(
        r'di <a href="/cari/\?[^"]*halaman=1[^"]*">halaman pertama</a>', later.get_data(as_text=True)
    )


def test_an_answer_without_a_word_topped_up_says_how_many_hold_every_other_word(app) -> None:
    response = app.test_client().get("/cari/?q=susah+cari+kerja+di+metro%2C+banyak+yg+nganggur")
    whole, every, said = whole_titles(response), titles(response), text_of(response)
    assert 0 < len(whole) < len(every) and "tanpa susah ." in said
    # Not "only N hold every word you typed" beside "none holds every word you typed": N hold every other.
    assert f"Hanya {len(whole)} di antaranya yang memuat semua kata lainnya: yang lain di sini kurang" in said
    assert f"Hanya {len(whole)} publikasi" not in said


def test_a_query_no_publication_answers_whole_answers_without_a_word_and_says_which(app) -> None:
    response = app.test_client().get("/cari/?q=kesejahteraan+rakyat+qwxz")
    assert titles(response)[0] == title_of("metro-kesra-2023")
    said = text_of(response)
    assert "Tidak ada publikasi yang memuat semua kata yang Anda ketik" in said and "tanpa qwxz ." in said
    # Two words as well: the one no publication has is left out, when no correction answers.
    two = app.test_client().get("/cari/?q=welfare+qwxz")
    assert titles(two)[0] == title_of("metro-kesra-2023") and "tanpa qwxz ." in text_of(two)
