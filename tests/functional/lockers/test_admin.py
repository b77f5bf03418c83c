"""The administrator's lockers at /admin/loker: add singly or by range, rename, take out of use."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.functional.accounts.helpers import csrf_token, page_text
from tests.functional.lockers.conftest import add_visit, locker_ids


def post(client: FlaskClient, path: str, **fields: str):  # type: ignore[no-untyped-def]
    """Send a form of the admin's lockers page with its CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token(client, "/admin/loker"), **fields})


def test_only_administrators_edit_the_lockers(
    client: FlaskClient, front: FlaskClient, reader: FlaskClient
) -> None:
    assert client.get("/admin/loker").status_code == 302
    for someone in (front, reader):
        assert someone.get("/admin/loker").status_code == 403
        token = csrf_token(someone, "/")
        assert (
            someone.post("/admin/loker/tambah", data={"csrf_token": token, "labels": "B-01"}).status_code
            == 403
        )


def test_the_demo_office_lists_its_twelve_lockers_in_order(admin: FlaskClient) -> None:
    text = page_text(admin.get("/admin/loker"))
    assert "Daftar loker kantor (12)" in text
    assert text.index("A-02") < text.index("A-10") and text.count("kosong") == 12


def test_a_range_of_lockers_is_added_and_those_there_already_are_named(admin: FlaskClient) -> None:
    response = post(admin, "/admin/loker/tambah", labels="A-11..A-14, B-1")
    assert response.status_code == 303
    text = page_text(admin.get("/admin/loker"))
    assert "Loker ditambahkan (3): A-13, A-14, B-1." in text
    assert "Loker ini sudah ada: A-11, A-12." in text
    assert "Daftar loker kantor (15)" in text


@pytest.mark.parametrize(
    ("labels", "says"),
    [
        ("", "Ketik nomor atau nama loker"),
        ("A-01", "Loker ini sudah ada: A-01"),
        ("A-20..A-10", "dari nomor terkecil ke nomor terbesar"),
        ("A-1..A-5000", "paling banyak 200 loker"),
        ("<img src=x>", "Gunakan huruf, angka, spasi"),
        ("9" * 5000, "paling banyak 20 karakter"),
    ],
)
def test_bad_labels_are_refused_with_a_clear_message(admin: FlaskClient, labels: str, says: str) -> None:
    response = post(admin, "/admin/loker/tambah", labels=labels)
    assert response.status_code == 400
    assert says in page_text(response)
    assert "<img src=x" not in response.get_data(as_text=True)


def test_a_locker_is_renamed_and_a_clash_is_refused(app: Flask, admin: FlaskClient) -> None:
    lockers = locker_ids(app)
    assert post(admin, f"/admin/loker/{lockers['A-01']}/nama", label="VIP-1").status_code == 303
    assert "Loker A-01 sekarang bernama VIP-1." in page_text(admin.get("/admin/loker"))
    clash = post(admin, f"/admin/loker/{lockers['A-02']}/nama", label="vip-1")
    assert clash.status_code == 400 and "Sudah ada loker VIP-1." in page_text(clash)


def test_a_free_locker_goes_out_of_use_and_back_but_one_in_use_stays(app: Flask, admin: FlaskClient) -> None:
    lockers = locker_ids(app)
    assert post(admin, f"/admin/loker/{lockers['A-03']}/status", aktif="0").status_code == 303
    assert "Loker A-03 dinonaktifkan" in page_text(admin.get("/admin/loker"))
    assert post(admin, f"/admin/loker/{lockers['A-03']}/status", aktif="1").status_code == 303
    assert "Loker A-03 dipakai lagi." in page_text(admin.get("/admin/loker"))
    visit = add_visit(app, "Budi")
    token = csrf_token(admin, "/loket/loker")
    given = admin.post(
        "/loket/loker/beri",
        data={
            "csrf_token": token,
            "visit": str(visit),
            "locker": str(lockers["A-04"]),
            "card_kind": "ktp",
            "card_last4": "1234",
        },
    )
    assert given.status_code == 303
    refused = post(admin, f"/admin/loker/{lockers['A-04']}/status", aktif="0")
    assert refused.status_code == 409
    assert "Loker A-04 sedang dipakai (Budi)" in page_text(refused)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/loker/99999/nama",
        "/admin/loker/99999999999999999999/status",
        "/admin/loker/x/nama",
        "/admin/loker/0/status",
    ],
)
def test_hostile_locker_ids_are_not_found(admin: FlaskClient, path: str) -> None:
    assert post(admin, path, label="B", aktif="0").status_code == 404


def test_the_admin_page_speaks_english_when_asked(admin: FlaskClient) -> None:
    admin.get("/bahasa/en")
    text = page_text(admin.get("/admin/loker"))
    assert "Add lockers" in text and "Take out of use" in text
