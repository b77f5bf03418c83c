"""Consultations by email and WhatsApp: one thread per asker, each message kept once, answers queued back.

The channels' own readers (IMAP, the webhook) and senders are tested with their transports; here
the core they share: what opens, what joins, what is kept once, what goes back and what came of it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from library.consultation.channels import Inbound, InboundFile, take_inbound
from library.consultation.outside import AwaitingReply, record_status, send_outside
from library.consultation.read_models import consultation_view, list_desk
from library.consultation.silence import close_silent
from library.consultation.staff import StaffMessage, check_close, check_mark_clear, check_staff_message
from library.filestore import FileStore
from library.messaging.gateways import GatewayAway
from library.models import (
    ChannelReceipt,
    Consultation,
    ConsultationChannel,
    ConsultationMessage,
    ConsultationStatus,
    MessageDelivery,
    ReceiptOutcome,
    Role,
    SurveyInvitation,
)
from library.quality.respondents import of_contact as contact_respondent
from library.uow import UnitOfWork
from tests.integration.library.consultation.test_consultations import (  # noqa: F401 - offices: autouse
    GOOD,
    NOW,
    RULES,
    offices,
    opened,
    person,
    step,
)

EMAIL, WHATSAPP = ConsultationChannel.EMAIL, ConsultationChannel.WHATSAPP
MAIL = Inbound(
    channel=EMAIL,
    external_id="<q1@mail.example.id>",
    sender="sari@example.id",
    name="Sari Dewi",
    text="Mohon data jumlah penduduk Kota Metro per kecamatan tahun 2024.",
    at=NOW,
    subject="Data penduduk per kecamatan",
)
CHAT = Inbound(
    channel=WHATSAPP,
    external_id="wamid.A1",
    sender="+6281234567890",
    name="Joko",
    text="Halo, saya butuh data inflasi Kota Metro bulanan 2025",
    at=NOW,
)


def take(uow: UnitOfWork, inbound: Inbound, store: FileStore | None = None, post=None):
    with uow:
        taken = take_inbound(uow, inbound, RULES, NOW, post, store)
        uow.commit()
    return taken


def thread(uow: UnitOfWork, number: str) -> list[ConsultationMessage]:
    with uow:
        row = uow.session.scalars(select(Consultation).where(Consultation.number == number)).one()
        return list(row.messages)


def test_a_mail_opens_a_consultation_once_acknowledged_on_its_channel_and_a_reply_joins_it(uow, post) -> None:
    woken: list[int] = []
    post = dataclasses.replace(post, outside_news=woken.append)
    taken = take(uow, MAIL, post=post)
    assert taken.outcome is ReceiptOutcome.OPENED and taken.number.startswith("KS-20261123-")
    assert take(uow, MAIL, post=post).repeated  # the same mail fetched again
    with uow:
        row = uow.session.scalars(select(Consultation)).one()
        assert (row.channel, row.contact, row.user_id, row.topic) == (
            "email",
            "sari@example.id",
            None,
            "Data penduduk per kecamatan",
        )
        assert row.question == MAIL.text and row.status == ConsultationStatus.NEW.value
        assert uow.session.scalar(select(func.count(ChannelReceipt.id))) == 1
    ack = [m for m in thread(uow, taken.number) if m.from_staff]
    assert len(ack) == 1 and ack[0].delivery == MessageDelivery.QUEUED.value and taken.number in ack[0].body
    assert woken == [ack[0].id]  # sent by a job after the commit
    reply = dataclasses.replace(
        MAIL,
        external_id="<q2@mail.example.id>",
        text="Tambahan: per jenis kelamin.",
        refers_to=("<q1@mail.example.id>",),
    )
    assert take(uow, reply).number == taken.number
    assert [m.body for m in thread(uow, taken.number) if not m.from_staff] == [
        "",
        "Tambahan: per jenis kelamin.",
    ]


def test_quoting_a_number_joins_only_from_its_asker_and_a_closed_one_is_never_reopened_by_mail(
    uow, post
) -> None:
    number = take(uow, MAIL).number
    forged = dataclasses.replace(
        MAIL,
        external_id="<x@evil.example>",
        sender="eve@example.id",
        subject=f"Re: [{number}] data",
        text="saya juga",
    )
    assert take(uow, forged).outcome is ReceiptOutcome.OPENED  # her own consultation, not Sari's thread
    again = dataclasses.replace(MAIL, external_id="<q3@mail.example.id>", subject=f"Re: Data [{number}]")
    assert take(uow, again).number == number
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,), name="Budi Santoso")
    step(uow, check_close, budi, number, NOW, post)
    late = dataclasses.replace(MAIL, external_id="<q4@mail.example.id>", subject=f"Re: Data [{number}]")
    assert take(uow, late).number not in ("", number)


def test_a_web_consultation_continues_by_mail_from_its_account_and_keeps_its_channel(uow) -> None:
    ani = person(uow, "ani@example.id")
    number = opened(uow, ani)
    mail = dataclasses.replace(MAIL, sender="ani@example.id", subject=f"Re: Konsultasi {number}")
    assert take(uow, mail).outcome is ReceiptOutcome.JOINED
    with uow:
        row = uow.session.scalars(select(Consultation).where(Consultation.number == number)).one()
        assert row.channel == "web" and [m.channel for m in row.messages] == ["email"]


def test_a_whatsapp_chat_goes_on_in_the_open_consultation_of_its_number(uow, post) -> None:
    number = take(uow, CHAT).number
    assert (
        take(uow, dataclasses.replace(CHAT, external_id="wamid.A2", text="Tahun 2025 saja")).number == number
    )
    other = dataclasses.replace(CHAT, external_id="wamid.B1", sender="+6281111111111")
    assert take(uow, other).number != number
    with uow:
        rows = uow.session.scalars(select(Consultation).order_by(Consultation.id)).all()
        assert rows[0].topic == "Halo, saya butuh data inflasi Kota Metro bulanan 2025"
    desk_user = person(uow, "budi@example.id", roles=(Role.CONSULTANT,), name="Budi Santoso")
    with uow:
        shown = {s.number: (s.user_name, s.channel) for s in list_desk(uow, desk_user)}
    assert shown[number] == ("Joko", WHATSAPP)


def test_files_within_the_forms_limits_are_kept_and_one_refused_is_named_without_losing_the_message(
    uow, tmp_path
) -> None:
    store = FileStore(tmp_path / "files")
    mail = dataclasses.replace(
        MAIL,
        files=(
            InboundFile("tabel.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n"),
            InboundFile("setup.exe", "application/octet-stream", b"MZ\x90\x00binary"),
        ),
    )
    number = take(uow, mail, store).number
    with uow:
        row = uow.session.scalars(select(Consultation)).one()
        assert [a.original_name for a in row.attachments] == ["tabel.pdf"]
        assert row.attachments[0].uploaded_by is None
        assert "setup.exe" in row.question and row.question.startswith(MAIL.text)
    acks = [m.body for m in thread(uow, number) if m.from_staff]
    assert "Sebagian lampiran tidak dapat kami terima" in acks[0]


class Channel:
    """A channel that records what it sent, or answers as told."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.answer: Exception | None = None

    def __call__(self, row, message, thread) -> str:
        if self.answer is not None:
            raise self.answer
        self.sent.append(message.body)
        return f"wamid.out{len(self.sent)}"


