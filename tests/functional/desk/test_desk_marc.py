"""The desk's MARC page: a file checked in a dry run, imported on confirmation; the catalogue exported."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from lxml import etree
from pymarc import MARCReader
from sqlalchemy import func, select

from library.models import Publication, Role
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in
from tests.integration.library.marc_helpers import fixture_bytes

MARC = "{http://www.loc.gov/MARC21/slim}"


@pytest.fixture
def librarian(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "pustakawan@bps.go.id", [Role.LIBRARIAN]))


def titles(app: Flask, *keys: str) -> list[str]:
    with app.extensions["pustaka"].uow() as uow:
        return list(uow.session.scalars(select(Publication.title).where(Publication.key.in_(keys))))


def upload(client: FlaskClient, data: bytes, name: str, **options: str):
    form = {"csrf_token": csrf_token(client, "/meja/marc"), "berkas": (io.BytesIO(data), name), **options}
    return client.post("/meja/marc/impor", data=form, content_type="multipart/form-data")


def test_a_dry_run_shows_the_records_and_the_confirmation_imports_them(app, client, librarian) -> None:
    client.get("/bahasa/en")
    checked = upload(client, fixture_bytes("slims_export.xml"), "slims.xml")
    assert checked.status_code == 200
    text = page_text(checked)
    assert "Dry run: nothing is changed yet" in text and "New publications: 2" in text, text
    assert titles(app, "marc-1023", "marc-1024") == []
    token = checked.get_data(as_text=True).split('name="token" value="')[1].split('"')[0]
    done = client.post(
        "/meja/marc/impor/terapkan", data={"csrf_token": csrf_token(client, "/meja/marc"), "token": token}
    )
    assert done.status_code == 200 and "Import done" in page_text(done)
    assert len(titles(app, "marc-1023", "marc-1024")) == 2
    again = client.post(
        "/meja/marc/impor/terapkan", data={"csrf_token": csrf_token(client, "/meja/marc"), "token": token}
    )
    assert again.status_code == 400  # the kept file is gone once imported


def test_a_file_that_is_no_marc_is_refused_in_the_visitors_language_without_a_server_error(
    app, client, librarian
) -> None:
    refused = upload(client, b"%PDF-1.7\n" + b"\x00" * 200, "laporan.mrc")
    assert refused.status_code == 400
    with app.test_request_context(), force_locale("id"):
        expected = gettext(
            "This is not a MARC file: expected ISO 2709 (.mrc, starting with the record length) "
            "or MARCXML (.xml). Export the catalogue again as MARC21."
        )
    assert expected in page_text(refused)
    assert list((app.extensions["pustaka"].settings.instance_path / "marc-impor").glob("*")) == []


def test_the_catalogue_exports_as_marcxml_and_iso2709_with_every_public_publication(
    app, client, librarian
) -> None:
    with app.extensions["pustaka"].uow() as uow:
        count = uow.session.scalar(
            select(func.count(Publication.id)).where(Publication.withdrawn_at.is_(None))
        )
    as_xml = client.get("/meja/marc/ekspor?format=xml")
    assert as_xml.mimetype == "application/marcxml+xml"
    assert len(etree.fromstring(as_xml.data).findall(f"{MARC}record")) == count
    as_iso = client.get("/meja/marc/ekspor?format=mrc")
    assert "attachment" in as_iso.headers["Content-Disposition"]
    assert len(list(MARCReader(io.BytesIO(as_iso.data)))) == count


def test_a_search_exports_its_results_and_a_publication_its_own_record(app, client, librarian) -> None:
    found = client.get("/meja/marc/ekspor?format=xml&q=Metro+Dalam+Angka+2024")
    records = etree.fromstring(found.data).findall(f"{MARC}record")
    assert {r.findtext(f"{MARC}controlfield[@tag='001']") for r in records} >= {"metro-dalam-angka-2024"}
    with app.extensions["pustaka"].uow() as uow:
        pid = uow.session.scalar(select(Publication.id).where(Publication.key == "metro-dalam-angka-2024"))
    one = list(MARCReader(io.BytesIO(client.get(f"/meja/publikasi/{pid}/marc?format=mrc").data)))
    assert [r["001"].data for r in one] == ["metro-dalam-angka-2024"]
    persistent = f"http://127.0.0.1:8000/id/bps1872/{pid}"  # the demo numbers its publications as their ids
    assert [f["u"] for f in one[0].get_fields("856")] == [persistent]
    assert [(f["a"], f["2"]) for f in one[0].get_fields("024") if f["2"] == "uri"] == [(persistent, "uri")]


def test_only_librarians_export(app, client) -> None:
    sign_in(client, make_person(app, "pembaca@example.id", [Role.READER]))
    assert client.get("/meja/marc/ekspor?format=xml").status_code in (302, 403)
