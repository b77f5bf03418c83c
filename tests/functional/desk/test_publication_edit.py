"""Librarians edit a publication at the desk, withdraw and restore it; readers cannot, and lose it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import select

from library.models import Publication, Role
from library.settings import Settings
from tests.demo_fixtures import clone_instance, index_instance
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in
from tests.schemas import assert_valid
from webapp import create_app

KEY = "metro-dalam-angka-2024"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
FORM_FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([a-z_]+)"')


@pytest.fixture
def pid(app: Flask) -> int:
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(select(Publication.id).where(Publication.key == KEY))


@pytest.fixture
def librarian(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "wulan@bps.go.id", [Role.LIBRARIAN], name="Wulan Pustakawan"))


@pytest.fixture
def reader(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "rina@example.com", [Role.READER]))


def edit_page(pid: int) -> str:
    return f"/meja/publikasi/{pid}/ubah"


def stored_fields(client: FlaskClient, pid: int) -> dict[str, str]:
    """Return the edit form's fields as the page fills them in (what a browser would send back)."""
    html = client.get(edit_page(pid)).get_data(as_text=True)
    form = html[html.find('class="stacked publication-edit"') :]
    form = form[: form.find("</form>")]
    values: dict[str, str] = {}
    for tag in re.finditer(r"<input[^>]*>", form):
        name = re.search(r'name="([a-z_]+)"', tag.group(0))
        value = re.search(r'value="([^"]*)"', tag.group(0))
        if name and name.group(1) != "csrf_token":
            values[name.group(1)] = (
                value.group(1).replace("&#34;", '"').replace("&#39;", "'") if value else ""
            )
    for name, text in re.findall(r'<textarea[^>]*name="([a-z_]+)"[^>]*>\s*(.*?)</textarea>', form, re.S):
        values[name] = text
    for name, inner in re.findall(r'<select[^>]*name="([a-z_]+)"[^>]*>(.*?)</select>', form, re.S):
        values[name] = re.search(
            r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', inner
        ).group(1)  # type: ignore[union-attr]
    return values


def post(client: FlaskClient, path: str, data: dict[str, str], pid: int):  # type: ignore[no-untyped-def]
    """Post a form of the edit page with its CSRF token, as a browser does."""
    return client.post(path, data={"csrf_token": csrf_token(client, edit_page(pid)), **data})


def withdraw(client: FlaskClient, pid: int, reason: str = "Diganti edisi revisi."):  # type: ignore[no-untyped-def]
    version = stored_fields(client, pid)["version"]
    return post(
        client, f"/meja/publikasi/{pid}/tarik", {"tarik-version": version, "tarik-reason": reason}, pid
    )


def restore(client: FlaskClient, pid: int):  # type: ignore[no-untyped-def]
    version = stored_fields(client, pid)["version"]
    return post(client, f"/meja/publikasi/{pid}/pulihkan", {"pulihkan-version": version}, pid)


def test_the_publication_page_links_a_librarian_to_its_edit_page(client, librarian, pid) -> None:
    html = client.get(f"/katalog/{pid}").get_data(as_text=True)
    assert f'href="{edit_page(pid)}"' in html and "Ubah publikasi" in html


def test_the_desk_lists_publications_with_their_edit_links(client, librarian, pid) -> None:
    html = client.get("/meja/").get_data(as_text=True)
    assert 'href="/meja/publikasi"' in html
    listing = client.get("/meja/publikasi?q=metro+dalam+angka+2024").get_data(as_text=True)
    assert f'href="{edit_page(pid)}"' in listing


def test_the_edit_page_shows_every_field_filled_in(client, librarian, pid) -> None:
    fields = stored_fields(client, pid)
    assert fields["title"] == "Kota Metro Dalam Angka 2024"
    assert (fields["katalog_bps"], fields["nomor_publikasi"], fields["issn"]) == (
        "1102001.1872",
        "18720.2401",
        "2477-538X",
    )
    assert (fields["office"], fields["access_level"], fields["language"]) == ("1872", "open", "id,en")


