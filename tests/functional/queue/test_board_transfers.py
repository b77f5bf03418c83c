"""The waiting-room board follows a visitor transferred from one queue to another."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from library.models import Role
from tests.functional.queue.test_queue import (
    CONSULTATION,
    LIBRARY,
    choose_counter,
    post,
    staff,
    visitors,
)
from tests.integration.library.queue_helpers import at


@pytest.fixture
def clock(app: Flask) -> list[float]:
    """Run the app on a fake clock at 08:00 + the minutes in the list's one item."""
    minutes = [10.0]
    app.extensions["pustaka"].now = lambda: at(minutes[0])
    return minutes


def transfer_after_a_call(app: Flask, client: FlaskClient) -> int:
    """Call Ani's library ticket to Loket 1, then send her to the consultation queue."""
    (ani,) = visitors(app, ("Ani", ["library"]), minutes=9)
    staff(app, client, Role.FRONT_OFFICE)
    choose_counter(client, "Loket 1")
    post(client, f"{LIBRARY}/panggil")
    assert post(client, f"{LIBRARY}/tiket/{ani}/alihkan", to_service="consultation").status_code == 303
    return ani


def services(data: dict) -> dict[str, dict]:
    """Return the board's services by code."""
    return {service["code"]: service for service in data["services"]}


def test_a_transferred_ticket_no_longer_calls_its_visitor_to_the_old_counter(
    app: Flask, client: FlaskClient, clock: list[float]
) -> None:
    transfer_after_a_call(app, client)
    data = client.get("/antrean/data.json").get_json()
    assert data["latest"] is None
    assert services(data)["library"]["calls"] == []
    html = client.get("/antrean").get_data(as_text=True)
    assert "P-001" not in html and "Loket 1" not in html


def test_the_board_counts_the_transferred_visitor_as_waiting_in_the_new_queue(
    app: Flask, client: FlaskClient, clock: list[float]
) -> None:
    transfer_after_a_call(app, client)
    board = services(client.get("/antrean/data.json").get_json())
    assert (board["library"]["waiting"], board["consultation"]["waiting"]) == (0, 1)


def test_the_board_shows_the_new_ticket_at_its_new_counter_once_called(
    app: Flask, client: FlaskClient, clock: list[float]
) -> None:
    transfer_after_a_call(app, client)
    choose_counter(client, "Meja Konsultasi", CONSULTATION)
    post(client, f"{CONSULTATION}/panggil", CONSULTATION)
    data = client.get("/antrean/data.json").get_json()
    latest = {key: data["latest"][key] for key in ("code", "counter", "calls", "status")}
    assert latest == {"code": "K-001", "counter": "Meja Konsultasi", "calls": 1, "status": "called"}
    assert [call["code"] for call in services(data)["consultation"]["calls"]] == ["K-001"]
    html = client.get("/antrean").get_data(as_text=True)
    assert re.search(r'id="now-code">K-001<', html) and "P-001" not in html


def test_an_earlier_call_comes_back_as_the_latest_once_a_later_one_is_transferred(
    app: Flask, client: FlaskClient, clock: list[float]
) -> None:
    budi, ani = visitors(app, ("Budi", ["library"]), ("Ani", ["library"]), minutes=9)
    staff(app, client, Role.FRONT_OFFICE)
    choose_counter(client, "Loket 2")
    post(client, f"{LIBRARY}/panggil")
    clock[0] += 1
    post(client, f"{LIBRARY}/panggil")
    post(client, f"{LIBRARY}/tiket/{ani}/alihkan", to_service="consultation")
    data = client.get("/antrean/data.json").get_json()
    assert data["latest"]["code"] == "P-001" and data["latest"]["counter"] == "Loket 2"
    assert [call["code"] for call in services(data)["library"]["calls"]] == ["P-001"]
