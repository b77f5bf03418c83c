"""The close of day: every visit, ticket, reading session and counter left open, listed and closed.

Row 26 of docs/visit-states.md: closing the day ends each open visit as "Pulang" would, with the
reason given kept on the visit; an ID card still held stays held (the office still has it).
"""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.frontoffice.queue.at_work import find_service
from library.frontoffice.queue.counters import open_counter, open_counters
from library.models import LockerLoan, Ticket, TicketStatus, Visit
from tests.functional.accounts.helpers import csrf_token, page_text
from tests.functional.lockers.conftest import DAY, NOW, add_visit, locker_ids
from tests.functional.lockers.test_console import give

PAGE = "/loket/tutup-hari"


def close(client: FlaskClient, reason: str):  # type: ignore[no-untyped-def]
    return client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), "reason": reason})


def test_the_close_of_day_lists_what_is_open_and_closes_it_with_the_reason(
    app: Flask, front: FlaskClient
) -> None:
    rt = app.extensions["pustaka"]
    yesterday = add_visit(app, "Rudi", day=DAY - dt.timedelta(days=1), arrived=NOW - dt.timedelta(days=1))
    waiting = add_visit(app, "Ani", services=("library", "consultation"))
    served = add_visit(app, "Budi")
    give(front, visit=str(served), locker=str(locker_ids(app)["A-01"]), card_last4="1111")
    with rt.transaction() as uow:
        ticket = uow.session.scalar(select(Ticket).where(Ticket.visit_id == served))
        ticket.status, ticket.served_at, ticket.counter = TicketStatus.SERVING.value, NOW, "Loket 1"
        open_counter(uow, find_service(uow, "1872", "library"), "Loket 1", None, NOW)

    page = page_text(front.get(PAGE))
    assert "3 kunjungan masih terbuka. 4 tiket akan ditutup. 1 loket masih buka." in page
    assert "Rudi" in page and "dari hari sebelumnya" in page and "A-01" in page
    assert "Perpustakaan: Loket 1" in page and "1 kartu identitas masih dipegang" in page

    refused = close(front, "  ")
    assert refused.status_code == 400 and "Tuliskan alasan penutupan" in page_text(refused)
    assert close(front, "Kantor tutup pukul 16.00").status_code == 303
    said = page_text(front.get(PAGE))
    assert "3 kunjungan ditutup. 3 tiket ditutup sebagai tidak dilayani. 1 layanan diselesaikan." in said
    assert "1 loket ditutup." in said and "Tidak ada yang masih terbuka" in said

    with rt.uow() as uow:
        visits = uow.session.scalars(select(Visit).where(Visit.id.in_((yesterday, waiting, served)))).all()
        assert {(v.left_at, v.left_reason) for v in visits} == {(NOW, "Kantor tutup pukul 16.00")}
        statuses = sorted(uow.session.scalars(select(Ticket.status)).all())
        assert statuses == ["done", "no_show", "no_show", "no_show"]
        assert uow.session.scalar(select(LockerLoan.returned_at)) is None  # the card is still here
        assert open_counters(uow, find_service(uow, "1872", "library"), NOW) == []
    assert close(front, "Kantor tutup lagi").status_code == 303
    assert "Tidak ada yang terbuka: hari sudah ditutup." in page_text(front.get(PAGE))


def test_the_close_of_day_is_for_the_front_office(client: FlaskClient, reader: FlaskClient) -> None:
    assert client.get(PAGE).status_code == 302
    assert reader.get(PAGE).status_code == 403
