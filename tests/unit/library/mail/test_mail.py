"""Email: messages become proper emails, and leave only after the unit of work commits."""

from __future__ import annotations

import datetime as dt
import logging
from email.message import EmailMessage
from typing import Any

import pytest

from library.mail import Mailer, Message, OutboxBackend, SmtpBackend, make_mailer, outbox_path
from library.settings import Settings
from library.uow import UnitOfWork

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


class RecordingBackend:
    """A backend that keeps what it was asked to send, or fails when told to."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[EmailMessage] = []
        self.fail = fail

    def send(self, mail: EmailMessage) -> None:
        if self.fail:
            raise ConnectionRefusedError("the mail server is down")
        self.sent.append(mail)


class NullSession:
    new: tuple[()] = ()  # nothing changed: the unit of work only closes it
    deleted: tuple[()] = ()
    dirty: tuple[()] = ()
    info: dict[str, object] = {}

    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def close(self) -> None: ...


def unit_of_work() -> UnitOfWork:
    factory: Any = NullSession
    return UnitOfWork(factory)


def test_a_message_becomes_an_email_with_the_headers_mail_servers_expect() -> None:
    mail = Message("siti@example.id", "Verifikasi · Verify", "Halo Siti").to_email(
        "PST BPS <pst@bps.go.id>", NOW
    )
    assert mail["From"] == "PST BPS <pst@bps.go.id>"
    assert mail["To"] == "siti@example.id"
    assert mail["Subject"] == "Verifikasi · Verify"
    assert mail["Date"] == "Mon, 02 Mar 2026 08:00:00 +0000"
    assert mail["Message-ID"].endswith("@bps.go.id>")
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail.get_content().strip() == "Halo Siti"


def test_a_queued_message_leaves_only_after_the_commit() -> None:
    backend = RecordingBackend()
    mailer = Mailer(backend, "pst@bps.go.id")
    uow = unit_of_work()
    with uow:
        sending = mailer.send_after_commit(uow, Message("a@example.id", "S", "T"))
        assert backend.sent == [] and not sending.sent
        uow.commit()
    assert [m["To"] for m in backend.sent] == ["a@example.id"]
    assert sending.sent and not sending.failed


def test_a_rolled_back_unit_of_work_sends_nothing() -> None:
    backend = RecordingBackend()
    uow = unit_of_work()
    with uow:
        Mailer(backend, "pst@bps.go.id").send_after_commit(uow, Message("a@example.id", "S", "T"))
    assert backend.sent == []


def test_a_failed_send_is_logged_and_reported_but_never_raised(caplog: pytest.LogCaptureFixture) -> None:
    uow = unit_of_work()
    with uow, caplog.at_level(logging.ERROR, logger="library.mail"):
        sending = Mailer(RecordingBackend(fail=True), "pst@bps.go.id").send_after_commit(
            uow, Message("a@example.id", "Verifikasi", "T")
        )
        uow.commit()
    assert sending.failed and not sending.sent
    assert "Could not send 'Verifikasi' to a@example.id" in caplog.text


def test_the_settings_choose_the_backend(tmp_path) -> None:
    outbox = make_mailer(Settings.from_env({}, instance_dir=tmp_path))
    assert outbox.backend == OutboxBackend(tmp_path.resolve() / "outbox")
    assert outbox_path(Settings.from_env({}, instance_dir=tmp_path)) == tmp_path.resolve() / "outbox"
    smtp = make_mailer(
        Settings.from_env(
            {
                "PUSTAKA_MAIL_BACKEND": "smtp",
                "PUSTAKA_SMTP_HOST": "mail.bps.go.id",
                "PUSTAKA_SMTP_PORT": "587",
                "PUSTAKA_SMTP_USER": "pst",
                "PUSTAKA_SMTP_PASSWORD": "rahasia",
                "PUSTAKA_SMTP_STARTTLS": "true",
                "PUSTAKA_MAIL_FROM": "PST <pst@bps.go.id>",
            },
            instance_dir=tmp_path,
        )
    )
    assert smtp.backend == SmtpBackend("mail.bps.go.id", 587, "pst", "rahasia", starttls=True)
    assert smtp.sender == "PST <pst@bps.go.id>"
    assert "rahasia" not in repr(smtp.backend)
