"""Stock-taking at the desk: scan with a USB scanner (a form) or the page's script (JSON), close, report."""

from __future__ import annotations

import csv
import io

import pymupdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Holding, Item, Role
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in

# Pages are read in English: the Indonesian words of these pages come with the catalogue's next merge.
READING_ROOM = "Ruang baca PST, rak A-01"  # the demo's "Kota Metro Dalam Angka 2024" stands here, 3 copies


@pytest.fixture
def librarian(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "pustakawan@bps.go.id", [Role.LIBRARIAN]))
    client.get("/bahasa/en")


def shelf(app: Flask, location: str = READING_ROOM) -> list[str]:
    """Return the barcodes of the copies recorded at a place."""
    with app.extensions["pustaka"].uow() as uow:
        query = (
            select(Item.barcode)
            .join(Holding, Holding.id == Item.holding_id)
            .where(Holding.location == location)
        )
        return list(uow.session.scalars(query.order_by(Item.barcode)))


def other_place(app: Flask) -> str:
    """Return the barcode of a copy recorded somewhere else than the reading room shelf."""
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(
            select(Item.barcode)
            .join(Holding, Holding.id == Item.holding_id)
            .where(Holding.location != READING_ROOM)
        )


def start(client: FlaskClient, location: str = READING_ROOM) -> str:
    """Start a stock-taking through the form; return its page's path."""
    made = client.post(
        "/meja/opname", data={"csrf_token": csrf_token(client, "/meja/opname"), "location": location}
    )
    assert made.status_code == 303
    return made.headers["Location"]


def scan(client: FlaskClient, page: str, barcode: str, *, script: bool = False):
    """Scan a barcode as the USB scanner does (the form), or as the page's script does (JSON)."""
    headers = {"Accept": "application/json"} if script else {}
    return client.post(
        page + "/pindai", data={"csrf_token": csrf_token(client, page), "barcode": barcode}, headers=headers
    )


def test_a_usb_scanner_counts_a_copy_and_the_page_comes_back_focused_with_the_counts(
    app: Flask, client: FlaskClient, librarian: None
) -> None:
    page = start(client)
    code = shelf(app)[0]
    sent = scan(client, page, code)
    assert sent.status_code == 303 and sent.headers["Location"].endswith(page)
    shown = client.get(page)
    html = shown.get_data(as_text=True)
    assert f"Counted: {code}, Kota Metro Dalam Angka 2024." in page_text(shown)
    assert 'data-count="seen">1<' in html and "autofocus" in html
    assert "camera=(self)" in shown.headers["Permissions-Policy"]


def test_the_script_gets_each_outcome_and_the_counts_as_json(
    app: Flask, client: FlaskClient, librarian: None
) -> None:
    page = start(client)
    code = shelf(app)[0]
    answers = [scan(client, page, b, script=True).get_json() for b in (code, code, other_place(app), "ZZZ-9")]
    assert [a["outcome"] for a in answers] == ["seen", "again", "misplaced", "unknown"]
    assert answers[-1]["counts"] == {"expected": 3, "seen": 1, "missing": 2, "misplaced": 1, "unknown": 1}
    assert answers[-1]["message"] == "No copy has the barcode ZZZ-9: noted as unknown."


def test_an_empty_scan_is_refused_with_a_message(client: FlaskClient, librarian: None) -> None:
    page = start(client)
    refused = scan(client, page, "   ", script=True)
    assert refused.status_code == 400 and refused.get_json()["message"] == "Scan or type the copy's barcode."


def test_closing_asks_first_then_marks_the_unseen_copies_missing_and_reports_them(
    app: Flask, client: FlaskClient, librarian: None
) -> None:
    page = start(client)
    codes = shelf(app)
    scan(client, page, codes[0])
    scan(client, page, "ZZZ-9")
    question = page_text(client.get(page + "/tutup"))
    assert (
        "Close stock-taking" in question
        and "Closing marks 2 copies on the shelf that were not scanned as missing" in question
    )
    closed = client.post(page + "/tutup", data={"csrf_token": csrf_token(client, page + "/tutup")})
    assert closed.status_code == 303
    rows = list(csv.reader(io.StringIO(client.get(page + "/laporan.csv").get_data(as_text=True))))
    assert [r[1] for r in rows[1:]] == [codes[1], codes[2], "ZZZ-9"]  # missing first, then unknown
    pdf = client.get(page + "/laporan.pdf")
    assert pdf.mimetype == "application/pdf" and codes[2] in pymupdf.open(stream=pdf.data)[0].get_text()
    late = scan(client, page, codes[1])
    assert (
        late.status_code == 303
        and "This stock-taking is closed: start a new one to scan again." in page_text(client.get(page))
    )


def test_a_paused_stocktaking_refuses_scans_until_resumed(
    app: Flask, client: FlaskClient, librarian: None
) -> None:
    page = start(client)
    client.post(page + "/jeda", data={"csrf_token": csrf_token(client, page)})
    refused = scan(client, page, shelf(app)[0], script=True)
    assert refused.status_code == 400 and "paused" in refused.get_json()["message"]
    client.post(page + "/lanjut", data={"csrf_token": csrf_token(client, page)})
    assert scan(client, page, shelf(app)[0], script=True).get_json()["outcome"] == "seen"


@pytest.mark.parametrize("location", ["Rak yang tidak ada", "x" * 300])
def test_a_place_not_in_the_list_is_refused_on_the_form(
    client: FlaskClient, librarian: None, location: str
) -> None:
    refused = client.post(
        "/meja/opname", data={"csrf_token": csrf_token(client, "/meja/opname"), "location": location}
    )
    assert refused.status_code == 400 and "Choose a location from the list" in page_text(refused)


def test_a_stocktaking_number_that_names_none_is_a_not_found_page(
    client: FlaskClient, librarian: None
) -> None:
    assert client.get("/meja/opname/999").status_code == 404
    assert client.get("/meja/opname/999/laporan.csv").status_code == 404
