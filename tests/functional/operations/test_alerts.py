"""Alerts emailed to the administrators through a real SMTP server, on a moved clock, once a while each."""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from library.models import OperationsAlert, Role
from runtime.alerting import check_alerts
from runtime.lane_health import beat
from tests.functional.accounts.helpers import MailServer, make_person, smtp_app
from tests.functional.terminal_helpers import walk_in
from tests.waiting import wait_until


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = MailServer(port)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def office(make_app: Callable[..., Flask], mail_server: MailServer) -> Flask:
    """The app sending to the SMTP server, with one administrator and no disk limit."""
    app = smtp_app(make_app, mail_server.port)
    rt = app.extensions["pustaka"]
    rt.settings = dataclasses.replace(rt.settings, ready_min_free_mb=0)
    make_person(app, "admin.kantor@bps.go.id", [Role.ADMIN])
    return app


MONDAY_MORNING = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)  # 09:00 WIB


def at(app: Flask, moment: dt.datetime, *, workers: bool = True) -> list[str]:
    """Move the clock there (the workers alive then, unless told), check the alerts, return those emailed."""
    rt = app.extensions["pustaka"]
    rt.now = lambda: moment
    if workers:
        for huey in rt.jobs.lanes.values():
            beat(huey, moment.timestamp())
    return check_alerts(rt)


def subjects(server: MailServer, count: int) -> list[str]:
    wait_until(lambda: len(server.received) >= count, message=f"{count} emails never arrived")
    return [str(mail["Subject"]).split(" · ")[0].strip() for mail in server.received]  # its Indonesian part


def test_a_walk_in_past_the_target_is_emailed_once_an_hour_while_it_lasts(
    office: Flask, mail_server: MailServer
) -> None:
    start = MONDAY_MORNING  # a fixed office morning: the hour that follows stays on the same office day
    walk_in(office, "Ani", at=start)
    assert at(office, start + dt.timedelta(minutes=4)) == []  # within the library's 5 minutes
    assert at(office, start + dt.timedelta(minutes=6)) == ["walk_in_late"]
    assert at(office, start + dt.timedelta(minutes=40)) == []  # still late: emailed 34 minutes ago
    assert at(office, start + dt.timedelta(minutes=67)) == ["walk_in_late"]
    sent = subjects(mail_server, 2)
    assert sent == ["Peringatan Pustaka: 1 pengunjung menunggu melewati target layanan"] * 2
    mail = mail_server.received[0]
    assert mail["To"] == "admin.kantor@bps.go.id"
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "1 walk-in visitor(s) waiting past the service target" in text  # the English part too
    assert "/laporan/sekarang" in text


def test_no_worker_is_emailed_although_no_worker_runs(office: Flask, mail_server: MailServer) -> None:
    start = office.extensions["pustaka"].now()
    assert at(office, start, workers=False) == ["no_worker"]
    assert subjects(mail_server, 1) == ["Peringatan Pustaka: Tidak ada pekerja yang berjalan"]
    assert "interactive lane" in mail_server.received[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_a_condition_that_holds_is_written_down_every_ten_minutes_not_every_check(office: Flask) -> None:
    start = office.extensions["pustaka"].now()
    uow = office.extensions["pustaka"].uow

    def last_seen() -> dt.datetime:
        with uow() as read:
            return read.session.get_one(OperationsAlert, "no_worker").last_seen_at

    for minute in (0, 1, 9):  # every process checks every minute: the row is not rewritten each time
        at(office, start + dt.timedelta(minutes=minute), workers=False)
    assert last_seen() == start
    at(office, start + dt.timedelta(minutes=10), workers=False)
    assert last_seen() == start + dt.timedelta(minutes=10)


def test_no_email_when_alerts_are_switched_off(office: Flask, mail_server: MailServer) -> None:
    rt = office.extensions["pustaka"]
    rt.settings = dataclasses.replace(rt.settings, alert_every_minutes=0)
    assert at(office, rt.now(), workers=False) == []
    assert mail_server.received == []
