"""The mailbox job against a real IMAP server (Dovecot): unseen mail read by UID, marked only once kept."""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

from library.consultation.by_email.intake import Desk, MailboxJob, Oversized, read_mailbox
from library.consultation.by_email.mailbox import MailboxAccess, open_mailbox
from library.consultation.by_email.reading import Aside
from library.consultation.channels import Inbound, Taken
from library.models import ReceiptOutcome
from tests.integration.library.dovecot import ImapServer, free_port

NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)


def mail(number: int, *, size: int = 0, headers: str = "") -> bytes:
    """Return a small email from Ani (padded to `size` bytes of body when asked)."""
    body = "Berapa jumlah penduduk Kota Metro tahun 2024?\r\n" + "x" * size
    return (
        f"From: Ani Suryani <Ani@Example.id>\r\nTo: pst@bps.example.id\r\nSubject: Pertanyaan {number}\r\n"
        f"Message-ID: <m{number}@example.id>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0700\r\n{headers}"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}"
    ).encode()


@dataclass
class RecordingDesk:
    """The desk's three answers, recorded; `failing` ids raise as a broken database would."""

    taken: list[Inbound] = field(default_factory=list)
    aside: list[Aside] = field(default_factory=list)
    refused: list[Oversized] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)

    def desk(self) -> Desk:
        return Desk(
            take=self._take,
            set_aside=lambda _, a: self.aside.append(a),
            refuse=lambda _, o: self.refused.append(o),
        )

    def _take(self, _uow: object, inbound: Inbound) -> Taken:
        if inbound.external_id in self.failing:
            raise RuntimeError("the database went away")
        self.taken.append(inbound)
        return Taken(ReceiptOutcome.OPENED, "KS-20261123-00001")


@contextmanager
def no_transaction() -> Iterator[None]:
    yield None


def job(
    server: ImapServer, *, done_folder: str = "", max_bytes: int = 64 * 1024, batch: int = 20
) -> MailboxJob:
    access = MailboxAccess(
        "127.0.0.1", server.port, server.user, server.password, tls="none", done_folder=done_folder
    )
    return MailboxJob(access, frozenset({"pst@bps.example.id"}), max_bytes, batch)


def run(server: ImapServer, desk: RecordingDesk, **kwargs):  # type: ignore[no-untyped-def]
    return read_mailbox(job(server, **kwargs), no_transaction, desk.desk(), lambda: NOW)  # type: ignore[arg-type]


def test_unseen_mail_is_read_oldest_first_and_marked_seen_once_kept(imap_server: ImapServer) -> None:
    for n in (1, 2):
        imap_server.deliver(mail(n))
    desk = RecordingDesk()
    done = run(imap_server, desk)
    assert [i.external_id for i in desk.taken] == ["<m1@example.id>", "<m2@example.id>"]
    assert desk.taken[0].sender == "ani@example.id" and desk.taken[0].subject == "Pertanyaan 1"
    assert (done.taken, done.failed, done.trouble) == (2, 0, "")
    assert all("\\Seen" in flags for flags in imap_server.flags())
    assert run(imap_server, desk).taken == 0  # seen mail is not read again


def test_an_email_that_cannot_be_kept_stays_unseen_and_the_others_go_on(imap_server: ImapServer) -> None:
    for n in (1, 2):
        imap_server.deliver(mail(n))
    desk = RecordingDesk(failing={"<m1@example.id>"})
    done = run(imap_server, desk)
    assert (done.taken, done.failed) == (1, 1)
    assert ["\\Seen" in flags for flags in imap_server.flags()] == [False, True]
    desk.failing.clear()
    assert run(imap_server, desk).taken == 1  # the next run takes it


def test_handled_mail_moves_to_the_done_folder_which_is_made_when_missing(imap_server: ImapServer) -> None:
    imap_server.deliver(mail(1))
    run(imap_server, RecordingDesk(), done_folder="Pustaka")
    assert (imap_server.count("INBOX"), imap_server.count("Pustaka")) == (0, 1)