def test_a_librarian_changes_the_title_and_the_catalogue_and_history_show_it(client, librarian, pid) -> None:
    fields = stored_fields(client, pid)
    response = post(client, edit_page(pid), {**fields, "title": "Kota Metro Dalam Angka 2024 (Revisi)"}, pid)
    assert response.status_code == 303
    page = page_text(client.get(edit_page(pid)))
    assert "1 isian disimpan." in page
    assert (
        "Wulan Pustakawan Judul : Kota Metro Dalam Angka 2024 → Kota Metro Dalam Angka 2024 (Revisi)" in page
    )
    assert "Kota Metro Dalam Angka 2024 (Revisi)" in page_text(client.get(f"/katalog/{pid}"))


def test_every_field_at_fault_is_shown_in_indonesian_and_nothing_is_saved(client, librarian, pid) -> None:
    fields = stored_fields(client, pid)
    bad = {**fields, "title": "", "issn": "1234-5678", "access_level": "embargoed", "embargo_until": ""}
    response = post(client, edit_page(pid), bad, pid)
    assert response.status_code == 400
    page = page_text(response)
    assert "Ada masalah" in page
    assert "Tuliskan judul publikasi." in page
    assert "Ini bukan ISSN yang sah" in page
    assert "Publikasi yang diembargo memerlukan tanggal berakhirnya embargo." in page
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert stored_fields(client, pid)["title"] == "Kota Metro Dalam Angka 2024"


def test_a_save_made_on_an_older_version_is_refused_with_a_clear_message(client, librarian, pid) -> None:
    opened = stored_fields(client, pid)
    post(client, edit_page(pid), {**opened, "subject": "Kependudukan"}, pid)
    response = post(client, edit_page(pid), {**opened, "title": "Judul baru"}, pid)
    assert response.status_code == 409
    assert "Orang lain menyimpan publikasi ini setelah Anda membukanya" in page_text(response)
    html = response.get_data(as_text=True)
    assert 'value="Judul baru"' in html and 'value="Kependudukan"' in html  # both kept in the form
    assert stored_fields(client, pid)["title"] == "Kota Metro Dalam Angka 2024"


def test_a_withdrawal_without_a_reason_is_refused_naming_the_field(client, librarian, pid) -> None:
    response = withdraw(client, pid, reason="")
    assert response.status_code == 400
    assert "Tuliskan alasan publikasi ditarik" in page_text(response)
    assert 'id="tarik-reason"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/meja/publikasi"),
        ("get", "/meja/publikasi/{pid}/ubah"),
        ("post", "/meja/publikasi/{pid}/ubah"),
        ("post", "/meja/publikasi/{pid}/tarik"),
        ("post", "/meja/publikasi/{pid}/pulihkan"),
    ],
)
def test_a_reader_may_not_edit_withdraw_or_restore(client, reader, pid, method: str, path: str) -> None:
    response = getattr(client, method)(
        path.format(pid=pid), data={"csrf_token": csrf_token(client, "/profil")}
    )
    assert response.status_code == 403


def test_someone_not_signed_in_is_sent_to_sign_in(client, pid) -> None:
    response = client.get(edit_page(pid))
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_a_withdrawn_publication_is_gone_for_the_public(app, client, librarian, pid) -> None:
    assert withdraw(client, pid).status_code == 303
    public = app.test_client()
    for path in (f"/katalog/{pid}", f"/katalog/{pid}/sampul.png", f"/baca/{pid}", f"/katalog/{pid}/minta"):
        assert public.get(path).status_code in (302, 404), path  # the reader and request form ask to sign in
    assert f'href="/katalog/{pid}"' not in public.get("/katalog/").get_data(as_text=True)
    assert f'href="/katalog/{pid}"' not in public.get("/").get_data(as_text=True)


def test_a_withdrawn_publication_is_not_found_by_a_signed_in_reader(app, client, librarian, pid) -> None:
    withdraw(client, pid)
    other = app.test_client()
    sign_in(other, make_person(app, "rina@example.com", [Role.READER]))
    for path in (f"/katalog/{pid}", f"/baca/{pid}", f"/katalog/{pid}/minta"):
        assert other.get(path).status_code == 404, path


