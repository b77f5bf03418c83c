"""The counters as staff open and close them, and the late starts they explain, at the console."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Role, Ticket
from tests.functional.accounts.helpers import page_text
from tests.functional.queue.test_queue import LIBRARY, choose_counter, clock, flashes, post, staff, visitors
from tests.functional.terminal_helpers import register_terminal, start, walk_in

__all__ = ["clock"]  # the console tests' fake clock, as a fixture here too


def test_a_counter_opens_and_closes_and_cannot_close_on_a_visitor(
    app: Flask, client: FlaskClient, clock
) -> None:
    (ani,) = visitors(app, ("Ani", ["library"]), minutes=9)
    staff(app, client, Role.FRONT_OFFICE)
    choose_counter(client, "Loket 2")
    page = page_text(client.get(LIBRARY))
    assert "Loket 2 buka: Anda memanggil pengunjung ke loket ini." in page and "Loket buka: Loket 2" in page
    post(client, f"{LIBRARY}/panggil")
    assert post(client, f"{LIBRARY}/tutup-loket").status_code == 303
    assert "Loket 2 masih memanggil atau melayani P-001" in flashes(client)
    post(client, f"{LIBRARY}/tiket/{ani}/mulai")
    post(client, f"{LIBRARY}/tiket/{ani}/selesai")
    assert post(client, f"{LIBRARY}/tutup-loket").status_code == 303
    page = page_text(client.get(LIBRARY))
    assert "Loket 2 ditutup." in page and "Loket buka: tidak ada" in page
    assert "Di loket mana Anda bertugas?" in page and "Panggil berikutnya" not in page


def test_a_late_start_at_a_terminal_gets_its_real_reason_from_the_console(
    app: Flask, client: FlaskClient, clock
) -> None:
    rt = app.extensions["pustaka"]
    terminal = register_terminal(app)
    clock[0] = 30  # 08:30 on the fake clock's Monday: twelve minutes back is the same office day
    code = walk_in(app, "Ani", at=rt.now() - dt.timedelta(minutes=12))
    start(terminal, code)  # 12 minutes after the guest book: past the library's 5
    staff(app, client, Role.LIBRARIAN)
    page = page_text(client.get(LIBRARY))
    assert "Keterlambatan yang perlu dijelaskan (1)" in page and "tercatat: sesi terminal" in page
    with rt.uow() as uow:
        ani = uow.session.scalar(select(Ticket.id).where(Ticket.code == code))
    empty = post(client, f"{LIBRARY}/tiket/{ani}/alasan", breach_reason="  ")
    assert empty.status_code == 400 and "Tuliskan alasan keterlambatan" in page_text(empty)
    said = post(client, f"{LIBRARY}/tiket/{ani}/alasan", breach_reason="Petugas loket sedang rapat")
    assert said.status_code == 303
    page = page_text(client.get(LIBRARY))
    assert f"Alasan keterlambatan {code} dicatat." in page and "perlu dijelaskan" not in page
    with rt.uow() as uow:
        assert uow.session.get(Ticket, ani).breach_reason == "Petugas loket sedang rapat"
    on_time = walk_in(app, "Budi")
    start(register_terminal(app, "Terminal 2", "admin2@bps.go.id"), on_time)
    with rt.uow() as uow:
        budi = uow.session.scalar(select(Ticket.id).where(Ticket.code == on_time))
    refused = post(client, f"{LIBRARY}/tiket/{budi}/alasan", breach_reason="tidak perlu")
    assert refused.status_code == 303 and "tidak dimulai melewati targetnya" in flashes(client)