def test_the_answer_goes_back_on_the_channel_its_statuses_only_advance_and_a_channel_away_is_tried_again(
    uow, post
) -> None:
    number = take(uow, CHAT).number
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,), name="Budi Santoso")
    step(uow, check_mark_clear, budi, number, RULES, NOW)
    step(
        uow,
        check_staff_message,
        budi,
        number,
        "Inflasi 2025: lihat tabel terlampir.",
        StaffMessage.SEND,
        NOW,
        post,
    )
    answer = [m for m in thread(uow, number) if m.author_id is not None][0]
    assert (answer.channel, answer.delivery) == ("whatsapp", "queued")
    channel = Channel()
    factory = uow._session_factory
    channel.answer = GatewayAway("503 from the platform")
    with pytest.raises(GatewayAway):
        send_outside(factory, answer.id, {"whatsapp": channel}, lambda: NOW)
    channel.answer = AwaitingReply("awaiting the asker's reply: template sent")
    assert send_outside(factory, answer.id, {"whatsapp": channel}, lambda: NOW) is MessageDelivery.QUEUED
    channel.answer = None
    assert send_outside(factory, answer.id, {"whatsapp": channel}, lambda: NOW) is MessageDelivery.SENT
    assert send_outside(factory, answer.id, {"whatsapp": channel}, lambda: NOW) is None  # sent once
    assert channel.sent == ["Inflasi 2025: lihat tabel terlampir."]
    later = NOW + dt.timedelta(minutes=5)
    for status in (MessageDelivery.READ, MessageDelivery.DELIVERED):
        with uow:
            assert record_status(uow, WHATSAPP, "wamid.out1", status, later)
            uow.commit()
    with uow:
        assert not record_status(uow, WHATSAPP, "wamid.unknown", MessageDelivery.READ, later)
        shown = consultation_view(uow, budi, number).messages
    assert [(m.delivery, m.automatic) for m in shown if m.from_staff] == [
        (MessageDelivery.QUEUED, True),  # the acknowledgement: no job ran it here
        (MessageDelivery.READ, False),
    ]


