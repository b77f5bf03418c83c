"""A transferred visitor's new ticket names where it came from, to staff and to the visitor."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Role, Ticket
from tests.functional.accounts.helpers import page_text
from tests.functional.queue.test_queue import CONSULTATION, LIBRARY, choose_counter, post, staff, visitors
from tests.integration.library.queue_helpers import at


def test_the_new_ticket_names_the_ticket_and_the_counter_that_sent_it(
    app: Flask, client: FlaskClient
) -> None:
    app.extensions["pustaka"].now = lambda: at(10)
    (ani,) = visitors(app, ("Ani", ["library"]), minutes=9)
    staff(app, client, Role.FRONT_OFFICE)
    choose_counter(client, "Loket 2")
    # Never called: the counter that sends her is the one this staff member works at.
    assert post(client, f"{LIBRARY}/tiket/{ani}/alihkan", to_service="consultation").status_code == 303
    with app.extensions["pustaka"].uow() as uow:
        moved = uow.session.scalars(select(Ticket).where(Ticket.code == "K-001")).one()
        moved_id, token = moved.id, moved.visit.status_token

    history = page_text(client.get(f"{CONSULTATION}/tiket/{moved_id}"))
    assert "Dialihkan dari tiket P-001 (Perpustakaan) oleh Loket 2" in history
    assert "Tiket diambil di buku tamu" not in history
    old = page_text(client.get(f"{LIBRARY}/tiket/{ani}"))
    assert "Tiket diambil di buku tamu" in old and "Dialihkan ke antrean lain · K-001" in old

    status = page_text(client.get(f"/kunjungan/{token}"))
    assert "Dialihkan dari tiket P-001 (Perpustakaan) oleh Loket 2" in status
