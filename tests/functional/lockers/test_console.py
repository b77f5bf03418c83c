"""The front-office console at /loket/loker: give a locker, give the card back, see a visitor out."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import LockerLoan, Ticket, Visit
from tests.functional.accounts.helpers import csrf_token, page_text
from tests.functional.lockers.conftest import DAY, NOW, add_visit, locker_ids

NIK = "3171012345678901"


def give(client: FlaskClient, **fields: str):  # type: ignore[no-untyped-def]
    """Send the give-locker form with the console's CSRF token."""
    data = {"visit": "", "ticket": "", "locker": "", "card_kind": "ktp", "card_last4": "5678", **fields}
    return client.post("/loket/loker/beri", data={"csrf_token": csrf_token(client, "/loket/loker"), **data})


def press(client: FlaskClient, path: str):  # type: ignore[no-untyped-def]
    """Press a button form (return, leaving) on the console."""
    return client.post(path, data={"csrf_token": csrf_token(client, "/loket/loker")})


def loans(app: Flask) -> list[tuple[str, str, bool]]:
    """Return the loans stored: card kind, last four, whether given back."""
    with app.extensions["pustaka"].uow() as uow:
        rows = uow.session.scalars(select(LockerLoan).order_by(LockerLoan.id))
        return [(x.card_kind, x.card_last4, x.returned_at is not None) for x in rows]


def test_the_console_asks_for_sign_in_and_refuses_readers(client: FlaskClient, reader: FlaskClient) -> None:
    assert client.get("/loket/loker").status_code == 302
    assert "/masuk" in client.get("/loket/loker").headers["Location"]
    for path in ("/loket/loker", "/loket/loker/tutup"):
        assert reader.get(path).status_code == 403
    assert reader.post("/loket/loker/beri", data={"csrf_token": csrf_token(reader, "/")}).status_code == 403


def test_the_console_lists_todays_visits_and_offers_the_free_lockers(app: Flask, front: FlaskClient) -> None:
    add_visit(app, "Budi Santoso", services=("library", "consultation"))
    add_visit(app, "Kemarin Saja", day=DAY - dt.timedelta(days=1), arrived=NOW - dt.timedelta(days=1))
    response = front.get("/loket/loker")
    text = page_text(response)
    assert response.status_code == 200
    assert "Loker dan kartu identitas" in text and "0 dari 12 loker terpakai" in text
    assert "Budi Santoso" in text and "P-001 menunggu" in text and "K-001 menunggu" in text
    assert "Kemarin Saja" not in text
    html = response.get_data(as_text=True)
    assert html.count('<option value="') == 1 + 1 + 12 + 6  # the prompt, the visitor, the lockers, the cards


def test_a_locker_is_given_to_a_visitor_picked_from_the_list(app: Flask, front: FlaskClient) -> None:
    visit = add_visit(app, "Budi Santoso")
    response = give(
        front, visit=str(visit), locker=str(locker_ids(app)["A-03"]), card_kind="sim", card_last4="ab12"
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/loket/loker")
    text = page_text(front.get("/loket/loker"))
    assert "Loker A-03 diberikan kepada Budi Santoso; SIM berakhiran AB12 dipegang petugas." in text
    assert "1 dari 12 loker terpakai" in text and "····AB12" in text
    assert loans(app) == [("sim", "AB12", False)]


def test_a_locker_is_given_to_the_visitor_whose_ticket_code_is_typed(app: Flask, front: FlaskClient) -> None:
    add_visit(app, "Budi Santoso")
    add_visit(app, "Sari Dewi")
    response = give(front, ticket=" p2 ", locker=str(locker_ids(app)["A-01"]))
    assert response.status_code == 303
    assert "Loker A-01 diberikan kepada Sari Dewi" in page_text(front.get("/loket/loker"))


def test_a_whole_nik_is_refused_saying_why_and_is_neither_stored_nor_shown_again(
    app: Flask, front: FlaskClient
) -> None:
    visit = add_visit(app)
    response = give(front, visit=str(visit), locker=str(locker_ids(app)["A-01"]), card_last4=NIK)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "data pribadi dan tidak pernah disimpan" in page_text(response)
    assert NIK not in html and NIK[-5:] not in html
    assert loans(app) == []


@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({"card_last4": "12"}, 400, "Ketik tepat empat karakter"),
        ({"card_kind": "<script>"}, 400, "Pilih jenis kartu identitas"),
        ({"visit": ""}, 400, "Pilih pengunjung dari daftar hari ini"),
        ({"visit": "abc"}, 400, "Pilih pengunjung dari daftar hari ini"),
        ({"visit": "99999999999999999999"}, 400, "Pilih pengunjung"),
        ({"visit": "424242"}, 404, "Kunjungan itu tidak ada"),
        ({"locker": "99999999999999999999"}, 404, "Loker itu tidak ada"),
        ({"locker": "-1"}, 404, "Loker itu tidak ada"),
        ({"ticket": "'; DROP TABLE visit; --"}, 400, "Ketik kode tiket seperti tercetak"),
        ({"ticket": "P-999"}, 400, "Tidak ada tiket P-999 hari ini"),
        ({"card_last4": "x" * 100_000}, 400, "data pribadi"),
    ],
)
def test_bad_values_in_the_form_are_refused_with_a_clear_message(
    app: Flask, front: FlaskClient, fields: dict[str, str], status: int, says: str
) -> None:
    visit = add_visit(app)
    base = {"visit": str(visit), "locker": str(locker_ids(app)["A-01"])}
    response = give(front, **{**base, **fields})
    assert response.status_code == status
    assert says in page_text(response)
    assert loans(app) == []