def test_a_server_without_move_gets_a_copy_and_only_that_email_expunged(imap_server: ImapServer) -> None:
    for n in (1, 2):
        imap_server.deliver(mail(n))
    client = imap_server.client()  # another client deleted the second email but has not expunged it
    client.select("INBOX")
    client.uid("STORE", "2", "+FLAGS", r"(\Deleted)")
    client.logout()
    with open_mailbox(job(imap_server, done_folder="Pustaka").access) as mailbox:
        mailbox._moves = False  # as on a server that cannot MOVE
        mailbox.done(1)
    assert (imap_server.count("INBOX"), imap_server.count("Pustaka")) == (1, 1)


def test_a_run_reads_at_most_its_batch(imap_server: ImapServer) -> None:
    for n in (1, 2, 3):
        imap_server.deliver(mail(n))
    desk = RecordingDesk()
    assert run(imap_server, desk, batch=2).taken == 2
    assert run(imap_server, desk, batch=2).taken == 1


def test_an_email_over_the_cap_is_refused_by_its_headers_without_reading_its_body(
    imap_server: ImapServer,
) -> None:
    imap_server.deliver(mail(1, size=20_000))
    desk = RecordingDesk()
    done = run(imap_server, desk, max_bytes=10_000)
    assert done.refused == 1 and desk.taken == []
    refused = desk.refused[0]
    assert (refused.external_id, refused.sender, refused.cap) == ("<m1@example.id>", "ani@example.id", 10_000)
    assert refused.size > 20_000
    assert "\\Seen" in imap_server.flags()[0]


def test_an_oversized_automatic_reply_is_set_aside_not_refused(imap_server: ImapServer) -> None:
    imap_server.deliver(mail(1, size=20_000, headers="Auto-Submitted: auto-replied\r\n"))
    desk = RecordingDesk()
    run(imap_server, desk, max_bytes=10_000)
    assert desk.refused == [] and len(desk.aside) == 1


def test_an_automatic_reply_is_set_aside_and_marked_seen(imap_server: ImapServer) -> None:
    imap_server.deliver(mail(1, headers="Auto-Submitted: auto-replied\r\n"))
    desk = RecordingDesk()
    done = run(imap_server, desk)
    assert (done.set_aside, desk.taken) == (1, [])
    assert "Auto-Submitted" in desk.aside[0].note
    assert "\\Seen" in imap_server.flags()[0]


def test_a_wrong_password_is_said_in_words_and_nothing_is_touched(imap_server: ImapServer) -> None:
    imap_server.deliver(mail(1))
    access = MailboxAccess("127.0.0.1", imap_server.port, imap_server.user, "salah", tls="none")
    done = read_mailbox(
        MailboxJob(access, frozenset(), 10_000), no_transaction, RecordingDesk().desk(), lambda: NOW
    )  # type: ignore[arg-type]
    assert "PUSTAKA_CONSULTATION_IMAP_PASSWORD" in done.trouble
    assert "\\Seen" not in imap_server.flags()[0]


@pytest.mark.parametrize(
    ("access", "words"),
    [
        (MailboxAccess("127.0.0.1", 0, "u", "p", tls="none"), "cannot be reached"),
        (MailboxAccess("192.0.2.1", 143, "u", "p", tls="none"), "only for a mail server on this machine"),
    ],
)
def test_a_mailbox_out_of_reach_is_said_in_words(access: MailboxAccess, words: str) -> None:
    if access.port == 0:
        access = MailboxAccess("127.0.0.1", free_port(), "u", "p", tls="none")
    done = read_mailbox(
        MailboxJob(access, frozenset(), 10_000), no_transaction, RecordingDesk().desk(), lambda: NOW
    )  # type: ignore[arg-type]
    assert words in done.trouble and done.taken == 0


@pytest.mark.parametrize("tls", ["implicit", "starttls"])
def test_the_mailbox_is_read_over_tls_trusting_the_servers_certificate(
    imaps_server: ImapServer, tls: str
) -> None:
    imaps_server.deliver(mail(1))
    access = MailboxAccess(
        "127.0.0.1",
        imaps_server.tls_port if tls == "implicit" else imaps_server.port,
        imaps_server.user,
        imaps_server.password,
        tls=tls,
        ssl_context=ssl.create_default_context(cafile=str(imaps_server.certificate)),
    )
    desk = RecordingDesk()
    done = read_mailbox(MailboxJob(access, frozenset(), 10_000), no_transaction, desk.desk(), lambda: NOW)  # type: ignore[arg-type]
    assert (done.trouble, done.taken) == ("", 1)
