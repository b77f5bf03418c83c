"""`pustaka consultations read-mailbox`: the runtime's wiring from the mailbox to the thread and back."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import select

from library.db import make_engine, make_session_factory
from library.mail import outbox_path
from library.models import Consultation, ConsultationMessage
from library.settings import Settings
from library.uow import UnitOfWork
from runtime.root import Runtime
from tests.integration.library.dovecot import ImapServer

QUESTION = (
    b"From: Sari Dewi <sari@example.id>\r\nTo: pst@bps.example.id\r\nSubject: Data penduduk\r\n"
    b"Message-ID: <q1@example.id>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0700\r\n\r\n"
    b"Mohon data penduduk Kota Metro 2024.\r\n"
)


@pytest.fixture
def settings(tmp_path: Path, imap_server: ImapServer) -> Settings:
    """Return an instance's settings reading the test's Dovecot, its mail written to the outbox."""
    return Settings.from_env(
        {},
        instance_dir=tmp_path / "instance",
        mail_from="Pustaka <noreply@bps.example.id>",
        consultation_mail_address="PST BPS <pst@bps.example.id>",
        consultation_imap_host="127.0.0.1",
        consultation_imap_port=imap_server.port,
        consultation_imap_user=imap_server.user,
        consultation_imap_password=imap_server.password,
        consultation_imap_tls="none",
        consultation_imap_done_folder="Pustaka",
    )


def test_a_read_opens_the_consultation_and_the_job_sends_the_acknowledgement_from_the_office(
    run: Callable[..., Result], settings: Settings, imap_server: ImapServer
) -> None:
    imap_server.deliver(QUESTION)
    done = run("consultations", "read-mailbox")
    assert done.exit_code == 0, done.output
    assert "1 taken, 0 set aside, 0 refused, 0 failed" in done.output
    assert (imap_server.count("INBOX"), imap_server.count("Pustaka")) == (0, 1)
    engine = make_engine(settings.sqlalchemy_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        row = uow.session.scalars(select(Consultation)).one()
        queued = uow.session.scalars(
            select(ConsultationMessage.id).where(ConsultationMessage.from_staff)
        ).all()
    engine.dispose()
    assert row.number in done.output and row.contact == "sari@example.id"
    rt = Runtime(settings)
    try:
        for message_id in queued:
            rt.jobs.run("consultation_outside", message_id)  # what a worker does with the queued job
    finally:
        rt.close()
    [sent] = list(outbox_path(settings).glob("*.eml"))
    ack = email.message_from_bytes(sent.read_bytes(), policy=email.policy.default)
    assert ack["From"] == "PST BPS <pst@bps.example.id>" and ack["In-Reply-To"] == "<q1@example.id>"
    assert ack["Subject"] == f"Re: Data penduduk [{row.number}]"


@pytest.mark.parametrize("imap_server", ["own"], indirect=True)  # it stops its server
def test_a_mailbox_out_of_reach_fails_the_command_with_the_reason(
    run: Callable[..., Result], imap_server: ImapServer
) -> None:
    imap_server.stop()
    done = run("consultations", "read-mailbox")
    assert done.exit_code == 1 and "cannot be reached" in done.output
