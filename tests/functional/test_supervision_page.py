"""The supervisor's view in the web: who may see it, a counter closed with a reason, the officer told."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from library.models import Role
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in
from tests.functional.test_queue import LIBRARY, choose_counter, clock, staff

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
