"""Consultations by email end to end: a real IMAP server in, the database, a real SMTP server out.

Mail is put into Dovecot by IMAP APPEND as a sender's server would; the mailbox job reads it
into the consultation core; the messages the core queues go out through the email sender to
aiosmtpd, where the tests read them as the asker's mail program would.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from cli.check_mailbox import check_mailbox
from library.consultation.attachments import Attachments, Upload
from library.consultation.by_email.intake import Desk, MailboxJob, MailboxRun, read_mailbox
from library.consultation.by_email.mailbox import MailboxAccess
from library.consultation.by_email.refusals import refuse_oversized
from library.consultation.by_email.sending import EmailSender
from library.consultation.channels import set_aside, take_inbound
from library.consultation.outside import send_outside
from library.consultation.rules import ConsultationPost
from library.consultation.staff import StaffMessage, check_mark_clear, check_staff_message
from library.filestore import FileStore
from library.mail import Mailer, SmtpBackend
from library.models import ChannelReceipt, Consultation, ConsultationChannel, ReceiptOutcome, Role
from library.settings import Settings
from library.uow import UnitOfWork
from tests.integration.library.consultation.test_consultation_email_sending import Inbox, smtp_inbox  # noqa: F401 - a fixture
from tests.integration.library.consultation.test_consultations import NOW, RULES, offices, person, step  # noqa: F401 - autouse
from tests.integration.library.dovecot import ImapServer

OFFICE = "pst@bps.example.id"
EMAIL = ConsultationChannel.EMAIL


def mail(message_id: str, *, sender: str = "Sari Dewi <sari@example.id>", subject: str = "Data penduduk",
         text: str = "Mohon data penduduk Kota Metro 2024.", headers: str = "") -> bytes:  # fmt: skip
    """Return an email to the office, as bytes."""
    built = EmailMessage()
    built["From"], built["To"], built["Subject"] = sender, OFFICE, subject
    built["Date"] = "Mon, 23 Nov 2026 09:00:00 +0700"
    if message_id:
        built["Message-ID"] = message_id
    for line in filter(None, headers.split("\n")):
        name, _, value = line.partition(": ")
        built[name] = value
    built.set_content(text)
    return bytes(built)


@dataclass
class Office:
    """The office's mailbox, database, file store and outgoing mail, wired as the runtime wires them."""

    imap: ImapServer
    outbox: Inbox
    uow: UnitOfWork
    post: ConsultationPost
    store: FileStore
    woken: list[int] = field(default_factory=list)
    max_bytes: int = 200_000

    def job(self, port: int | None = None) -> MailboxJob:
        access = MailboxAccess(
            "127.0.0.1", port or self.imap.port, self.imap.user, self.imap.password, tls="none"
        )
        return MailboxJob(access, frozenset({OFFICE}), self.max_bytes)

    def desk(self) -> Desk:
        return Desk(
            take=lambda uow, inbound: take_inbound(uow, inbound, RULES, NOW, self.post, self.store),
            set_aside=lambda uow, a: set_aside(uow, EMAIL, a.external_id, a.sender, a.subject, a.note, NOW),
            refuse=lambda uow, oversized: refuse_oversized(uow, oversized, self.post.mailer, NOW),
        )

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        with self.uow:
            yield self.uow
            self.uow.commit()

    def read(self, port: int | None = None) -> MailboxRun:
        """Read the mailbox once, then send what the core queued (as the job would, after commit)."""
        run = read_mailbox(self.job(port), self.transaction, self.desk(), lambda: NOW)
        self.send_queued()
        return run

    def send_queued(self) -> None:
        sender = EmailSender(self.post.mailer, self.store)
        while self.woken:
            send_outside(self.uow._session_factory, self.woken.pop(0), {"email": sender}, lambda: NOW)

    def sent(self) -> list[EmailMessage]:
        return self.outbox.messages()

    def consultations(self) -> list[tuple[str, str, list[str]]]:
        with self.uow:
            rows = self.uow.session.scalars(select(Consultation).order_by(Consultation.id)).all()
            return [(r.number, r.contact, [m.body for m in r.messages if not m.from_staff]) for r in rows]

    def receipts(self) -> list[tuple[str, str]]:
        with self.uow:
            rows = self.uow.session.scalars(select(ChannelReceipt).order_by(ChannelReceipt.id)).all()
            return [(r.external_id, r.outcome) for r in rows]


