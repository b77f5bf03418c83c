"""Librarians see each printed copy by its barcode, set its status, print its labels, count its use."""

from __future__ import annotations

import pymupdf
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Holding, Item, Publication, Role
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in

# Pages are read in English: the Indonesian words of these pages come with the catalogue's next merge.
DEMO = "metro-dalam-angka-2024"  # the demo gives it 3 copies in the PST reading room, 2 in the city library


@pytest.fixture
def librarian(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "pustakawan@bps.go.id", [Role.LIBRARIAN]))
    client.get("/bahasa/en")


def barcodes(app: Flask, key: str = DEMO) -> list[str]:
    """Return the barcodes of a demo publication's copies, oldest first."""
    with app.extensions["pustaka"].uow() as uow:
        return list(
            uow.session.scalars(
                select(Item.barcode)
                .join(Holding, Holding.id == Item.holding_id)
                .join(Publication, Publication.id == Holding.publication_id)
                .where(Publication.key == key)
                .order_by(Item.id)
            )
        )


def status_of(app: Flask, barcode: str) -> str:
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(select(Item.status).where(Item.barcode == barcode))


def test_the_demo_holdings_have_one_item_per_copy_listed_under_each_holding(
    app: Flask, client: FlaskClient, librarian: None
) -> None:
    codes = barcodes(app)
    assert len(codes) == 5 and all(c.startswith("1872") for c in codes)
    with app.extensions["pustaka"].uow() as uow:
        pid = uow.session.scalar(select(Publication.id).where(Publication.key == DEMO))
    text = page_text(client.get(f"/meja/katalog/{pid}/salinan-cetak"))
    assert "3 items" in text and f"{codes[0]} · On the shelf" in text


def test_a_scanned_barcode_opens_its_copy_with_its_history(
    app: Flask, client: FlaskClient, librarian: None
) -> None:
    code = barcodes(app)[0]
    found = client.get("/meja/eksemplar", query_string={"barcode": f" {code} "})
    assert found.status_code == 303 and found.headers["Location"].endswith(f"/meja/eksemplar/{code}")
    text = page_text(client.get(found.headers["Location"]))
    assert "Kota Metro Dalam Angka 2024" in text and "Added to the collection" in text


def test_an_unknown_barcode_says_so(client: FlaskClient, librarian: None) -> None:
    page = client.get("/meja/eksemplar/TIDAK-ADA")
    assert page.status_code == 404 and "No copy has the barcode TIDAK-ADA." in page_text(page)


def test_a_librarian_sets_a_copy_damaged_with_a_note(
    app: Flask, client: FlaskClient, librarian: None
) -> None:
    code = barcodes(app)[1]
    page = f"/meja/eksemplar/{code}"
    saved = client.post(
        page, data={"csrf_token": csrf_token(client, page), "status": "damaged", "note": "Sampul sobek"}
    )
    assert saved.status_code == 303 and status_of(app, code) == "damaged"
    assert "Damaged" in page_text(client.get(page)) and "Sampul sobek" in page_text(client.get(page))


def test_a_status_not_in_the_list_is_refused_on_the_form(
    app: Flask, client: FlaskClient, librarian: None
) -> None:
    code = barcodes(app)[1]
    page = f"/meja/eksemplar/{code}"
    refused = client.post(page, data={"csrf_token": csrf_token(client, page), "status": "dicuri", "note": ""})
    assert refused.status_code == 400 and status_of(app, code) == "shelf"
    assert "There is a problem" in page_text(refused)


def test_labels_for_chosen_copies_come_as_a_pdf_with_their_barcodes(
    app: Flask, client: FlaskClient, librarian: None
) -> None:
    codes = barcodes(app)[:2]
    form = {"csrf_token": csrf_token(client, "/meja/eksemplar-label"), "kind": "barcode", "skip": "0"}
    sent = client.post("/meja/eksemplar-label", data=form | {"barcodes": "\n".join(codes)})
    assert sent.status_code == 200 and sent.mimetype == "application/pdf"
    text = pymupdf.open(stream=sent.data)[0].get_text()
    assert all(code in text for code in codes)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"barcodes": "TIDAK-ADA"}, "No copy in the collection has these barcodes: TIDAK-ADA."),
        ({"barcodes": ""}, "List the barcodes to label"),
        ({"barcodes": "", "since": "2999-01-01"}, "No copy was added since that date."),
        ({"barcodes": "x", "skip": "abc"}, "Write a number, 0 for a new sheet."),
        ({"barcodes": "x", "skip": "30"}, "Labels already used on the first sheet: from 0 to 23."),
    ],
)
def test_a_bad_label_request_says_what_to_change(
    app: Flask, client: FlaskClient, librarian: None, fields: dict[str, str], message: str
) -> None:
    if fields["barcodes"] == "x":
        fields["barcodes"] = barcodes(app)[0]
    form = {"csrf_token": csrf_token(client, "/meja/eksemplar-label"), "kind": "spine", "skip": "0"} | fields
    refused = client.post("/meja/eksemplar-label", data=form)
    assert refused.status_code == 400 and message in page_text(refused)


def test_front_office_staff_count_a_copy_read_in_the_reading_room(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "depan@bps.go.id", [Role.FRONT_OFFICE]))
    client.get("/bahasa/en")
    code = barcodes(app)[0]
    token = csrf_token(client, "/meja/ruang-baca")
    for _ in range(2):
        assert client.post("/meja/ruang-baca", data={"csrf_token": token, "barcode": code}).status_code == 303
    text = page_text(client.get("/meja/ruang-baca"))
    assert "Kota Metro Dalam Angka 2024 2" in text
    refused = client.post("/meja/ruang-baca", data={"csrf_token": token, "barcode": "TIDAK-ADA"})
    assert refused.status_code == 400 and "No copy has the barcode TIDAK-ADA." in page_text(refused)
    assert client.get("/meja/eksemplar").status_code == 403  # the items' pages are the librarians'
