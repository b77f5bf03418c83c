"""Priority service and the spoken call in the web: kiosk → console order, staff marks, board, ticket."""

from __future__ import annotations

import dataclasses

import pymupdf
from flask import Flask
from flask.testing import FlaskClient

from library.models import Role
from tests.functional.accounts.helpers import page_text
from tests.functional.kiosk.kiosk_helpers import sign, token_of
from tests.functional.queue.test_queue import LIBRARY, choose_counter, flashes, post, staff

ONLY_LIBRARY = {"services": ["library"]}


def setting(app: Flask, **changes: object) -> None:
    """Run the app with some settings changed."""
    rt = app.extensions["pustaka"]
    rt.settings = dataclasses.replace(rt.settings, **changes)


def kiosk(app: Flask, name: str, **changes: object) -> str:
    """Sign the guest book at the kiosk for the library; return the visit's status token."""
    response = sign(app, app.test_client(), name=name, **ONLY_LIBRARY, **changes)
    assert response.status_code == 303, response.get_data(as_text=True)
    return token_of(response)


def call(client: FlaskClient) -> str:
    """Press "Call next"; return the flash message."""
    post(client, f"{LIBRARY}/panggil")
    return flashes(client)


def test_a_priority_visitor_from_the_kiosk_is_called_before_earlier_regular_ones(
    app: Flask, client: FlaskClient
) -> None:
    kiosk(app, "Ani")
    kiosk(app, "Budi")
    kiosk(app, "Pak Harun", priority="elderly")
    staff(app, client, Role.FRONT_OFFICE)
    choose_counter(client)
    assert "P-003" in call(client)
    board = client.get("/antrean/data.json").get_json()
    latest = {key: board["latest"][key] for key in ("code", "counter", "calls", "status", "priority")}
    assert latest == {"code": "P-003", "counter": "Loket 1", "calls": 1, "status": "called", "priority": True}
    assert "elderly" not in str(board) and "Lansia" not in str(board)  # the board never names the group
    html = client.get(LIBRARY).get_data(as_text=True)
    ticket_id = html.split('status-called mine" aria-labelledby="ticket-')[1].split('"')[0]
    post(client, f"{LIBRARY}/tiket/{ticket_id}/panggil-ulang")
    again = client.get("/antrean/data.json").get_json()
    assert again["sequence"] == board["sequence"] + 1 and again["latest"]["clips"] == board["latest"]["clips"]


def test_the_kiosk_offers_the_groups_and_refuses_one_the_office_does_not_list(
    app: Flask, client: FlaskClient
) -> None:
    page = client.get("/buku-tamu").get_data(as_text=True)
    assert 'data-elderly-band="over_65"' in page
    assert all(
        f'name="priority" value="{code}"' in page for code in ("", "elderly", "disability", "pregnant")
    )
    assert "Lansia (60 tahun ke atas)" in page and "Membawa balita" in page
    response = sign(app, client, name="Ani", priority="veteran", **ONLY_LIBRARY)
    assert response.status_code == 400
    assert "Pilih kelompok prioritas dari daftar." in page_text(response)


def test_an_office_without_priority_groups_asks_nothing_and_refuses_a_declaration(
    app: Flask, client: FlaskClient
) -> None:
    setting(app, priority_groups="")
    assert 'name="priority"' not in client.get("/buku-tamu").get_data(as_text=True)
    assert sign(app, client, name="Ani", priority="elderly", **ONLY_LIBRARY).status_code == 400


def test_staff_mark_a_waiting_visitor_as_priority_at_the_console_and_see_the_group(
    app: Flask, client: FlaskClient
) -> None:
    kiosk(app, "Ani")
    kiosk(app, "Ibu Sari")
    staff(app, client, Role.FRONT_OFFICE)
    choose_counter(client)
    console = client.get(LIBRARY).get_data(as_text=True)
    ticket_id = console.split('action="/loket/perpustakaan/tiket/')[1].split("/")[0]
    post(client, f"{LIBRARY}/tiket/{int(ticket_id) + 1}/prioritas", priority="pregnant")
    assert "P-002 ditandai sebagai prioritas." in flashes(client)
    assert "Ibu hamil" in client.get(LIBRARY).get_data(as_text=True)
    assert "P-002" in call(client)
    post(client, f"{LIBRARY}/tiket/{ticket_id}/prioritas", priority="veteran")
    assert "Pilih kelompok prioritas dari daftar." in flashes(client)


def test_the_printed_ticket_and_the_status_page_say_priority_without_the_group(
    app: Flask, client: FlaskClient
) -> None:
    token = kiosk(app, "Pak Harun", priority="disability", age_band="over_65")
    status = client.get(f"/kunjungan/{token}").get_data(as_text=True)
    assert "Prioritas" in status and "disabilitas" not in status
    with pymupdf.open(stream=client.get(f"/kunjungan/{token}/tiket.pdf").get_data(), filetype="pdf") as pdf:
        text = pdf[0].get_text()
    assert "PRIORITAS / Priority" in text and "disab" not in text