def test_a_locker_in_use_is_refused_naming_who_holds_it(app: Flask, front: FlaskClient) -> None:
    locker = str(locker_ids(app)["A-01"])
    give(front, visit=str(add_visit(app, "Budi")), locker=locker)
    response = give(front, visit=str(add_visit(app, "Sari")), locker=locker)
    assert response.status_code == 409
    assert "Loker A-01 sedang dipakai (Budi); pilih loker lain." in page_text(response)


def test_the_form_without_its_token_is_refused(app: Flask, front: FlaskClient) -> None:
    response = front.post("/loket/loker/beri", data={"visit": str(add_visit(app)), "card_last4": "1234"})
    assert response.status_code == 400 and loans(app) == []


def test_giving_the_card_back_frees_the_locker_and_twice_is_refused(app: Flask, front: FlaskClient) -> None:
    give(front, visit=str(add_visit(app, "Budi")), locker=str(locker_ids(app)["A-02"]))
    with app.extensions["pustaka"].uow() as uow:
        loan = uow.session.scalar(select(LockerLoan.id))
    response = press(front, f"/loket/loker/pinjaman/{loan}/kembalikan")
    assert response.status_code == 303
    text = page_text(front.get("/loket/loker"))
    assert "KTP berakhiran 5678 sudah dikembalikan kepada Budi; loker A-02 kosong." in text
    again = press(front, f"/loket/loker/pinjaman/{loan}/kembalikan")
    assert again.status_code == 409
    assert "Kartu identitas Budi (loker A-02) sudah dikembalikan pada 09:00." in page_text(again)


@pytest.mark.parametrize(
    "path",
    [
        "/loket/loker/pinjaman/999999/kembalikan",
        "/loket/loker/pinjaman/99999999999999999999/kembalikan",
        "/loket/loker/pinjaman/abc/kembalikan",
        "/loket/loker/pinjaman/-1/kembalikan",
        "/loket/loker/kunjungan/0/pulang",
        "/loket/loker/kunjungan/2147483648/pulang",
        "/loket/loker/kunjungan/%00/pulang",
    ],
)
def test_hostile_ids_in_the_address_are_not_found(front: FlaskClient, path: str) -> None:
    assert press(front, path).status_code == 404


def test_a_visitor_leaving_gets_their_card_back_and_their_waiting_tickets_close(
    app: Flask, front: FlaskClient
) -> None:
    visit = add_visit(app, "Budi", services=("library", "consultation"))
    give(front, visit=str(visit), locker=str(locker_ids(app)["A-05"]), card_last4="9876")
    response = press(front, f"/loket/loker/kunjungan/{visit}/pulang")
    assert response.status_code == 303
    text = page_text(front.get("/loket/loker"))
    assert "Budi sudah pulang." in text
    assert "Kembalikan KTP berakhiran 9876 dari loker A-05." in text
    assert "Tiket P-001, K-001 masih menunggu: ditutup sebagai tidak hadir." in text
    assert "Pulang pukul 09.00" in text or "Pulang pukul 09:00" in text
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.scalar(select(Visit.left_at)) == NOW
        assert set(uow.session.scalars(select(Ticket.status))) == {"no_show"}
    again = press(front, f"/loket/loker/kunjungan/{visit}/pulang")
    assert again.status_code == 303
    assert "Budi sudah pulang sebelumnya; tidak ada yang berubah." in page_text(front.get("/loket/loker"))


