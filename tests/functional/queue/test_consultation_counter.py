"""The consultation console: the consultant records each walk-in consultation and finishes it."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Role, WalkInConsultation
from tests.functional.accounts.helpers import page_text
from tests.functional.queue.test_queue import CONSULTATION, flashes, post, staff, ticket, visitors
from tests.integration.library.queue_helpers import at


@pytest.fixture
def clock(app: Flask) -> list[float]:
    """Run the app on a fake clock at 08:00 + the minutes in the list's one item."""
    minutes = [10.0]
    app.extensions["pustaka"].now = lambda: at(minutes[0])
    return minutes


def serve_first(app: Flask, client: FlaskClient) -> tuple[int, int]:
    """Two consultation visitors; the consultant calls and serves the first. Return both tickets' ids."""
    first, second = visitors(app, ("Ani", ["consultation"]), ("Budi", ["consultation"]), minutes=1)
    staff(app, client, Role.CONSULTANT)
    post(client, f"{CONSULTATION}/loket", CONSULTATION, counter="Meja Konsultasi 1")
    post(client, f"{CONSULTATION}/panggil", CONSULTATION)
    post(client, f"{CONSULTATION}/tiket/{first}/mulai", CONSULTATION)
    return first, second


def records(app: Flask) -> list[WalkInConsultation]:
    with app.extensions["pustaka"].uow() as uow:
        found = list(uow.session.scalars(select(WalkInConsultation)))
        for row in found:
            uow.session.expunge(row)
        return found


def test_a_consultation_being_served_shows_the_record_form(app: Flask, client: FlaskClient, clock) -> None:
    serve_first(app, client)
    text = page_text(client.get(CONSULTATION))
    assert "Catatan konsultasi" in text and "Topik" in text and "Rujukan" in text
    html = client.get(CONSULTATION).get_data(as_text=True)
    assert re.search(r'list="(topic-suggestions-\d+)"', html) and '<option value="Kependudukan">' in html


def test_the_consultant_records_and_finishes_and_the_next_clock_starts(
    app: Flask, client: FlaskClient, clock
) -> None:
    first, second = serve_first(app, client)
    clock[0] = 25
    response = post(
        client,
        f"{CONSULTATION}/tiket/{first}/catatan",
        CONSULTATION,
        topic="Kemiskinan kabupaten",
        given="Tabel P0 2021-2025",
        referral="library",
        action="finish",
    )
    assert response.status_code == 303
    assert "Layanan K-001 selesai." in flashes(client, CONSULTATION)
    assert ticket(app, first).status == "done" and ticket(app, first).finished_at == at(25)
    (row,) = records(app)
    assert (row.ticket_id, row.topic, row.given, row.referral) == (
        first,
        "Kemiskinan kabupaten",
        "Tabel P0 2021-2025",
        "library",
    )
    clock[0] = 31
    text = page_text(client.get(CONSULTATION))
    assert "6 dari 10 menit" in text  # Budi's clock started when Ani's consultation finished
    assert "Selesai hari ini" in text and "Kemiskinan kabupaten" in text
    assert ticket(app, second).status == "waiting"


def test_saving_the_record_keeps_the_service_going(app: Flask, client: FlaskClient, clock) -> None:
    first, _ = serve_first(app, client)
    path = f"{CONSULTATION}/tiket/{first}/catatan"
    post(client, path, CONSULTATION, topic="PDRB", given="", referral="none", action="save")
    assert "Konsultasi K-001 dicatat." in flashes(client, CONSULTATION)
    assert ticket(app, first).status == "serving"
    assert 'value="PDRB"' in client.get(CONSULTATION).get_data(as_text=True)
    assert post(client, f"{CONSULTATION}/tiket/{first}/selesai", CONSULTATION).status_code == 303
    assert ticket(app, first).status == "done"


def test_finishing_without_a_topic_says_so_in_indonesian(app: Flask, client: FlaskClient, clock) -> None:
    first, _ = serve_first(app, client)
    path = f"{CONSULTATION}/tiket/{first}/catatan"
    response = post(client, path, CONSULTATION, topic="  ", given="Tabel", action="finish")
    assert response.status_code == 400
    text = page_text(response)
    assert "Tulis topik konsultasi" in text and "Tabel" in text
    assert ticket(app, first).status == "serving" and records(app) == []
    assert post(client, f"{CONSULTATION}/tiket/{first}/selesai", CONSULTATION).status_code == 303
    assert "Tulis topik konsultasi" in flashes(client, CONSULTATION)
    assert ticket(app, first).status == "serving"


@pytest.mark.parametrize(
    "data",
    [
        {"topic": "x" * 5000, "referral": "none"},
        {"topic": "Inflasi", "referral": "kasir"},
        {"topic": "Inflasi", "given": "y" * 9000},
    ],
)
def test_a_bad_record_is_a_message_not_an_error(app: Flask, client: FlaskClient, clock, data) -> None:
    first, _ = serve_first(app, client)
    response = post(client, f"{CONSULTATION}/tiket/{first}/catatan", CONSULTATION, action="finish", **data)
    assert response.status_code == 400 and "field-error" in response.get_data(as_text=True)
    assert ticket(app, first).status == "serving" and records(app) == []


def test_the_tickets_history_shows_the_record(app: Flask, client: FlaskClient, clock) -> None:
    first, _ = serve_first(app, client)
    post(
        client,
        f"{CONSULTATION}/tiket/{first}/catatan",
        CONSULTATION,
        topic="IPM Kota Metro",
        given="Publikasi IPM 2024",
        referral="softcopy",
        action="finish",
    )
    response = client.get(f"{CONSULTATION}/tiket/{first}")
    assert response.status_code == 200
    text = page_text(response)
    for words in ("Tiket K-001", "IPM Kota Metro", "Publikasi IPM 2024", "Ke permintaan softcopy"):
        assert words in text
    assert "Konsultasi dicatat" in text and "Layanan selesai" in text


def test_a_library_ticket_has_no_history_at_the_consultation_console(
    app: Flask, client: FlaskClient, clock
) -> None:
    (ani,) = visitors(app, ("Ani", ["library"]))
    staff(app, client, Role.FRONT_OFFICE)
    assert client.get(f"{CONSULTATION}/tiket/{ani}").status_code == 404
    assert client.get(f"{CONSULTATION}/tiket/999999").status_code == 404
    assert post(client, f"/loket/perpustakaan/tiket/{ani}/catatan", topic="x").status_code == 404
