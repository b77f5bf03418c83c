"""The service right now (/laporan/sekarang): the office head sees today's waits as they happen."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from library.models import Role
from tests.functional.accounts.helpers import make_person, page_text, sign_in
from tests.functional.terminal_helpers import walk_in
from tests.integration.library.queue_helpers import at


def test_the_office_head_sees_a_visitor_past_the_target_and_the_lanes(app: Flask) -> None:
    rt = app.extensions["pustaka"]
    start = at(60)  # 09:00 on a Monday: the minutes that follow stay on the same office day
    rt.now = lambda: start
    walk_in(app, "Ani", at=start)
    code = walk_in(app, "Budi", at=start + dt.timedelta(minutes=5))
    rt.now = lambda: start + dt.timedelta(minutes=8)
    client = app.test_client()
    sign_in(client, make_person(app, "kepala@bps.go.id", [Role.OFFICE_HEAD]))
    response = client.get("/laporan/sekarang/")
    assert response.status_code == 200
    text = page_text(response)
    assert "Perlu ditangani sekarang: 1 pengunjung menunggu melewati target layanan" in text
    assert "Perpustakaan 5 menit 2" in text  # two waiting in the library's queue
    assert code not in text.split("Melewati target saat ini")[0]  # 3 minutes: not past its target yet
    assert "Tidak ada pekerja yang berjalan" in text  # no worker runs in this test
    assert 'data-seconds="30"' in response.get_data(as_text=True)  # operations.js reloads it, pausable


def test_a_reader_may_not_see_it(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, make_person(app, "pembaca@example.com", [Role.READER]))
    assert client.get("/laporan/sekarang/").status_code == 403


def test_the_office_head_sees_only_their_office_in_plain_words(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, make_person(app, "kepala@bps.go.id", [Role.OFFICE_HEAD]))
    response = client.get("/laporan/sekarang/")
    text, page = page_text(response), response.get_data(as_text=True)
    assert "Tulang Bawang" not in text and "Kota Metro" not in text.split("Pengunjung langsung hari ini")[1]
    for jargon in ("/metrics", "/readyz", "<code>", "Jalur", "health"):
        assert jargon not in page, jargon
    assert "Sebagian sistem tidak berjalan" in text  # no worker runs in this test: said plainly
    assert "Beri tahu administrator" in text


def test_an_administrator_sees_every_office_and_the_lanes_by_name(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, make_person(app, "admin@bps.go.id", [Role.ADMIN]))
    response = client.get("/laporan/sekarang/")
    text, page = page_text(response), response.get_data(as_text=True)
    assert "Konsultasi Statistik · BPS Kabupaten Tulang Bawang" in text
    assert "/metrics" in text and "<code>workers</code>" in page