def test_a_channel_away_for_a_day_fails_the_message_for_staff_to_see(uow) -> None:
    number = take(uow, CHAT).number
    ack = [m for m in thread(uow, number) if m.from_staff][0]
    channel = Channel()
    channel.answer = GatewayAway("timeout")
    day_later = NOW + dt.timedelta(days=1, minutes=1)
    got = send_outside(uow._session_factory, ack.id, {"whatsapp": channel}, lambda: day_later)
    assert got is MessageDelivery.FAILED
    assert [m.delivery_note for m in thread(uow, number) if m.from_staff] == ["timeout"]


def test_closing_sends_the_survey_on_the_channel_and_counts_the_asker_by_their_address(uow, post) -> None:
    number = take(uow, MAIL).number
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,), name="Budi Santoso")
    token = step(uow, check_close, budi, number, NOW, post)
    notices = [m.body for m in thread(uow, number) if m.from_staff]
    assert f"https://pst.example.id/survei/{token}" in notices[-1]
    with uow:
        invitation = uow.session.scalars(select(SurveyInvitation)).one()
        assert invitation.respondent == contact_respondent("email", "sari@example.id")
    assert GOOD.topic  # the web form's question stays what it was


def test_a_silent_asker_by_whatsapp_is_reminded_there_and_the_reminder_does_not_restart_the_silence(
    uow, post
) -> None:
    number = take(uow, CHAT).number
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,), name="Budi Santoso")
    step(uow, check_mark_clear, budi, number, RULES, NOW)
    step(
        uow, check_staff_message, budi, number, "Inflasi 2025 ada di tabel ini.", StaffMessage.SEND, NOW, post
    )
    reminded = step(uow, close_silent, RULES, NOW + dt.timedelta(days=5), post)
    assert reminded.reminded == [number]
    notice = [m for m in thread(uow, number) if m.from_staff][-1]
    assert notice.author_id is None and notice.delivery == "queued" and "menunggu balasan Anda" in notice.body
    closed = step(uow, close_silent, RULES, NOW + dt.timedelta(days=8), post)
    assert closed.closed == [number]  # seven days after the answer, not after the reminder
    assert "Mohon nilai layanan kami" in [m for m in thread(uow, number) if m.from_staff][-1].body
