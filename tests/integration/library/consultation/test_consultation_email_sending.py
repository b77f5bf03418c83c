"""The desk's messages leave by email through a real SMTP server (aiosmtpd), in the asker's thread."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from library.consultation.by_email.sending import EmailSender, reply_subject
from library.mail import Mailer, SmtpBackend
from library.messaging.gateways import GatewayAway, GatewayRefused
from library.models import Consultation, ConsultationMessage
from tests.integration.library.dovecot import free_port

NUMBER = "KS-20261123-00007"


@dataclass
class Inbox:
    """What the test SMTP server received; addresses it refuses, and messages it refuses."""

    envelopes: list[Envelope] = field(default_factory=list)
    unknown: set[str] = field(default_factory=set)
    data_answer: str = "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:  # noqa: N802
        if address in self.unknown:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        if self.data_answer.startswith("250"):
            self.envelopes.append(envelope)
        return self.data_answer

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes]  # type: ignore[arg-type,misc]


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[Inbox, int]]:
    """Run a plain SMTP server on a free loopback port."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def consultation() -> Consultation:
    return Consultation(
        number=NUMBER,
        topic="Re: Data penduduk",
        channel="email",
        contact="ani@example.id",
        contact_name="Ani Suryani",
    )


def message(
    row_id: int, body: str, *, staff: bool, author: int | None = None, external: str | None = None
) -> ConsultationMessage:
    return ConsultationMessage(
        id=row_id, body=body, from_staff=staff, author_id=author, channel="email", external_id=external
    )


THREAD = [
    message(1, "Berapa jumlah penduduk?", staff=False, external="<q1@example.id>"),
    message(
        2,
        "Terima kasih, konsultasi diterima.",
        staff=True,
        external="<ks-20261123-00007.2.pustaka@bps.example.id>",
    ),
    message(3, "Untuk tahun berapa?", staff=False, external="<q2@example.id>"),
]


def sender(port: int) -> EmailSender:
    return EmailSender(Mailer(SmtpBackend("127.0.0.1", port), "PST BPS Kota Metro <pst@bps.example.id>"))


def test_a_consultants_answer_leaves_in_the_askers_thread_as_a_persons_mail(smtp_inbox) -> None:
    inbox, port = smtp_inbox
    answer = message(4, "Jumlah penduduk 2024: 172.000 jiwa.", staff=True, author=9)
    sent_id = sender(port)(consultation(), answer, [*THREAD, answer])
    mail = inbox.messages()[0]
    assert sent_id == mail["Message-ID"] == "<ks-20261123-00007.4.pustaka@bps.example.id>"
    assert mail["In-Reply-To"] == "<q2@example.id>"
    assert mail["References"].split() == [
        "<q1@example.id>",
        "<ks-20261123-00007.2.pustaka@bps.example.id>",
        "<q2@example.id>",
    ]
    assert mail["Subject"] == f"Re: Data penduduk [{NUMBER}]"
    assert mail["To"] == "Ani Suryani <ani@example.id>" and "pst@bps.example.id" in mail["From"]
    assert mail["Auto-Submitted"] is None
    text = mail.get_content()  # type: ignore[attr-defined]
    assert text.startswith("Jumlah penduduk 2024: 172.000 jiwa.")
    assert text.index("Balas email ini") < text.index("Reply to this email")


def test_the_acknowledgement_is_auto_replied_and_a_later_notice_auto_generated(smtp_inbox) -> None:
    inbox, port = smtp_inbox
    sender(port)(consultation(), THREAD[1], THREAD[:2])
    answer, reminder = message(4, "Jawaban", staff=True, author=9), message(5, "Pengingat", staff=True)
    sender(port)(consultation(), reminder, [*THREAD, answer, reminder])
    ack, later = inbox.messages()
    assert ack["Auto-Submitted"] == "auto-replied" and ack["In-Reply-To"] == "<q1@example.id>"
    assert later["Auto-Submitted"] == "auto-generated"


def test_a_retry_sends_the_same_message_id(smtp_inbox) -> None:
    inbox, port = smtp_inbox
    answer = message(4, "Jawaban", staff=True, author=9)
    first = sender(port)(consultation(), answer, [*THREAD, answer])
    assert sender(port)(consultation(), answer, [*THREAD, answer]) == first


def test_a_refused_recipient_is_refused_for_good(smtp_inbox) -> None:
    inbox, port = smtp_inbox
    inbox.unknown.add("ani@example.id")
    with pytest.raises(GatewayRefused, match="No such user"):
        sender(port)(consultation(), message(4, "x", staff=True, author=9), THREAD)


@pytest.mark.parametrize(
    ("answer", "error"),
    [("554 5.6.0 Message rejected", GatewayRefused), ("451 4.3.0 Try later", GatewayAway)],
)
def test_a_message_refused_after_data_is_final_for_5xx_and_retried_for_4xx(
    smtp_inbox, answer: str, error: type
) -> None:
    inbox, port = smtp_inbox
    inbox.data_answer = answer
    with pytest.raises(error):
        sender(port)(consultation(), message(4, "x", staff=True, author=9), THREAD)


def test_a_mail_server_that_is_down_is_tried_again_later() -> None:
    with pytest.raises(GatewayAway):
        sender(free_port())(consultation(), message(4, "x", staff=True, author=9), THREAD)


@pytest.mark.parametrize(
    ("topic", "subject"),
    [
        ("Data penduduk", f"Re: Data penduduk [{NUMBER}]"),
        ("RE: Fwd: Data penduduk", f"Re: Data penduduk [{NUMBER}]"),
        (f"Re: Data penduduk [{NUMBER}]", f"Re: Data penduduk [{NUMBER}]"),
        ("", f"Re: Konsultasi [{NUMBER}]"),
    ],
)
def test_the_subject_keeps_one_re_and_one_number_tag(topic: str, subject: str) -> None:
    assert reply_subject(topic, NUMBER) == subject