def test_a_visit_is_preselected_from_its_give_a_locker_link(app: Flask, front: FlaskClient) -> None:
    visit = add_visit(app, "Budi")
    html = front.get(f"/loket/loker?kunjungan={visit}").get_data(as_text=True)
    assert f'<option selected value="{visit}">' in html
    for odd in ("abc", "9" * 40, "-1"):
        assert front.get(f"/loket/loker?kunjungan={odd}").status_code == 200
    assert front.get("/loket/loker?kunjungan=%00").status_code == 400  # a NUL in any address: refused


def test_the_closing_list_names_every_card_held_with_those_of_earlier_days_marked(
    app: Flask, front: FlaskClient
) -> None:
    lockers = locker_ids(app)
    earlier = add_visit(app, "Rudi", day=DAY - dt.timedelta(days=1), arrived=NOW - dt.timedelta(days=1))
    app.extensions["pustaka"].now = lambda: NOW - dt.timedelta(days=1)
    give(front, visit=str(earlier), locker=str(lockers["A-09"]), card_last4="0001")
    app.extensions["pustaka"].now = lambda: NOW
    give(front, visit=str(add_visit(app, "Budi")), locker=str(lockers["A-01"]), card_last4="1111")
    response = front.get("/loket/loker/tutup")
    text = page_text(response)
    assert response.status_code == 200
    assert "2 kartu identitas masih dipegang" in text and "1 di antaranya dari hari sebelumnya." in text
    assert "1 A-09 Rudi KTP ····0001" in text and "2 A-01 Budi KTP ····1111" in text
    assert "1 hari 0 jam" in text and 'class="overdue"' in response.get_data(as_text=True)


def test_the_closing_list_says_when_every_card_is_back(front: FlaskClient) -> None:
    assert "Semua kartu identitas sudah dikembalikan" in page_text(front.get("/loket/loker/tutup"))


def test_the_console_speaks_english_when_asked(app: Flask, front: FlaskClient) -> None:
    add_visit(app, "Budi")
    front.get("/bahasa/en")
    text = page_text(front.get("/loket/loker"))
    assert "Lockers and ID cards" in text and "Give a locker" in text and "P-001 waiting" in text


def test_leaving_while_being_served_finishes_that_ticket_and_says_so(app: Flask, front: FlaskClient) -> None:
    visit = add_visit(app, "Budi", services=("library", "consultation"))
    with app.extensions["pustaka"].uow() as uow:
        first = uow.session.scalar(select(Ticket).where(Ticket.code == "P-001"))
        first.status = "serving"
        uow.commit()
    assert press(front, f"/loket/loker/kunjungan/{visit}/pulang").status_code == 303
    text = page_text(front.get("/loket/loker"))
    assert "Tiket P-001 sedang dilayani: layanannya ditutup sebagai selesai sekarang." in text
    assert "Tiket K-001 masih menunggu: ditutup sebagai tidak hadir." in text


def test_a_visitor_who_left_with_their_card_still_held_gets_it_back_on_leaving_again(
    app: Flask, front: FlaskClient
) -> None:
    visit = add_visit(app, "Budi")
    give(front, visit=str(visit), locker=str(locker_ids(app)["A-07"]), card_last4="4321")
    with app.extensions["pustaka"].uow() as uow:
        uow.session.get(Visit, visit).left_at = NOW  # closed elsewhere, the card still in the drawer
        uow.commit()
    assert press(front, f"/loket/loker/kunjungan/{visit}/pulang").status_code == 303
    text = page_text(front.get("/loket/loker"))
    assert "Kembalikan KTP berakhiran 4321 dari loker A-07." in text and "Budi sudah pulang." not in text
