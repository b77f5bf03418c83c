"""The queue in the web: the public board, the staff consoles, their refusals and odd input."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Role, Ticket
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in
from tests.integration.library.queue_helpers import arrive, at

LIBRARY = "/loket/perpustakaan"
CONSULTATION = "/loket/konsultasi"


@pytest.fixture
def clock(app: Flask) -> list[float]:
    """Run the app on a fake clock at 08:00 + the minutes in the list's one item."""
    minutes = [10.0]
    app.extensions["pustaka"].now = lambda: at(minutes[0])
    return minutes


def visitors(app: Flask, *names_and_services: tuple[str, list[str]], minutes: float = 0) -> list[int]:
    """Record visitors in the guest book; return their tickets' ids in order."""
    ids = []
    with app.extensions["pustaka"].uow() as uow:
        for name, services in names_and_services:
            ids.extend(t.id for t in arrive(uow, name, minutes, services))
        uow.commit()
    return ids


def ticket(app: Flask, ticket_id: int) -> Ticket:
    """Read a ticket as stored now."""
    with app.extensions["pustaka"].uow() as uow:
        found = uow.session.scalar(select(Ticket).where(Ticket.id == ticket_id))
        assert found is not None
        uow.session.expunge(found)  # kept as read, once the unit of work has closed
        return found


def staff(app: Flask, client: FlaskClient, role: Role, email: str = "staf@bps.go.id") -> None:
    """Sign in a member of staff with the role."""
    sign_in(client, make_person(app, email, [role]))