@pytest.fixture
def office(imap_server: ImapServer, smtp_inbox, uow: UnitOfWork, post: ConsultationPost, tmp_path) -> Office:  # noqa: F811
    outbox, port = smtp_inbox
    made = Office(imap_server, outbox, uow, post, FileStore(tmp_path / "files"))
    made.post = dataclasses.replace(
        post,
        mailer=Mailer(SmtpBackend("127.0.0.1", port), f"PST BPS <{OFFICE}>"),
        outside_news=made.woken.append,
    )
    return made


def test_a_new_mail_opens_a_consultation_and_the_acknowledgement_goes_back_in_its_thread(
    office: Office,
) -> None:
    office.imap.deliver(mail("<q1@example.id>"))
    run = office.read()
    [(number, contact, _)] = office.consultations()
    assert run.numbers == [number] and number.startswith("KS-20261123-") and contact == "sari@example.id"
    [ack] = office.sent()
    assert ack["To"] == "Sari Dewi <sari@example.id>" and ack["In-Reply-To"] == "<q1@example.id>"
    assert ack["Subject"] == f"Re: Data penduduk [{number}]" and ack["Auto-Submitted"] == "auto-replied"
    assert f"konsultasi {number}" in ack.get_content()  # type: ignore[attr-defined]
    assert "\\Seen" in office.imap.flags()[0]


def test_replies_join_by_their_headers_or_by_the_number_in_the_subject(office: Office) -> None:
    office.imap.deliver(mail("<q1@example.id>"))
    office.read()
    ack = office.sent()[0]
    number = office.consultations()[0][0]
    threading = f"In-Reply-To: {ack['Message-ID']}\nReferences: <q1@example.id> {ack['Message-ID']}"
    office.imap.deliver(
        mail("<q2@example.id>", subject=ack["Subject"], text="Per kecamatan.", headers=threading)
    )
    office.imap.deliver(
        mail("<q3@example.id>", subject=f"Tambahan [{number}]", text="Per jenis kelamin juga.")
    )
    assert office.read().numbers == [number, number]
    assert office.consultations() == [
        (number, "sari@example.id", ["", "Per kecamatan.", "Per jenis kelamin juga."])
    ]
    assert len(office.sent()) == 1  # a reply is not acknowledged again


def test_the_same_mail_fetched_twice_is_kept_once(office: Office) -> None:
    office.imap.deliver(mail("<q1@example.id>"))
    office.imap.deliver(mail("<q1@example.id>"))  # the same mail twice (a resend, a second copy)
    run = office.read()
    assert (
        (run.taken, run.repeated) == (1, 1) and len(office.consultations()) == 1 and len(office.sent()) == 1
    )
    assert all("\\Seen" in flags for flags in office.imap.flags())


def test_a_mail_without_a_message_id_fetched_again_after_a_crash_is_kept_once(office: Office) -> None:
    office.imap.deliver(mail(""))
    office.read()
    client = office.imap.client()  # as if the crash came between the commit and marking it read
    client.select("INBOX")
    client.uid("STORE", "1", "-FLAGS", r"(\Seen)")
    client.logout()
    assert office.read().repeated == 1 and len(office.consultations()) == 1


DSN = (
    b"From: Mail Delivery System <MAILER-DAEMON@mx.example.id>\r\nTo: pst@bps.example.id\r\n"
    b"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <a1@example.id>\r\n"
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
    b"--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
    b"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.id\r\n\r\n"
    b"Final-Recipient: rfc822; x@example.id\r\nAction: failed\r\nStatus: 5.1.1\r\n--b--\r\n"
)


@pytest.mark.parametrize(
    "raw",
    [
        mail("<a1@example.id>", subject="Out of office", headers="Auto-Submitted: auto-replied"),
        DSN,
        mail(
            "<a1@example.id>",
            sender="berita@example.id",
            headers="Precedence: list\nList-Id: <berita.example.id>",
        ),
    ],
    ids=["auto-reply", "bounce", "list"],
)
def test_an_auto_reply_a_bounce_or_list_mail_is_set_aside_and_never_answered(
    office: Office, raw: bytes
) -> None:
    office.imap.deliver(raw)
    assert office.read().set_aside == 1
    assert office.consultations() == [] and office.sent() == []
    assert office.receipts() == [("<a1@example.id>", ReceiptOutcome.SET_ASIDE.value)]


