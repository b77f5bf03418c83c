"""The publication page tells a walk-in visitor where the printed copies are; librarians keep that true."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from library.models import Holding, Publication, Role
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in

WITH_TWO_PLACES = "metro-dalam-angka-2024"  # the demo gives it the PST reading room and the city library
WITHOUT_ANY = "metro-utara-dalam-angka-2024"
GOOD = {
    "call_number": "310.598 MUT k 2024",
    "location": "Ruang baca PST, rak A-09",
    "copies": "2",
    "reading_room_only": "y",
    "note": "",
}


@pytest.fixture
def librarian(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "pustakawan@bps.go.id", [Role.LIBRARIAN]))


def publication_id(app: Flask, key: str) -> int:
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(select(Publication.id).where(Publication.key == key))


def holdings_of(app: Flask, pid: int) -> list[tuple[str, str, int, bool, str]]:
    """Return what is stored about a publication's printed copies, by location."""
    with app.extensions["pustaka"].uow() as uow:
        rows = uow.session.execute(
            select(
                Holding.call_number, Holding.location, Holding.copies, Holding.reading_room_only, Holding.note
            )
            .where(Holding.publication_id == pid)
            .order_by(Holding.location)
        )
        return [tuple(r) for r in rows]


def holding_count(app: Flask) -> int:
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(select(func.count(Holding.id)))


def holding_ids(app: Flask, pid: int) -> list[int]:
    with app.extensions["pustaka"].uow() as uow:
        return list(
            uow.session.scalars(select(Holding.id).where(Holding.publication_id == pid).order_by(Holding.id))
        )


def desk_page(pid: int) -> str:
    return f"/meja/katalog/{pid}/salinan-cetak"


def post_form(client: FlaskClient, path: str, data: dict[str, str], form_page: str):
    """Post a form with the token of the page that shows it, as a browser does."""
    return client.post(path, data={"csrf_token": csrf_token(client, form_page), **data})


# -- what every visitor sees -------------------------------------------------------------------


def test_a_visitor_reads_where_each_printed_copy_is_and_how_it_is_read(
    app: Flask, client: FlaskClient
) -> None:
    text = page_text(client.get(f"/katalog/{publication_id(app, WITH_TWO_PLACES)}"))
    assert "Salinan cetak" in text and "5 salinan cetak: lihat lokasinya" in text
    assert "Ruang baca PST, rak A-01 Nomor panggil 310.598 MET k 2024 Eksemplar 3" in text
    assert "Hanya dibaca di ruang baca PST; tidak dipinjamkan." in text
    assert "Pojok Statistik, Perpustakaan Daerah Kota Metro" in text
    assert "Tidak terbatas di ruang baca: tanyakan kepada petugas di sana tentang peminjaman." in text
    assert "Dapat dipinjam dengan kartu anggota Perpustakaan Daerah." in text
    assert "Kelola salinan cetak" not in text


def test_a_publication_without_printed_copies_says_it_is_digital_only(
    app: Flask, client: FlaskClient
) -> None:
    text = page_text(client.get(f"/katalog/{publication_id(app, WITHOUT_ANY)}"))
    assert "Hanya digital: perpustakaan tidak memiliki salinan cetak publikasi ini." in text
    assert "lihat lokasinya" not in text


def test_the_printed_copies_read_in_english_too(app: Flask, client: FlaskClient) -> None:
    client.get("/bahasa/en")
    text = page_text(client.get(f"/katalog/{publication_id(app, WITH_TWO_PLACES)}"))
    assert "Printed copies" in text and "5 printed copies: see where they are" in text
    assert "Shelf mark 310.598 MET k 2024" in text
    assert "Read in the PST reading room only; not lent." in text


# -- librarians keep them true -----------------------------------------------------------------


def test_a_librarian_goes_from_the_publication_page_to_its_printed_copies(
    app: Flask, client: FlaskClient, librarian
) -> None:
    pid = publication_id(app, WITH_TWO_PLACES)
    page = client.get(f"/katalog/{pid}").get_data(as_text=True)
    assert f'href="{desk_page(pid)}"' in page and "Kelola salinan cetak" in page
    desk = page_text(client.get(desk_page(pid)))
    assert "Ruang baca PST, rak A-01" in desk and "Tambah salinan cetak" in desk
    assert desk.count("Hapus") >= 2


def test_a_librarian_adds_printed_copies_and_the_visitor_sees_them(
    app: Flask, client: FlaskClient, librarian
) -> None:
    pid = publication_id(app, WITHOUT_ANY)
    response = post_form(client, desk_page(pid), GOOD, desk_page(pid))
    assert response.status_code == 303 and response.headers["Location"] == desk_page(pid)
    assert "Salinan cetak di Ruang baca PST, rak A-09 sudah dicatat." in page_text(client.get(desk_page(pid)))
    assert holdings_of(app, pid) == [("310.598 MUT k 2024", "Ruang baca PST, rak A-09", 2, True, "")]
    client.post("/keluar", data={"csrf_token": csrf_token(client, "/")})
    text = page_text(client.get(f"/katalog/{pid}"))
    assert "Ruang baca PST, rak A-09" in text and "Hanya dibaca di ruang baca PST" in text


