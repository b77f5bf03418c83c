"""Appointments online: free slots on working days only, a seat each, a code the kiosk turns into a
ticket called before the walk-ins, a calendar file, and cancelling."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select

from cli import main
from library.errors import InvalidField
from library.frontoffice.appointments import check_in
from library.models import Booking, Office, QueueService, Role, Ticket
from library.settings import Settings
from tests.functional.accounts.helpers import csrf_token, outbox, page_text
from tests.functional.kiosk.kiosk_helpers import sign
from tests.functional.queue.test_queue import CONSULTATION, choose_counter, post, staff
from webapp import create_app

PO = Path(__file__).resolve().parents[3] / "webapp" / "translations" / "id" / "LC_MESSAGES" / "messages.po"
INDONESIAN = read_po(io.BytesIO(PO.read_bytes()))

MONDAY_8AM = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)  # 08.00 WIB in Kota Metro
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def booking_app(instance_dir: Path) -> Iterator[Flask]:
    """The demo office taking appointments for consultation, 30 days ahead, on a Monday morning."""
    app = create_app(Settings.from_env({}, instance_dir=instance_dir, appointment_days_ahead=30))
    app.config["TESTING"] = True
    app.extensions["pustaka"].now = lambda: MONDAY_8AM
    yield app
    app.extensions["pustaka"].close()


def _book(client, slot: str, name: str = "Rina Wulandari", **more: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/janji-temu",
        data={
            "csrf_token": csrf_token(client, "/janji-temu"),
            "service": "consultation",
            "slot": slot,
            "name": name,
            **more,
        },
    )


def test_free_slots_are_offered_on_working_days_only_and_a_slot_holds_its_seats(booking_app: Flask) -> None:
    client = booking_app.test_client()
    answer = client.get("/janji-temu")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200, page_text(answer)
    assert "Pesan waktu kunjungan" in page and "Konsultasi" in page
    assert 'value="2026-11-30T08:30"' in page and 'value="2026-11-30T08:00"' not in page  # started: gone
    assert (
        'value="2026-12-04T13:30"' in page and 'value="2026-12-04T11:30"' not in page
    )  # Friday's prayer break
    assert "2026-12-05T" not in page and "2026-12-06T" not in page  # the weekend
    assert "2026-12-25T" not in page  # Christmas, a national holiday
    first = _book(client, "2026-12-01T09:00")
    assert first.status_code == 303
    assert _book(client, "2026-12-01T09:00", "Budi").status_code == 303  # capacity 2 (the default)
    full = _book(client, "2026-12-01T09:00", "Cici")
    assert full.status_code == 400 and "Waktu itu sudah penuh" in page_text(full)
    offered = client.get("/janji-temu").get_data(as_text=True)
    assert 'disabled="disabled" value="2026-12-01T09:00">09.00 (penuh)<' in offered  # said in Indonesian
    closed = _book(client, "2026-12-25T09:00")
    assert closed.status_code == 400 and "tidak dapat dipesan" in page_text(closed)


def test_a_booking_shows_its_code_gives_a_calendar_file_and_frees_its_seat_when_cancelled(
    booking_app: Flask,
) -> None:
    client = booking_app.test_client()
    where = _book(client, "2026-12-01T10:30").headers["Location"]
    page = page_text(client.get(where))
    code = re.search(r"Kode ([A-Z0-9]{3}-[A-Z0-9]{3})", page)
    assert code and "Selasa, 01 Desember 2026, 10.30" in page
    ics = client.get(f"{where}/janji-temu.ics")
    assert ics.mimetype == "text/calendar" and "DTSTART:20261201T033000Z" in ics.get_data(as_text=True)
    assert code.group(1) in ics.get_data(as_text=True)
    _book(client, "2026-12-01T10:30", "Budi")
    cancelled = client.post(f"{where}/batal", data={"csrf_token": csrf_token(client, where)})
    assert cancelled.status_code == 303 and "Janji temu Anda dibatalkan" in page_text(client.get(where))
    assert _book(client, "2026-12-01T10:30", "Cici").status_code == 303  # the seat given up is taken again
    assert client.get("/janji-temu/tidak-ada").status_code == 404


def test_a_visitor_who_gives_an_address_is_emailed_the_code_the_time_and_the_calendar_file(
    booking_app: Flask,
) -> None:
    client = booking_app.test_client()
    where = _book(client, "2026-12-01T10:30", email="rina@example.com").headers["Location"]
    _book(client, "2026-12-01T11:00", "Budi")  # no address: no email
    (mail,) = outbox(booking_app)
    code = re.search(r"Kode ([A-Z0-9]{3}-[A-Z0-9]{3})", page_text(client.get(where)))
    assert code and mail["To"] == "rina@example.com" and code.group(1) in mail["Subject"]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Selasa, 1 Desember 2026, 10.30" in text and "Tuesday, 1 December 2026, 10:30" in text
    assert "sampai 15 menit setelah waktunya" in text
    assert where in text
    (ics,) = [part for part in mail.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert "DTSTART:20261201T033000Z" in ics.get_content() and code.group(1) in ics.get_content()


def test_the_code_is_taken_only_within_its_window(booking_app: Flask) -> None:
    rt = booking_app.extensions["pustaka"]
    _book(booking_app.test_client(), "2026-11-30T10:00")
    with rt.uow() as uow:
        office = uow.session.scalars(select(Office).where(Office.code == "1872")).one()
        code = uow.session.scalars(select(Booking.code)).one()
        for moment, said in (  # each refused on the code's field, saying why
            (dt.datetime(2026, 11, 30, 9, 20, tzinfo=WIB), "silakan kembali mulai pukul 09.30"),
            (dt.datetime(2026, 11, 30, 10, 16, tzinfo=WIB), "ditunggu sampai pukul 10.15"),
            (dt.datetime(2026, 12, 1, 9, 50, tzinfo=WIB), "bukan hari ini"),
        ):
            with pytest.raises(InvalidField) as refused:
                check_in(uow, office, code.lower().replace("-", " "), moment, rules=rt.slot_rules())
            assert refused.value.field == "appointment_code"
            indonesian = INDONESIAN[refused.value.message].string
            assert said in indonesian % refused.value.params
        in_time = dt.datetime(2026, 11, 30, 10, 5, tzinfo=WIB)
        assert check_in(uow, office, code, in_time, rules=rt.slot_rules()).status == "arrived"


def test_the_kiosk_turns_a_code_into_a_ticket_called_before_the_walk_ins(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app()
    app.config["TESTING"] = True
    rt = app.extensions["pustaka"]
    now = dt.datetime.now(dt.UTC)
    local = now.astimezone(WIB)
    with rt.transaction() as uow:  # a booking for the slot starting now, made earlier
        service = uow.session.scalars(
            select(QueueService)
            .join(Office)
            .where(Office.code == "1872", QueueService.code == "consultation")
        ).one()
        uow.session.add(
            Booking(
                service_id=service.id,
                day=local.date(),
                starts=local.time().replace(second=0, microsecond=0),
                seat=1,
                code="KLM-479",
                token="t" * 32,
                name="Rina",
                booked_at=now,
            )  # fmt: skip
        )
    kiosk = app.test_client()
    walk_in = sign(app, kiosk, name="Sari Walk-in", services=["consultation"])
    assert walk_in.status_code == 303
    booked = sign(app, kiosk, name="Rina Wulandari", services=[], appointment_code="klm 479")
    assert booked.status_code == 303, page_text(booked)
    again = sign(app, kiosk, name="Rina Lagi", services=[], appointment_code="KLM-479")
    assert again.status_code == 400 and "sudah dibatalkan atau sudah dipakai" in page_text(again)
    client = app.test_client()
    staff(app, client, Role.CONSULTANT, "konsultan@bps.go.id")
    choose_counter(client, console=CONSULTATION)
    post(client, f"{CONSULTATION}/panggil", CONSULTATION)
    with rt.uow() as uow:
        called = uow.session.scalars(select(Ticket).where(Ticket.status == "called")).one()
        assert called.visit.name == "Rina Wulandari" and called.appointment_id is not None
    app.extensions["pustaka"].close()


def test_the_report_counts_bookings_arrivals_cancellations_and_no_shows(booking_app: Flask) -> None:
    rt = booking_app.extensions["pustaka"]
    client = booking_app.test_client()
    for slot, name in (
        ("2026-11-30T10:00", "Ani"),
        ("2026-11-30T10:30", "Budi"),
        ("2026-12-01T09:00", "Cici"),
    ):
        assert _book(client, slot, name).status_code == 303
    cancelled = _book(client, "2026-12-01T09:30", "Dedi").headers["Location"]
    client.post(f"{cancelled}/batal", data={"csrf_token": csrf_token(client, cancelled)})
    with rt.transaction() as uow:
        office = uow.session.scalars(select(Office).where(Office.code == "1872")).one()
        ani = uow.session.scalars(select(Booking.code).where(Booking.name == "Ani")).one()
        check_in(uow, office, ani, dt.datetime(2026, 11, 30, 9, 45, tzinfo=WIB), rules=rt.slot_rules())
    rt.now = lambda: dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)  # Tuesday noon: Monday is over
    period = ["--from", "2026-11-30", "--to", "2026-12-01"]
    quality = CliRunner().invoke(main, ["report", "quality", *period, "--json"], obj=rt)
    assert quality.exit_code == 0, quality.output
    (row,) = json.loads(quality.output)["sections"]["appointments"]["appointments"]
    assert (row["booked"], row["arrived"], row["no_show"], row["cancelled"]) == (3, 1, 1, 1)  # Cici: today