def test_a_file_is_kept_a_dangerous_one_refused_and_the_sender_told(office: Office) -> None:
    built = EmailMessage()
    built["From"], built["To"], built["Subject"], built["Message-ID"] = (
        "sari@example.id",
        OFFICE,
        "Data",
        "<f1@x>",
    )
    built.set_content("Lihat lampiran.")
    built.add_attachment(b"%PDF-1.4\n%%EOF\n", maintype="application", subtype="pdf", filename="tabel.pdf")
    built.add_attachment(
        b"MZ\x90\x00binary", maintype="application", subtype="octet-stream", filename="setup.exe"
    )
    office.imap.deliver(bytes(built))
    office.read()
    with office.uow:
        row = office.uow.session.scalars(select(Consultation)).one()
        assert [a.original_name for a in row.attachments] == ["tabel.pdf"] and "setup.exe" in row.question
    assert "Sebagian lampiran tidak dapat kami terima" in office.sent()[0].get_content()  # type: ignore[attr-defined]


def test_a_mail_over_the_size_cap_is_refused_unread_and_its_sender_told(office: Office) -> None:
    office.max_bytes = 5_000
    office.imap.deliver(mail("<big@example.id>", text="x" * 10_000))
    assert office.read().refused == 1
    assert office.consultations() == [] and office.receipts() == [("<big@example.id>", "refused")]
    [notice] = office.sent()
    assert notice["In-Reply-To"] == "<big@example.id>" and notice["Auto-Submitted"] == "auto-replied"
    assert "terlalu besar" in notice["Subject"]


def test_a_forged_sender_quoting_someone_elses_number_opens_their_own_consultation(office: Office) -> None:
    office.imap.deliver(mail("<q1@example.id>"))
    office.read()
    number = office.consultations()[0][0]
    office.imap.deliver(mail("<e1@evil.example>", sender="eve@evil.example", subject=f"Re: Data [{number}]",
                             headers="In-Reply-To: <q1@example.id>"))  # fmt: skip
    office.read()
    [sari, eve] = office.consultations()
    assert sari == (number, "sari@example.id", [""]) and eve[0] != number and eve[1] == "eve@evil.example"


def test_the_consultants_answer_goes_out_in_the_askers_thread(office: Office) -> None:
    office.imap.deliver(mail("<q1@example.id>"))
    office.read()
    number = office.consultations()[0][0]
    budi = person(office.uow, "budi@example.id", roles=(Role.CONSULTANT,), name="Budi Santoso")
    step(office.uow, check_mark_clear, budi, number, RULES, NOW)
    text = "Jumlah penduduk Kota Metro 2024: 172.000 jiwa; tabelnya terlampir."
    table = Attachments(office.store, [Upload("penduduk 2024.csv", b"kecamatan,jiwa\nMetro Pusat,52000\n")])
    step(
        office.uow,
        check_staff_message,
        budi,
        number,
        text,
        StaffMessage.SEND,
        NOW,
        office.post,
        attachments=table,
    )
    office.send_queued()
    answer = office.sent()[-1]
    assert answer["In-Reply-To"] == "<q1@example.id>" and answer["Auto-Submitted"] is None
    assert office.sent()[0]["Message-ID"] in answer["References"]
    assert answer["Subject"] == f"Re: Data penduduk [{number}]"
    assert answer.get_body().get_content().startswith(text)  # type: ignore[union-attr]
    [attached] = answer.iter_attachments()
    assert attached.get_filename() == "penduduk 2024.csv"
    assert attached.get_content() == "kecamatan,jiwa\nMetro Pusat,52000\n"  # type: ignore[attr-defined]


@pytest.mark.parametrize("imap_server", ["own"], indirect=True)  # it stops its server
def test_while_the_mailbox_is_down_the_check_says_so_and_the_mail_waits(office: Office, tmp_path) -> None:
    office.imap.deliver(mail("<q1@example.id>"))
    office.imap.stop()
    run = office.read()
    assert "cannot be reached" in run.trouble and run.taken == 0
    settings = Settings.from_env(
        {}, instance_dir=tmp_path, consultation_imap_host="127.0.0.1",
        consultation_imap_port=office.imap.port, consultation_imap_user=office.imap.user,
        consultation_imap_tls="none",
    )  # fmt: skip
    line = check_mailbox(settings)
    assert not line.ok and "cannot be reached" in line.detail
    office.imap.start()
    assert office.read().taken == 1 and len(office.consultations()) == 1