def post(client: FlaskClient, path: str, console: str = LIBRARY, **data: str):
    """Press a console button: post its form with the console's CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token(client, console), **data})


def choose_counter(client: FlaskClient, name: str = "Loket 1", console: str = LIBRARY):
    """Name the counter this staff member works at."""
    return post(client, f"{console}/loket", console, counter=name)


def flashes(client: FlaskClient, console: str = LIBRARY) -> str:
    """Open the console and return the text of its flash messages."""
    html = client.get(console).get_data(as_text=True)
    return " ".join(
        re.sub(r"<[^>]+>", " ", " ".join(re.findall(r'<p class="flash[^"]*">(.*?)</p>', html))).split()
    )


# -- who may open a console ---------------------------------------------------------------------


def test_a_signed_out_visitor_is_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get(LIBRARY)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


@pytest.mark.parametrize(
    ("role", "path"),
    [(Role.READER, LIBRARY), (Role.LIBRARIAN, CONSULTATION), (Role.CONSULTANT, LIBRARY)],
)
def test_staff_of_another_service_are_refused_in_indonesian(
    app: Flask, client: FlaskClient, role: Role, path: str
) -> None:
    staff(app, client, role)
    response = client.get(path)
    assert response.status_code == 403
    assert "Tidak diizinkan" in page_text(response)
    assert client.get(f"{path}/daftar").status_code == 403
    assert post(client, f"{path}/panggil", "/").status_code == 403


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.FRONT_OFFICE, LIBRARY),
        (Role.FRONT_OFFICE, CONSULTATION),
        (Role.LIBRARIAN, LIBRARY),
        (Role.CONSULTANT, CONSULTATION),
        (Role.ADMIN, CONSULTATION),
    ],
)
def test_the_services_own_staff_and_the_front_office_open_its_console(
    app: Flask, client: FlaskClient, role: Role, path: str
) -> None:
    staff(app, client, role)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.LIBRARIAN, ["Perpustakaan"], ["Konsultasi Statistik"]),
        (Role.CONSULTANT, ["Konsultasi Statistik"], ["Perpustakaan"]),
        (Role.FRONT_OFFICE, ["Perpustakaan", "Konsultasi Statistik"], []),
    ],
)
def test_the_counters_page_lists_the_consoles_a_person_may_open(
    app: Flask, client: FlaskClient, role: Role, shown: list[str], hidden: list[str]
) -> None:
    staff(app, client, role)
    page = client.get("/loket/")
    text = page_text(page)
    assert all(name in text for name in shown) and not any(name in text for name in hidden)
    assert "Papan antrean ruang tunggu" in text
    assert 'href="/loket/"' in client.get("/").get_data(as_text=True)  # in the menu


def test_the_counters_page_is_for_staff(app: Flask, client: FlaskClient) -> None:
    assert "/masuk" in client.get("/loket/").headers["Location"]
    staff(app, client, Role.READER)
    assert client.get("/loket/").status_code == 403
    assert 'href="/loket/"' not in client.get("/").get_data(as_text=True)


def test_an_unknown_console_is_not_found(app: Flask, client: FlaskClient) -> None:
    staff(app, client, Role.ADMIN)
    assert client.get("/loket/kasir").status_code == 404


# -- the console's flow -------------------------------------------------------------------------


def test_a_counter_is_chosen_once_and_kept(app: Flask, client: FlaskClient, clock) -> None:
    staff(app, client, Role.FRONT_OFFICE)
    first = page_text(client.get(LIBRARY))
    assert "Di loket mana Anda bertugas?" in first
    response = choose_counter(client, "  Loket   3 ")
    assert response.status_code == 303
    page = page_text(client.get(LIBRARY))
    assert "Anda memanggil pengunjung ke Loket 3" in page and "Panggil berikutnya" in page
    assert "Di loket mana Anda bertugas?" not in page


@pytest.mark.parametrize("name", ["", "x" * 41])
def test_a_counter_without_a_sensible_name_is_refused_in_place(
    app: Flask, client: FlaskClient, name: str
) -> None:
    staff(app, client, Role.FRONT_OFFICE)
    response = choose_counter(client, name)
    assert response.status_code == 400
    assert "Tuliskan nama loket" in page_text(response) or "Nama loket paling banyak 40" in page_text(
        response
    )
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_calling_needs_a_counter_first(app: Flask, client: FlaskClient, clock) -> None:
    visitors(app, ("Ani", ["library"]))
    staff(app, client, Role.FRONT_OFFICE)
    response = post(client, f"{LIBRARY}/panggil")
    assert response.status_code == 303
    assert "Pilih dulu loket tempat Anda bertugas" in flashes(client)


def test_a_visitor_is_called_served_and_finished(app: Flask, client: FlaskClient, clock) -> None:
    ani, budi = visitors(app, ("Ani", ["library"]), ("Budi", ["library"]), minutes=9)
    staff(app, client, Role.LIBRARIAN)
    choose_counter(client)
    response = post(client, f"{LIBRARY}/panggil")
    assert response.status_code == 303 and response.headers["Location"].endswith(LIBRARY)
    page = client.get(LIBRARY)
    text = page_text(page)
    assert "P-001 dipanggil ke Loket 1" in text
    assert "Di loket" in text and "Menunggu (1)" in text and "Budi" in text
    assert post(client, f"{LIBRARY}/tiket/{ani}/panggil-ulang").status_code == 303
    assert "P-001 dipanggil lagi" in flashes(client)
    assert ticket(app, ani).calls == 2
    assert post(client, f"{LIBRARY}/tiket/{ani}/mulai").status_code == 303
    assert "Layanan P-001 dimulai" in flashes(client)
    assert post(client, f"{LIBRARY}/tiket/{ani}/selesai").status_code == 303
    assert "Layanan P-001 selesai" in flashes(client)
    assert ticket(app, ani).status == "done" and ticket(app, budi).status == "waiting"
    assert "Dilayani hari ini: 1" in page_text(client.get(LIBRARY))


def test_a_visitor_who_does_not_come_is_closed(app: Flask, client: FlaskClient, clock) -> None:
    (ani,) = visitors(app, ("Ani", ["library"]), minutes=9)
    staff(app, client, Role.FRONT_OFFICE)
    choose_counter(client)
    post(client, f"{LIBRARY}/panggil")
    assert "Panggil ulang dulu" in page_text(client.get(LIBRARY))  # no "Tidak hadir" after one call
    post(client, f"{LIBRARY}/tiket/{ani}/tidak-hadir")
    assert "Panggil P-001 sekali lagi" in flashes(client) and ticket(app, ani).status == "called"
    post(client, f"{LIBRARY}/tiket/{ani}/panggil-ulang")
    assert post(client, f"{LIBRARY}/tiket/{ani}/tidak-hadir").status_code == 303
    assert "P-001 tidak datang" in flashes(client)
    assert ticket(app, ani).status == "no_show"


def test_nobody_waiting_is_said_plainly(app: Flask, client: FlaskClient, clock) -> None:
    staff(app, client, Role.FRONT_OFFICE)
    choose_counter(client)
    assert post(client, f"{LIBRARY}/panggil").status_code == 303
    assert "Tidak ada pengunjung yang menunggu" in flashes(client)


def test_a_late_start_asks_for_the_reason_then_keeps_it(app: Flask, client: FlaskClient, clock) -> None:
    (ani,) = visitors(app, ("Ani", ["library"]), minutes=0)  # the clock says 08:10: 10 of 5 minutes
    staff(app, client, Role.FRONT_OFFICE)
    choose_counter(client)
    post(client, f"{LIBRARY}/panggil")
    asked = post(client, f"{LIBRARY}/tiket/{ani}/mulai")
    assert asked.status_code == 400
    html = asked.get_data(as_text=True)
    assert 'name="breach_reason"' in html and "data-keep" in html
    assert "Tuliskan alasan keterlambatan" in page_text(asked)
    assert ticket(app, ani).status == "called"
    done = post(client, f"{LIBRARY}/tiket/{ani}/mulai", breach_reason="Petugas sedang rapat")
    assert done.status_code == 303
    stored = ticket(app, ani)
    assert (stored.status, stored.breach_reason, stored.breached) == ("serving", "Petugas sedang rapat", True)


def test_an_overlong_reason_is_refused_in_place(app: Flask, client: FlaskClient, clock) -> None:
    (ani,) = visitors(app, ("Ani", ["library"]), minutes=0)
    staff(app, client, Role.FRONT_OFFICE)
    choose_counter(client)
    post(client, f"{LIBRARY}/panggil")
    response = post(client, f"{LIBRARY}/tiket/{ani}/mulai", breach_reason="a" * 600)
    assert response.status_code == 400 and 'name="breach_reason"' in response.get_data(as_text=True)
    assert ticket(app, ani).status == "called"


def test_a_visitor_is_transferred_to_the_consultation_queue(app: Flask, client: FlaskClient, clock) -> None:
    (ani,) = visitors(app, ("Ani", ["library"]), minutes=9)
    staff(app, client, Role.FRONT_OFFICE)
    choose_counter(client)
    post(client, f"{LIBRARY}/panggil")
    assert post(client, f"{LIBRARY}/tiket/{ani}/alihkan", to_service="consultation").status_code == 303
    assert "menunggu di antrean Konsultasi Statistik sebagai K-001" in flashes(client)
    consultation = page_text(client.get(CONSULTATION))
    assert "K-001" in consultation and "dari P-001" in consultation


def test_the_waiting_list_shows_the_clock_in_words_as_well_as_colour(
    app: Flask, client: FlaskClient, clock
) -> None:
    visitors(app, ("Ani", ["library"]), minutes=4)
    visitors(app, ("Budi", ["library"]), minutes=6)
    visitors(app, ("Citra", ["library"]), minutes=9)
    staff(app, client, Role.FRONT_OFFICE)
    html = client.get(f"{LIBRARY}/daftar").get_data(as_text=True)
    assert "<html" not in html
    rows = re.findall(r'<li class="level-(\w+)">(.*?)</li>', html, re.S)
    words = [(level, " ".join(re.sub(r"<[^>]+>", " ", body).split())) for level, body in rows]
    assert [level for level, _ in words] == ["red", "amber", "ok"]
    assert "6 dari 5 menit" in words[0][1] and "Lewat target" in words[0][1]
    assert "4 dari 5 menit" in words[1][1] and "Hampir terlambat" in words[1][1]
    assert "Tepat waktu" in words[2][1]
    console = " ".join(re.sub(r"<[^>]+>", " ", client.get(LIBRARY).get_data(as_text=True)).split())
    assert "Lewat target: 1" in console  # the summary counts the red row, still waiting, as the list shows it


# -- odd input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("ticket_id", ["2147483647", "0", "424242"])
def test_a_ticket_id_that_names_no_ticket_is_a_message_not_a_failure(
    app: Flask, client: FlaskClient, clock, ticket_id: str
) -> None:
    staff(app, client, Role.FRONT_OFFICE)
    for action in ("panggil-ulang", "mulai", "selesai", "tidak-hadir", "alihkan"):
        response = post(client, f"{LIBRARY}/tiket/{ticket_id}/{action}", to_service="consultation")
        assert response.status_code == 303
    assert "Tiket itu tidak ada" in flashes(client)


# Past the largest row id the site's number converter matches no page at all.
@pytest.mark.parametrize(
    "path",
    [
        "/tiket/-1/mulai",
        "/tiket/abc/mulai",
        "/tiket/1.5/mulai",
        "/tiket//mulai",
        "/tiket/99999999999999999999999/mulai",
    ],
)
def test_an_id_that_is_not_a_number_is_not_found(app: Flask, client: FlaskClient, path: str) -> None:
    staff(app, client, Role.FRONT_OFFICE)
    assert post(client, LIBRARY + path).status_code == 404


def test_a_ticket_of_another_queue_is_refused_at_this_console(app: Flask, client: FlaskClient, clock) -> None:
    (kemal,) = visitors(app, ("Kemal", ["consultation"]), minutes=9)
    staff(app, client, Role.FRONT_OFFICE)
    assert post(client, f"{LIBRARY}/tiket/{kemal}/mulai").status_code == 303
    assert "antrean lain" in flashes(client)
    assert ticket(app, kemal).status == "waiting"


def test_a_transfer_to_an_unknown_service_is_a_message(app: Flask, client: FlaskClient, clock) -> None:
    (ani,) = visitors(app, ("Ani", ["library"]), minutes=9)
    staff(app, client, Role.FRONT_OFFICE)
    for target in ("kasir", "x" * 5000, ""):
        assert post(client, f"{LIBRARY}/tiket/{ani}/alihkan", to_service=target).status_code == 303
    assert ticket(app, ani).status == "waiting"


def test_a_button_without_its_csrf_token_is_refused_politely(app: Flask, client: FlaskClient, clock) -> None:
    (ani,) = visitors(app, ("Ani", ["library"]), minutes=9)
    staff(app, client, Role.FRONT_OFFICE)
    response = client.post(f"{LIBRARY}/tiket/{ani}/mulai")
    assert response.status_code == 400 and "Formulir tidak dapat diterima" in page_text(response)
    assert ticket(app, ani).status == "waiting"


# -- the board ----------------------------------------------------------------------------------


def test_the_board_is_public_and_shows_the_called_ticket_and_its_counter(
    app: Flask, client: FlaskClient, clock
) -> None:
    visitors(app, ("Siti Rahasia", ["library", "consultation"]), minutes=9)
    staff(app, client, Role.FRONT_OFFICE)
    choose_counter(client, "Loket 2")
    post(client, f"{LIBRARY}/panggil")
    board = FlaskClient(app, app.response_class, use_cookies=True)
    response = board.get("/antrean")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<meta http-equiv="refresh"' in html and "<noscript>" in html
    assert re.search(r'id="now-code">P-001<', html) and re.search(r'id="now-counter"[^>]*>Loket 2<', html)
    assert "Siti" not in html
    assert "Perpustakaan" in html and "Konsultasi Statistik" in html
    assert "Aktifkan suara" in html


def test_the_boards_data_grows_its_sequence_with_each_call(app: Flask, client: FlaskClient, clock) -> None:
    visitors(app, ("Ani", ["library"]), ("Budi", ["library"]), minutes=9)
    before = client.get("/antrean/data.json")
    assert before.headers["Cache-Control"] == "no-store"
    assert before.get_json()["latest"] is None
    staff(app, client, Role.FRONT_OFFICE)
    choose_counter(client)
    post(client, f"{LIBRARY}/panggil")
    after = client.get("/antrean/data.json").get_json()
    assert after["sequence"] > before.get_json()["sequence"]
    latest = after["latest"]
    assert {k: latest[k] for k in ("code", "counter", "calls", "status")} == {
        "code": "P-001",
        "counter": "Loket 1",
        "calls": 1,
        "status": "called",
    }
    library = after["services"][0]
    assert (library["code"], library["name"], library["waiting"]) == ("library", "Perpustakaan", 1)
    assert after["time"] == "08:10"


def test_the_board_speaks_english_when_asked(app: Flask, client: FlaskClient, clock) -> None:
    client.get("/bahasa/en?next=/antrean")
    page = client.get("/antrean").get_data(as_text=True)
    assert "Now calling" in page and "Turn on sound" in page
    assert [s["name"] for s in client.get("/antrean/data.json").get_json()["services"]] == [
        "Library",
        "Statistical consultation",
    ]


@pytest.mark.parametrize("path", ["/loket", "/panggil", "/tiket/5/mulai", "/tiket/2147483647/alihkan"])
def test_reloading_a_buttons_address_goes_back_to_the_console(
    app: Flask, client: FlaskClient, path: str
) -> None:
    staff(app, client, Role.FRONT_OFFICE)
    response = client.get(LIBRARY + path)
    assert response.status_code == 303 and response.headers["Location"].endswith(LIBRARY)