def test_an_unticked_reading_room_box_records_copies_that_may_leave_it(
    app: Flask, client: FlaskClient, librarian
) -> None:
    pid = publication_id(app, WITHOUT_ANY)
    data = {k: v for k, v in GOOD.items() if k != "reading_room_only"}
    assert post_form(client, desk_page(pid), data, desk_page(pid)).status_code == 303
    assert holdings_of(app, pid)[0][3] is False
    assert "Tidak terbatas di ruang baca" in page_text(client.get(f"/katalog/{pid}"))


def test_a_librarian_changes_a_holding_from_its_filled_in_form(
    app: Flask, client: FlaskClient, librarian
) -> None:
    pid = publication_id(app, WITH_TWO_PLACES)
    hid = holding_ids(app, pid)[0]
    form = client.get(f"{desk_page(pid)}/{hid}").get_data(as_text=True)
    assert 'value="310.598 MET k 2024"' in form and 'value="Ruang baca PST, rak A-01"' in form
    changed = {
        **GOOD,
        "call_number": "310.598 MET k 2024",
        "location": "Ruang baca PST, rak A-02",
        "copies": "4",
    }
    response = post_form(client, f"{desk_page(pid)}/{hid}", changed, f"{desk_page(pid)}/{hid}")
    assert response.status_code == 303
    assert ("310.598 MET k 2024", "Ruang baca PST, rak A-02", 4, True, "") in holdings_of(app, pid)
    assert "Ruang baca PST, rak A-01" not in page_text(client.get(f"/katalog/{pid}"))


def test_a_librarian_removes_a_holding(app: Flask, client: FlaskClient, librarian) -> None:
    pid = publication_id(app, WITH_TWO_PLACES)
    first, second = holding_ids(app, pid)
    response = post_form(client, f"{desk_page(pid)}/{first}/hapus", {}, desk_page(pid))
    assert response.status_code == 303
    assert holding_ids(app, pid) == [second]
    assert "sudah dihapus dari catatan" in page_text(client.get(desk_page(pid)))


def test_the_same_shelf_mark_twice_in_one_place_is_explained_on_the_form(
    app: Flask, client: FlaskClient, librarian
) -> None:
    pid = publication_id(app, WITH_TWO_PLACES)
    again = {**GOOD, "call_number": "310.598 MET k 2024", "location": "Ruang baca PST, rak A-01"}
    response = post_form(client, desk_page(pid), again, desk_page(pid))
    assert response.status_code == 400
    assert "sudah tercatat di Ruang baca PST, rak A-01; ubah saja jumlah eksemplarnya" in page_text(response)
    assert len(holding_ids(app, pid)) == 2


# -- nobody else may ---------------------------------------------------------------------------


def test_signed_out_visitors_are_sent_to_sign_in(app: Flask, client: FlaskClient) -> None:
    response = client.get(desk_page(publication_id(app, WITH_TWO_PLACES)))
    assert response.status_code == 302 and response.headers["Location"].startswith("/masuk")


def test_a_reader_may_not_open_or_change_the_printed_copies(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "pembaca@example.id"))
    pid = publication_id(app, WITH_TWO_PLACES)
    before = holding_count(app)
    assert client.get(desk_page(pid)).status_code == 403
    token = csrf_token(client, "/")
    assert client.post(desk_page(pid), data={"csrf_token": token, **GOOD}).status_code == 403
    hid = holding_ids(app, pid)[0]
    assert client.post(f"{desk_page(pid)}/{hid}/hapus", data={"csrf_token": token}).status_code == 403
    assert holding_count(app) == before


def test_a_form_without_its_token_is_refused_and_nothing_changes(
    app: Flask, client: FlaskClient, librarian
) -> None:
    pid = publication_id(app, WITHOUT_ANY)
    response = client.post(desk_page(pid), data=GOOD)
    assert response.status_code == 400 and "Formulir tidak dapat diterima" in page_text(response)
    assert holdings_of(app, pid) == []


