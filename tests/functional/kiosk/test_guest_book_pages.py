"""The guest book kiosk through the test client: the form, taking an entry, and its refusals."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from library.models import Ticket, User, Visit
from tests.functional.accounts.helpers import outbox, page_text, register
from tests.functional.kiosk.kiosk_helpers import (
    ENTRY,
    clock_ahead,
    form_tokens,
    form_tokens_of,
    sign,
    token_of,
)


def count(app: Flask, model: type) -> int:
    with app.extensions["pustaka"].uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_guest_book_asks_in_indonesian_with_chips_and_the_offices_services(client: FlaskClient) -> None:
    response = client.get("/buku-tamu")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    text = page_text(response)
    for words in (
        "Selamat datang di PST",
        "Jenis kelamin",
        "Laki-laki",
        "Perempuan",
        "17-25",
        "Di atas 65",
        "SMA/sederajat ke bawah",
        "D4/S1",
        "Pelajar/Mahasiswa",
        "Perpustakaan",
        "Konsultasi Statistik",
        "Ambil nomor antrean",
    ):
        assert words in text, words
    assert page.count('type="radio" name="sex"') == 2 and page.count('type="radio" name="age_band"') == 7
    assert 'type="checkbox" name="services" value="library"' in page
    assert 'autocomplete="off"' in page and "data-kiosk-form" in page
    assert '<div class="hp" aria-hidden="true">' in page and 'tabindex="-1"' in page
    assert 'href="/masuk"' not in page  # no account menu on the kiosk


def test_the_guest_book_switches_to_english(client: FlaskClient) -> None:
    client.set_cookie("lang", "en")
    text = page_text(client.get("/buku-tamu"))
    assert "Welcome to the PST" in text and "Library" in text and "Statistical consultation" in text


def test_an_entry_redirects_to_the_kiosks_tickets(app: Flask, client: FlaskClient) -> None:
    response = sign(app, client)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/buku-tamu/tiket/")
    ticket = client.get(response.headers["Location"])
    text, page = page_text(ticket), ticket.get_data(as_text=True)
    assert ticket.status_code == 200 and ticket.headers["Referrer-Policy"] == "no-referrer"
    assert ticket.headers["Cache-Control"] == "no-store"
    assert "Terima kasih, Siti!" in text and "P-001" in text and "K-001" in text
    assert "Anda akan dilayani paling lama 5 menit setelah mengisi buku tamu." in text
    assert "Anda akan dilayani paling lama 10 menit setelah pengunjung sebelumnya selesai dilayani." in text
    assert "Silakan menunggu panggilan. Untuk perpustakaan Anda juga dapat langsung mulai di terminal" in text
    token = token_of(response)
    assert f'href="/kunjungan/{token}/tiket.pdf"' in page and "Cetak tiket" in text
    assert 'href="/buku-tamu" data-done' in page and "Selesai" in text
    assert f"/kunjungan/{token}" in text and '<svg class="qr"' in page
    assert 'data-reset-after="60"' in page and 'content="60;url=/buku-tamu"' in page
    assert "Layar ini kembali ke buku tamu dalam" in text
    assert (count(app, Visit), count(app, Ticket)) == (1, 2)


def test_an_entry_from_a_visitors_own_phone_goes_to_the_status_page(app: Flask, client: FlaskClient) -> None:
    page = client.get("/buku-tamu?ponsel=1").get_data(as_text=True)
    assert 'action="/buku-tamu?ponsel=1"' in page and 'autocomplete="name"' in page
    assert "data-kiosk-form" not in page
    response = sign(app, client, path="/buku-tamu?ponsel=1", services=["library"])
    assert response.status_code == 303 and response.headers["Location"].startswith("/kunjungan/")


def test_refused_answers_are_shown_on_their_fields_and_kept(app: Flask, client: FlaskClient) -> None:
    response = sign(app, client, sex="", age_band="99", services=[], phone="nomor saya", email="siti@")
    text, page = page_text(response), response.get_data(as_text=True)
    assert response.status_code == 400
    for message in (
        "Pilih laki-laki atau perempuan.",
        "Pilih kelompok umur Anda.",
        "Pilih paling sedikit satu layanan.",
        "Tulis nomor telepon dengan angka saja",
        "'siti@' bukan alamat email.",
    ):
        assert message in text, message
    assert 'href="#sex"' in page and 'id="sex"' in page and 'href="#services"' in page
    assert 'value="Siti Aminah"' in page and 'value="bachelor" checked' in page
    assert count(app, Visit) == 0


def test_a_form_sent_back_for_an_answer_keeps_its_opening_time(app: Flask, client: FlaskClient) -> None:
    clock_ahead(app, 0)
    tokens = form_tokens(client)
    clock_ahead(app, 30)
    refused = client.post("/buku-tamu", data={**ENTRY, **tokens, "sex": ""})
    assert refused.status_code == 400
    assert f'value="{tokens["started"]}"' in refused.get_data(as_text=True)
    clock_ahead(app, 31)  # one tap on the missing answer, and send
    kept = form_tokens_of(refused.get_data(as_text=True))
    assert client.post("/buku-tamu", data={**ENTRY, **kept}).status_code == 303


def test_a_form_sent_within_seconds_is_refused_and_can_be_sent_again(app: Flask, client: FlaskClient) -> None:
    response = sign(app, client, after=1)
    assert response.status_code == 400 and "terlalu cepat" in page_text(response)
    again = form_tokens(client)  # the refused page carries a fresh opening time
    clock_ahead(app, 60)
    assert client.post("/buku-tamu", data={**ENTRY, **again}).status_code == 303


def test_a_filled_in_honeypot_is_refused(app: Flask, client: FlaskClient) -> None:
    response = sign(app, client, website="http://cheap.example")
    assert response.status_code == 400 and "Isian Anda tidak dapat diterima" in page_text(response)
    assert count(app, Visit) == 0


def test_a_form_without_its_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    clock_ahead(app, 0)
    tokens = form_tokens(client)
    clock_ahead(app, 30)
    response = client.post("/buku-tamu", data={**ENTRY, "started": tokens["started"]})
    assert response.status_code == 400 and count(app, Visit) == 0


def test_the_guest_book_stops_taking_entries_from_one_address_after_twenty(
    app: Flask, client: FlaskClient
) -> None:
    for _ in range(20):
        assert sign(app, client, services=["consultation"]).status_code == 303
    response = sign(app, client, services=["consultation"])
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert count(app, Visit) == 20


def test_a_kiosk_visitor_registers_with_the_address_they_declared(app: Flask, client: FlaskClient) -> None:
    sign(app, client, email="siti@example.id")
    assert count(app, User) == 0  # a declared address makes no account: a proof does
    app.extensions["pustaka"].jobs.immediate = True  # the verification email's job runs as it is queued
    assert register(client).status_code == 303
    [mail] = [m for m in outbox(app) if m["To"] == "siti@example.id"]
    assert "Verifikasi alamat email" in mail["Subject"]


HOSTILE = [
    {"name": "\x00" * 50, "purpose": "\x00"},
    {"name": "A" * 100_000},
    {"purpose": "🙂" * 50_000},
    {"sex": "<script>alert(1)</script>", "occupation": "' OR 1=1 --"},
    {"services": ["library"] * 500},
    {"services": ["x" * 10_000]},
    {"email": "ä" * 300 + "@example.id"},
    {"phone": "+" * 40},
    {"started": "A" * 5000},
    {"started": ""},
    {"website": "x" * 10_000},
]


@pytest.mark.parametrize("changes", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_answers_get_a_page_never_a_server_error(app: Flask, client: FlaskClient, changes) -> None:
    response = sign(app, client, **changes)
    assert response.status_code in (303, 400, 413)
    if response.status_code == 400:
        assert "Ada masalah" in page_text(response)


def test_an_entry_as_a_list_of_fields_it_does_not_know_is_refused_calmly(
    app: Flask, client: FlaskClient
) -> None:
    clock_ahead(app, 0)
    tokens = form_tokens(client)
    response = client.post("/buku-tamu", data={**tokens, "name[]": "x", "services[0]": "library"})
    assert response.status_code == 400


def test_the_email_hint_says_a_typed_address_joins_no_account_until_proven(client: FlaskClient) -> None:
    text = page_text(client.get("/buku-tamu"))
    assert "Mengetik alamat tidak menghubungkan kunjungan ini dengan akun" in text
    assert "kartu identitas di front office" in text and "dicatat pada akun Anda" not in text


def test_the_same_name_again_within_minutes_is_asked_to_confirm_before_a_second_ticket(
    app: Flask, client: FlaskClient
) -> None:
    assert sign(app, client, same_name="").status_code == 303
    clock_ahead(app, 0)
    tokens = form_tokens(client)
    clock_ahead(app, 30)
    asked = client.post("/buku-tamu", data={**ENTRY, **tokens, "same_name": ""})
    text, page = page_text(asked), asked.get_data(as_text=True)
    assert asked.status_code == 400 and count(app, Visit) == 1
    assert "Siti Aminah sudah mengisi buku tamu ini dalam 10 menit terakhir" in text
    assert 'type="checkbox"' in page and 'name="same_name"' in page
    assert "Saya pengunjung lain dengan nama yang sama" in text
    kept = form_tokens_of(page)
    assert client.post("/buku-tamu", data={**ENTRY, **kept, "same_name": "y"}).status_code == 303
    assert count(app, Visit) == 2
