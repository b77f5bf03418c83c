"""The supervisor's view on the web: who may see it, a counter closed with a reason, officers over time."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient

from library.models import Role, TicketStatus
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in
from tests.functional.queue.test_queue import LIBRARY, choose_counter, clock, staff
from tests.integration.library.queue_helpers import DAY, arrive, at

PAGE = "/laporan/loket/"
__all__ = ["clock"]  # the fake clock's fixture, used here by name


@pytest.mark.parametrize("role", [Role.FRONT_OFFICE, Role.LIBRARIAN, Role.READER])
def test_only_the_office_head_and_administrators_see_the_counters(
    app: Flask, client: FlaskClient, role: Role
) -> None:
    staff(app, client, role)
    assert client.get(PAGE).status_code == 403


def test_a_counter_closed_by_the_head_is_shown_closed_and_its_officer_reads_why(
    app: Flask, client: FlaskClient, clock: list[float]
) -> None:
    staff(app, client, Role.FRONT_OFFICE)
    choose_counter(client, "Loket 3")
    head = app.test_client()
    sign_in(head, make_person(app, "kepala@bps.go.id", [Role.OFFICE_HEAD], name="Bu Kepala"))
    page = head.get(PAGE).get_data(as_text=True)
    assert "Loket 3" in page and "Buka sejak" in page
    shift = page.split('action="/laporan/loket/')[1].split("/")[0]
    refused = head.post(f"{PAGE}{shift}/tutup", data={"csrf_token": csrf_token(head, PAGE), "reason": " "})
    assert refused.status_code == 400 and "Tulis alasan Anda menutup loket ini" in page_text(refused)
    clock[0] = 95.0  # 09:35 WIB
    closed = head.post(
        f"{PAGE}{shift}/tutup", data={"csrf_token": csrf_token(head, PAGE), "reason": "Lupa ditutup"}
    )
    assert closed.status_code == 303
    assert "Ditutup pukul 09:35 oleh Bu Kepala: Lupa ditutup" in page_text(head.get(PAGE))
    console = page_text(client.get(LIBRARY))
    assert "Loket 3 ditutup pukul 09:35 oleh Bu Kepala: Lupa ditutup" in console
    again = head.post(f"{PAGE}{shift}/tutup", data={"csrf_token": csrf_token(head, PAGE), "reason": "Lagi"})
    assert again.status_code == 303
    assert "Loket ini tidak sedang buka." in page_text(head.get(PAGE))


def test_the_live_page_links_to_the_counters(app: Flask, client: FlaskClient) -> None:
    staff(app, client, Role.OFFICE_HEAD)
    assert PAGE in client.get("/laporan/sekarang/").get_data(as_text=True)


def test_each_officers_services_over_a_period_are_counted_and_their_medians_shown(app: Flask) -> None:
    ani = make_person(app, "ani@bps.go.id", [Role.LIBRARIAN], name="Ani Petugas")
    budi = make_person(app, "budi@bps.go.id", [Role.FRONT_OFFICE], name="Budi Petugas")
    with app.extensions["pustaka"].uow() as uow:
        served = [  # (officer, day, issued minute, waited, served for, priority)
            (ani, DAY, 0, 2, 4, ""),
            (ani, DAY, 10, 4, 6, "elderly"),
            (ani, DAY + dt.timedelta(days=1), 0, 1, 10, ""),
            (budi, DAY, 20, 3, 3, ""),
            (budi, DAY + dt.timedelta(days=40), 0, 1, 1, ""),  # another month: not in November
        ]
        for number, (officer, day, minute, waited, length, priority) in enumerate(served):
            (ticket,) = arrive(uow, f"Tamu {number}", minute, day=day)
            ticket.served_by_id, ticket.priority = officer.id, priority
            ticket.called_at = ticket.served_at = at(minute + waited, day)
            ticket.finished_at = at(minute + waited + length, day)
            ticket.status = TicketStatus.DONE.value
        uow.commit()
    head = app.test_client()
    sign_in(head, make_person(app, "kepala@bps.go.id", [Role.OFFICE_HEAD], name="Bu Kepala"))
    page = page_text(head.get(f"{PAGE}petugas?periode=bulan&tanggal=2026-11-23"))
    assert "1 Nov 2026 sampai 30 Nov 2026" in page
    assert "Ani Petugas 3 1 2 6,0 menit 10,0 menit 2,0 menit" in page  # busiest first
    assert "Budi Petugas 1 0 1 3,0 menit 3,0 menit 3,0 menit" in page
    assert "Semua petugas 4" in page
    wrong = head.get(f"{PAGE}petugas?periode=rentang&dari=2026-12-01&sampai=2026-11-01")
    assert wrong.status_code == 400 and "Periode berakhir sebelum dimulai." in page_text(wrong)
    long = head.get(f"{PAGE}petugas?periode=rentang&dari=2024-01-01&sampai=2026-11-01")
    assert long.status_code == 400 and "paling lama satu tahun" in page_text(long)
