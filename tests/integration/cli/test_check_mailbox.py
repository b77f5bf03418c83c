"""`pustaka check` signs in to the consultation mailbox and says in words what stops it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from cli.check_mailbox import check_mailbox
from library.settings import Settings
from tests.integration.library.dovecot import ImapServer, free_port


def settings(tmp_path: Path, port: int, password: str, user: str = "pst@bps.example.id") -> Settings:
    return Settings.from_env(
        {},
        instance_dir=tmp_path,
        consultation_imap_host="127.0.0.1",
        consultation_imap_port=port,
        consultation_imap_user=user,
        consultation_imap_password=password,
        consultation_imap_tls="none",
    )


def test_the_line_counts_the_unread_mail_of_a_mailbox_it_signs_in_to(
    imap_server: ImapServer, tmp_path
) -> None:
    imap_server.deliver(b"From: a@example.id\r\nSubject: x\r\n\r\nhalo\r\n")
    line = check_mailbox(settings(tmp_path, imap_server.port, imap_server.password, imap_server.user))
    assert line.ok and line.detail.endswith(": 1 unread")


def test_the_line_names_the_setting_of_a_refused_password(imap_server: ImapServer, tmp_path) -> None:
    line = check_mailbox(settings(tmp_path, imap_server.port, "salah", imap_server.user))
    assert not line.ok and "PUSTAKA_CONSULTATION_IMAP_PASSWORD" in line.detail
    assert "no email is lost" in line.hint


def test_the_line_says_a_mailbox_out_of_reach_and_that_mail_waits(tmp_path) -> None:
    line = check_mailbox(settings(tmp_path, free_port(), "x"))
    assert not line.ok and "cannot be reached" in line.detail and line.required


def test_the_line_says_the_mailbox_is_not_read_when_no_host_is_set(tmp_path) -> None:
    line = check_mailbox(Settings.from_env({}, instance_dir=tmp_path))
    assert line.ok and "not read" in line.detail


def test_the_line_says_a_certificate_this_machine_does_not_trust(imaps_server: ImapServer, tmp_path) -> None:
    line = check_mailbox(
        dataclasses.replace(
            settings(tmp_path, imaps_server.tls_port, imaps_server.password, imaps_server.user),
            consultation_imap_tls="implicit",
        )
    )
    assert not line.ok and "certificate this machine does not trust" in line.detail