def test_a_librarian_still_sees_a_withdrawn_publication_and_restores_it(app, client, librarian, pid) -> None:
    withdraw(client, pid)
    page = page_text(client.get(f"/katalog/{pid}"))
    assert "Ditarik: hanya pustakawan yang melihat halaman ini. Alasan: Diganti edisi revisi." in page
    assert "Hanya yang ditarik" in page_text(client.get("/meja/publikasi?ditarik=1"))
    assert restore(client, pid).status_code == 303
    assert "Publikasi dipulihkan" in page_text(client.get(edit_page(pid)))
    assert app.test_client().get(f"/katalog/{pid}").status_code == 200


# -- search, after the commit -------------------------------------------------------------------


@pytest.fixture(scope="module")
def indexed_instance(tmp_path_factory: pytest.TempPathFactory, demo_instance: Path) -> Path:
    return index_instance(clone_instance(demo_instance, tmp_path_factory.mktemp("indexed-edit") / "instance"))


@pytest.fixture
def searchable(indexed_instance: Path, tmp_path: Path) -> Iterator[Flask]:
    """Return an app on an indexed instance whose jobs (index updates) run at once."""
    app = create_app(Settings.from_env({}, instance_dir=clone_instance(indexed_instance, tmp_path / "i")))
    app.config["TESTING"] = True
    app.extensions["pustaka"].jobs.immediate = True
    yield app
    app.extensions["pustaka"].close()  # its pooled connections, not left to the garbage collector


def hits(app: Flask, words: str) -> list[str]:
    html = app.test_client().get("/cari/", query_string={"q": words}).get_data(as_text=True)
    return re.findall(r'class="hit-title" href="/katalog/(\d+)"', html)


def test_a_changed_title_is_found_in_search_and_a_withdrawn_publication_is_not(searchable: Flask) -> None:
    client = searchable.test_client()
    sign_in(client, make_person(searchable, "wulan@bps.go.id", [Role.LIBRARIAN]))
    with searchable.extensions["pustaka"].uow() as uow:
        pid = uow.session.scalar(select(Publication.id).where(Publication.key == KEY))
    fields = stored_fields(client, pid)
    post(client, edit_page(pid), {**fields, "title": "Kota Metro Dalam Angka Zamrud 2024"}, pid)
    assert hits(searchable, "zamrud") == [str(pid)]
    withdraw(client, pid)
    assert hits(searchable, "zamrud") == []
    restore(client, pid)
    assert hits(searchable, "zamrud") == [str(pid)]


# -- OAI-PMH ------------------------------------------------------------------------------------


def oai(client: FlaskClient, **query: str) -> etree._Element:
    response = client.get("/oai", query_string=query)
    assert_valid(response.data)
    return etree.fromstring(response.data)


def test_harvesters_get_a_withdrawn_publication_as_a_deleted_record_then_the_restored_one(
    app, client, librarian, pid
) -> None:
    harvester = app.test_client()
    identifier = f"oai:pustaka.bps1872:bps1872/{pid}"  # the demo numbers its publications as their ids
    ask = {"verb": "GetRecord", "identifier": identifier, "metadataPrefix": "oai_dc"}
    withdraw(client, pid)
    record = oai(harvester, **ask).find(f"{OAI}GetRecord/{OAI}record")
    assert record.find(f"{OAI}header").get("status") == "deleted"
    assert record.find(f"{OAI}metadata") is None
    listed = oai(harvester, verb="ListIdentifiers", metadataPrefix="oai_dc")
    deleted = [h for h in listed.iter(f"{OAI}header") if h.get("status") == "deleted"]
    assert [h.findtext(f"{OAI}identifier") for h in deleted] == [identifier]
    restore(client, pid)
    record = oai(harvester, **ask).find(f"{OAI}GetRecord/{OAI}record")
    assert record.find(f"{OAI}header").get("status") is None
    assert record.find(f"{OAI}metadata") is not None


def test_identify_says_deleted_records_are_kept(app, client) -> None:
    assert oai(client, verb="Identify").findtext(f"{OAI}Identify/{OAI}deletedRecord") == "persistent"
