"""Backups watched: their age in /readyz, /metrics and the live page, a failure emailed, the admin page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from library.models import BackupRun, Role
from library.moving.backups import BackupRefused
from library.moving.nightly import run_backup
from runtime.backup_plan import plan_of
from tests.functional.accounts.helpers import MailServer, make_person, page_text, sign_in, smtp_app, submit
from tests.functional.test_metrics import figure
from tests.waiting import wait_until


def ran(app: Flask, hours_ago: float, *, ok: bool = True, error: str = "") -> None:
    """Record a backup run that finished some hours ago."""
    rt = app.extensions["pustaka"]
    ended = rt.now() - dt.timedelta(hours=hours_ago)
    with rt.transaction() as uow:
        uow.session.add(
            BackupRun(
                started_at=ended - dt.timedelta(minutes=2), finished_at=ended, ok=ok, error=error,
                path=f"/var/backups/pustaka/{ended:%Y-%m-%dT%H%M%SZ}", size_bytes=5 << 20,
                written_bytes=1 << 20, files=12,
            )
        )  # fmt: skip


def backup_part(app: Flask) -> dict:
    return app.test_client().get("/readyz").json["checks"]["backup"]


def test_a_fresh_instance_is_ready_without_a_backup_and_a_stale_one_is_not(app: Flask) -> None:
    assert backup_part(app) == {"ok": True, "detail": "no backup made yet"}
    ran(app, 30)
    part = backup_part(app)
    assert part["ok"] is False and "over the 26 h set" in part["detail"]
    ran(app, 2, ok=False, error="pg_dump failed: connection refused")
    part = backup_part(app)
    assert part["ok"] is False and "the last run failed: pg_dump failed" in part["detail"]
    ran(app, 1)
    assert backup_part(app)["ok"] is True
    metrics = app.test_client().get("/metrics").get_data(as_text=True)
    now = app.extensions["pustaka"].now().timestamp()
    assert abs(figure(metrics, "pustaka_backup_last_success_timestamp_seconds") - (now - 3600)) < 5
    assert figure(metrics, "pustaka_backup_last_run_ok") == 1


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = MailServer(port)
    server.start()
    yield server
    server.stop()


def test_a_failed_backup_emails_the_administrators(
    instance_dir: Path, make_app: Callable[..., Flask], mail_server: MailServer
) -> None:
    app = smtp_app(make_app, mail_server.port)
    make_person(app, "admin.kantor@bps.go.id", [Role.ADMIN])
    rt = app.extensions["pustaka"]
    used = instance_dir / "used"
    used.mkdir()
    (used / "something").write_text("x")
    with pytest.raises(BackupRefused):
        run_backup(rt, plan_of(rt.settings), used, lambda step: None)
    wait_until(lambda: len(mail_server.received) == 1, message="no alert email arrived")
    mail = mail_server.received[0]
    assert mail["To"] == "admin.kantor@bps.go.id" and "Pencadangan gagal" in str(mail["Subject"])
    assert "is not empty" in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    with rt.uow() as uow:
        (row,) = uow.session.query(BackupRun).all()
        assert row.ok is False and "is not empty" in row.error
    assert figure(app.test_client().get("/metrics").get_data(as_text=True), "pustaka_backup_last_run_ok") == 0
    rt.close()


def test_the_live_page_names_the_last_good_backup(app: Flask) -> None:
    ran(app, 3)
    client = app.test_client()
    sign_in(client, make_person(app, "kepala@bps.go.id", [Role.OFFICE_HEAD]))
    text = page_text(client.get("/laporan/sekarang/"))
    assert "Cadangan terakhir yang baik:" in text


def test_an_administrator_lists_the_backups_and_starts_one(app: Flask) -> None:
    rt = app.extensions["pustaka"]
    rt.jobs.immediate = True  # the worker's job runs in the request, as a worker would run it
    rt.settings = dataclasses.replace(rt.settings, backup_dir=str(rt.settings.instance_path / "kept"))
    ran(app, 5, ok=False, error="The copy off the machine (rsync) failed")
    client = app.test_client()
    sign_in(client, make_person(app, "admin@bps.go.id", [Role.ADMIN]))
    page = client.get("/admin/cadangan/")
    assert page.status_code == 200 and "gagal" in page_text(page) and "rsync" in page_text(page)
    started = submit(client, "/admin/cadangan/buat", {}, form_page="/admin/cadangan/")
    assert started.status_code == 303
    text = page_text(client.get("/admin/cadangan/"))
    assert "Pencadangan dimulai" in text and "baik" in text and "daily" in text  # kept by the daily rule
    assert len(list((rt.settings.instance_path / "kept").iterdir())) == 1


def test_only_administrators_see_the_backups(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, make_person(app, "kepala@bps.go.id", [Role.OFFICE_HEAD]))
    assert client.get("/admin/cadangan/").status_code == 403
    assert client.post("/admin/cadangan/buat").status_code in (400, 403)