# -- hostile values ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"call_number": ""}, "Tuliskan nomor panggil salinannya"),
        ({"call_number": "x" * 101}, "Nomor panggil paling banyak 100 karakter."),
        ({"call_number": "x" * 100_000}, "Nomor panggil paling banyak 100 karakter."),
        ({"location": "  \x00\t "}, "Tuliskan letak salinannya"),
        ({"location": "y" * 201}, "Lokasi paling banyak 200 karakter."),
        ({"note": "z" * 501}, "Catatan paling banyak 500 karakter."),
        ({"copies": ""}, "bilangan bulat dari 1 sampai 999"),
        ({"copies": "0"}, "bilangan bulat dari 1 sampai 999"),
        ({"copies": "1000"}, "bilangan bulat dari 1 sampai 999"),
        ({"copies": "-5"}, "bilangan bulat dari 1 sampai 999"),
        ({"copies": "1e9"}, "bilangan bulat dari 1 sampai 999"),
        ({"copies": "9" * 400}, "bilangan bulat dari 1 sampai 999"),
        ({"copies": "dua"}, "bilangan bulat dari 1 sampai 999"),
        ({"copies": "<script>alert(1)</script>"}, "bilangan bulat dari 1 sampai 999"),
    ],
    ids=lambda v: repr(v)[:40] if isinstance(v, dict) else None,
)
def test_bad_values_are_explained_on_the_form_and_nothing_is_stored(
    app: Flask, client: FlaskClient, librarian, changes: dict[str, str], message: str
) -> None:
    pid = publication_id(app, WITHOUT_ANY)
    response = post_form(client, desk_page(pid), {**GOOD, **changes}, desk_page(pid))
    assert response.status_code == 400
    text = page_text(response)
    assert "Ada masalah" in text and message in text
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert holdings_of(app, pid) == []


def test_bad_values_on_the_change_form_leave_the_holding_as_it_was(
    app: Flask, client: FlaskClient, librarian
) -> None:
    pid = publication_id(app, WITH_TWO_PLACES)
    hid = holding_ids(app, pid)[0]
    before = holdings_of(app, pid)
    response = post_form(
        client, f"{desk_page(pid)}/{hid}", {**GOOD, "copies": "0"}, f"{desk_page(pid)}/{hid}"
    )
    assert response.status_code == 400 and "bilangan bulat dari 1 sampai 999" in page_text(response)
    assert holdings_of(app, pid) == before


def test_control_characters_are_taken_out_of_what_is_stored(
    app: Flask, client: FlaskClient, librarian
) -> None:
    pid = publication_id(app, WITHOUT_ANY)
    data = {**GOOD, "location": "Ruang\x00 baca\r\nPST", "note": "\x1b[31mmerah\x07"}
    assert post_form(client, desk_page(pid), data, desk_page(pid)).status_code == 303
    assert holdings_of(app, pid)[0][1:] == ("Ruang baca PST", 2, True, "[31mmerah")


@pytest.mark.parametrize(
    "path",
    [
        "/meja/katalog/987654/salinan-cetak",
        "/meja/katalog/99999999999999999999/salinan-cetak",
        "/meja/katalog/-1/salinan-cetak",
        "/meja/katalog/abc/salinan-cetak",
        "/meja/katalog/1.5/salinan-cetak",
        "/meja/katalog/{pid}/salinan-cetak/987654",
        "/meja/katalog/{pid}/salinan-cetak/99999999999999999999",
        "/meja/katalog/{pid}/salinan-cetak/%00",
        "/katalog/99999999999999999999",
    ],
)
def test_odd_addresses_are_not_found_never_a_server_error(
    app: Flask, client: FlaskClient, librarian, path: str
) -> None:
    response = client.get(path.format(pid=publication_id(app, WITH_TWO_PLACES)))
    assert response.status_code == 404
    assert "Terjadi kesalahan" not in page_text(response)


def test_a_holding_cannot_be_changed_through_another_publication(
    app: Flask, client: FlaskClient, librarian
) -> None:
    owner, other = publication_id(app, WITH_TWO_PLACES), publication_id(app, WITHOUT_ANY)
    hid = holding_ids(app, owner)[0]
    before = holdings_of(app, owner)
    assert client.get(f"{desk_page(other)}/{hid}").status_code == 404
    response = post_form(client, f"{desk_page(other)}/{hid}", GOOD, desk_page(other))
    assert response.status_code == 404
    assert f"Publikasi ini tidak memiliki catatan salinan cetak nomor {hid}." in page_text(response)
    assert post_form(client, f"{desk_page(other)}/{hid}/hapus", {}, desk_page(other)).status_code == 404
    assert holdings_of(app, owner) == before


def test_adding_to_a_publication_that_does_not_exist_is_not_found(
    app: Flask, client: FlaskClient, librarian
) -> None:
    pid = publication_id(app, WITHOUT_ANY)
    response = post_form(client, desk_page(987654), GOOD, desk_page(pid))
    assert response.status_code == 404 and "Tidak ada publikasi bernomor 987654." in page_text(response)
    assert holdings_of(app, pid) == []


def test_a_publication_is_found_by_the_call_number_its_copies_are_given_and_lose(
    app: Flask, client: FlaskClient, librarian
) -> None:
    pid = publication_id(app, WITHOUT_ANY)
    app.extensions["pustaka"].jobs.immediate = True  # the index job runs as the change commits

    def found() -> bool:
        return f'href="/katalog/{pid}"' in client.get("/cari/?q=310.598 MUT k 2024").get_data(as_text=True)

    assert not found()
    assert post_form(client, desk_page(pid), GOOD, desk_page(pid)).status_code == 303
    assert found()
    post_form(client, f"{desk_page(pid)}/{holding_ids(app, pid)[0]}/hapus", {}, desk_page(pid))
    assert not found()
