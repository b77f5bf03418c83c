"""WhatsApp consultations end to end: signed webhook deliveries in, the desk's answers out by the Cloud API.

Meta is played twice on this machine: the test posts signed deliveries to the webhook, and the
recording server (tests/phone_gateway.py) plays the Cloud API, which takes the office's messages
and serves the files people sent. The jobs run in the request, after its commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.consultation.whatsapp_channel import keep_media
from library.messaging.gateways import GatewayAway
from library.messaging.whatsapp_hook import Media
from library.models import (
    ChannelReceipt,
    Consultation,
    MessageDelivery,
    Role,
)
from tests.connections import ConnectionCount
from tests.functional.accounts.helpers import make_person, sign_in, submit
from tests.functional.messaging.test_whatsapp_webhook import (
    post_signed,
    text_payload,
    webhook_body,
    whatsapp_app,
)
from tests.phone_gateway import PhoneGateway

NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)  # a Monday, 10:00 in Jakarta
SENDER = "6281234567890"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 300


class Clock:
    """The app's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = NOW

    def stamp(self) -> int:
        """Return the time now as WhatsApp writes it."""
        return int(self.now.timestamp())


@pytest.fixture
def clock() -> Clock:
    """The test's clock."""
    return Clock()


@pytest.fixture
def chat(instance_dir: Path, phone_gateway: PhoneGateway, clock: Clock) -> Iterator[Flask]:
    """The app taking WhatsApp consultations, its jobs run at once, on the test's clock."""
    app = whatsapp_app(instance_dir, phone_gateway.url)
    rt = app.extensions["pustaka"]
    rt.jobs.immediate = True
    rt.now = lambda: clock.now
    phone_gateway.media_token = "cloud-token"
    count = ConnectionCount(app.wsgi_app)
    app.wsgi_app = count  # type: ignore[method-assign]
    yield app
    rt.close()
    assert not count.seconds, "A request held two database connections at once:\n" + "\n".join(count.seconds)


def say(app: Flask, clock: Clock, wamid: str, text: str, sender: str = SENDER) -> None:
    """Post one signed text message from the sender, sent now; it must be answered 200."""
    assert post_signed(app.test_client(), text_payload(wamid, sender, text, stamp=clock.stamp())) == 200


def consultations(app: Flask) -> list[Consultation]:
    """Return every consultation with its messages and files, in order."""
    with app.extensions["pustaka"].uow() as uow:
        rows = list(uow.session.scalars(select(Consultation).order_by(Consultation.id)))
        for row in rows:
            _ = row.messages, row.attachments
        uow.session.expunge_all()
        return rows


def sent(gateway: PhoneGateway) -> list[dict]:
    """Return the messages the office sent through the Cloud API, in order."""
    return [r.body for r in gateway.received if r.path.endswith("/messages")]


def desk_of(app: Flask, number: str) -> tuple[FlaskClient, str]:
    """Sign a consultant in; return their client and the consultation's desk page."""
    consultant = app.test_client()
    sign_in(consultant, make_person(app, "konsultan@example.id", roles=(Role.CONSULTANT,), name="Rina"))
    return consultant, f"/meja/konsultasi/{number}"


def test_a_new_number_opens_a_consultation_acknowledged_by_text_and_its_next_message_joins_it(
    chat: Flask, phone_gateway: PhoneGateway, clock: Clock
) -> None:
    say(chat, clock, "wamid.IN1", "Halo, saya butuh data inflasi Kota Metro bulanan 2025")
    [row] = consultations(chat)
    assert (row.channel, row.contact, row.contact_name) == ("whatsapp", "+" + SENDER, "Budi")
    assert row.question.startswith("Halo, saya butuh data inflasi")
    [ack] = sent(phone_gateway)
    assert (ack["to"], ack["type"]) == (SENDER, "text") and row.number in ack["text"]["body"]
    clock.now += dt.timedelta(minutes=3)
    say(chat, clock, "wamid.IN2", "Yang bulanan, per kelompok pengeluaran.")
    [row] = consultations(chat)
    assert [m.body for m in row.messages if not m.from_staff][-1] == "Yang bulanan, per kelompok pengeluaran."
    assert len(sent(phone_gateway)) == 1  # a message joining the thread is not acknowledged again


def test_a_delivery_repeated_by_meta_is_answered_200_and_kept_once(
    chat: Flask, phone_gateway: PhoneGateway, clock: Clock
) -> None:
    body = text_payload("wamid.TWICE", SENDER, "Data kemiskinan 2024", stamp=clock.stamp())
    assert post_signed(chat.test_client(), body) == 200
    assert post_signed(chat.test_client(), body) == 200
    [row] = consultations(chat)
    assert [m.external_id for m in row.messages if not m.from_staff] == ["wamid.TWICE"]
    assert len(sent(phone_gateway)) == 1
    with chat.extensions["pustaka"].uow() as uow:
        assert list(uow.session.scalars(select(ChannelReceipt.external_id))) == ["wamid.TWICE"]


def media_message(wamid: str, kind: str, media_id: str, clock: Clock, **part: str) -> dict:
    """Return a message carrying a file, as Meta sends it."""
    return {
        "from": SENDER,
        "id": wamid,
        "timestamp": str(clock.stamp()),
        "type": kind,
        kind: {"id": media_id, **part},
    }


def test_files_sent_are_kept_as_attachments_and_those_that_cannot_be_are_noted_in_the_thread(
    chat: Flask, phone_gateway: PhoneGateway, clock: Clock
) -> None:
    phone_gateway.media["PIC"] = ("image/jpeg", JPEG)
    phone_gateway.media["BIG"] = ("application/pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024))
    phone_gateway.media["ZIP"] = ("application/zip", b"PK\x03\x04 not an office file")
    client = chat.test_client()
    assert (
        post_signed(
            client, webhook_body([media_message("wamid.M1", "image", "PIC", clock, caption="Tabel ini")])
        )
        == 200
    )
    later = [
        media_message("wamid.M2", "document", "BIG", clock, filename="sensus.pdf"),
        media_message("wamid.M3", "document", "ZIP", clock, filename="data.zip"),
        media_message("wamid.M4", "document", "GONE", clock, filename="hilang.pdf"),
        media_message("wamid.M5", "audio", "VOICE", clock),
    ]
    assert post_signed(client, webhook_body(later)) == 200
    [row] = consultations(chat)
    [picture] = row.attachments
    assert (picture.media_type, picture.message_id, picture.uploaded_by) == ("image/jpeg", None, None)
    assert row.question == "[Gambar / Picture]\nTabel ini"
    notes = [m.body for m in row.messages if not m.from_staff and m.body]
    assert "lebih besar dari 5 MB" in notes[0] and "larger than 5 MB" in notes[0]
    assert "hanya PDF, JPEG, PNG, XLSX, DOCX dan CSV" in notes[1]
    assert "tidak dapat diambil dari WhatsApp" in notes[2]
    assert notes[3].startswith("[Pesan suara / Voice message] [Berkas tidak disimpan")
    assert "/files/BIG" not in phone_gateway.fetched and not any("VOICE" in p for p in phone_gateway.fetched)


def test_the_platforms_statuses_are_shown_on_the_desks_thread(
    chat: Flask, phone_gateway: PhoneGateway, clock: Clock
) -> None:
    say(chat, clock, "wamid.IN1", "Data IPM Lampung 2024")
    [row] = consultations(chat)
    [ack] = [m for m in row.messages if m.from_staff]
    assert (ack.delivery, ack.external_id) == (MessageDelivery.SENT.value, "wamid.1")
    consultant, desk = desk_of(chat, row.number)
    assert "delivery-sent" in consultant.get(desk).get_data(as_text=True)
    for status in ("delivered", "read"):
        update = {"id": "wamid.1", "status": status, "timestamp": str(clock.stamp()), "recipient_id": SENDER}
        assert post_signed(chat.test_client(), webhook_body(statuses=[update])) == 200
    assert "delivery-read" in consultant.get(desk).get_data(as_text=True)
    failed = {
        "id": "wamid.1",
        "status": "failed",
        "errors": [{"code": 131026, "title": "Message undeliverable"}],
    }
    assert post_signed(chat.test_client(), webhook_body(statuses=[failed])) == 200
    html = consultant.get(desk).get_data(as_text=True)
    assert "delivery-failed" in html and "Message undeliverable" in html


def test_an_answer_within_the_window_goes_as_text_and_outside_it_waits_for_the_reply_a_template_invites(
    chat: Flask, phone_gateway: PhoneGateway, clock: Clock
) -> None:
    say(chat, clock, "wamid.IN1", "Data PDRB Kota Metro 2024")
    [row] = consultations(chat)
    consultant, desk = desk_of(chat, row.number)
    note = {"body": "Yang harga berlaku atau harga konstan?", "action": "ask"}
    assert submit(consultant, f"{desk}/pesan", note, form_page=desk).status_code == 303
    assert sent(phone_gateway)[-1]["text"]["body"] == "Yang harga berlaku atau harga konstan?"

    clock.now += dt.timedelta(hours=25)
    later = {"body": "Kami kirim keduanya.", "action": "ask"}
    assert submit(consultant, f"{desk}/pesan", later, form_page=desk).status_code == 303
    invitation = sent(phone_gateway)[-1]
    assert (invitation["type"], invitation["template"]["name"]) == ("template", "pst_konsultasi_balasan")
    assert invitation["template"]["components"][0]["parameters"] == [{"type": "text", "text": row.number}]
    waiting = [m for m in consultations(chat)[0].messages if m.body == "Kami kirim keduanya."]
    assert waiting[0].delivery == MessageDelivery.QUEUED.value
    again = {"body": "Juga per lapangan usaha.", "action": "ask"}
    assert submit(consultant, f"{desk}/pesan", again, form_page=desk).status_code == 303
    assert len(sent(phone_gateway)) == 3  # one invitation for the silence, not one per message

    clock.now += dt.timedelta(hours=2)
    say(chat, clock, "wamid.IN2", "Ya")
    bodies = [m["text"]["body"] for m in sent(phone_gateway)[3:]]
    assert bodies == ["Kami kirim keduanya.", "Juga per lapangan usaha."]
    deliveries = {m.body: m.delivery for m in consultations(chat)[0].messages if m.from_staff}
    assert (
        deliveries["Kami kirim keduanya."]
        == deliveries["Juga per lapangan usaha."]
        == MessageDelivery.SENT.value
    )


def test_a_refusal_by_the_platform_marks_the_answer_not_delivered_with_its_words(
    chat: Flask, phone_gateway: PhoneGateway, clock: Clock
) -> None:
    say(chat, clock, "wamid.IN1", "Data IPM Lampung 2024")
    [row] = consultations(chat)
    consultant, desk = desk_of(chat, row.number)
    phone_gateway.status = 400
    note = {"body": "Untuk kabupaten mana?", "action": "ask"}
    assert submit(consultant, f"{desk}/pesan", note, form_page=desk).status_code == 303
    [asked] = [m for m in consultations(chat)[0].messages if m.body == "Untuk kabupaten mana?"]
    assert (asked.delivery, asked.delivery_note) == (MessageDelivery.FAILED.value, "refused by the test")


def test_the_log_counts_each_delivery(chat: Flask, clock: Clock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="webapp.whatsapp.views")
    say(chat, clock, "wamid.IN1", "Data IPM Lampung 2024")
    say(chat, clock, "wamid.IN1", "Data IPM Lampung 2024")
    lines = [r.getMessage() for r in caplog.records if r.name == "webapp.whatsapp.views"]
    assert lines == [
        "WhatsApp webhook: messages=1 taken=1 opened=1 repeated=0 failed=0 statuses=0 recorded=0",
        "WhatsApp webhook: messages=1 taken=0 opened=0 repeated=1 failed=0 statuses=0 recorded=0",
    ]


def test_a_new_question_opens_the_window_for_what_waits_on_the_numbers_older_consultation(
    chat: Flask, phone_gateway: PhoneGateway, clock: Clock
) -> None:
    say(chat, clock, "wamid.IN1", "Data IPM Lampung 2024")
    [first] = consultations(chat)
    consultant, desk = desk_of(chat, first.number)
    clock.now += dt.timedelta(hours=30)
    assert submit(consultant, f"{desk}/tutup", {}, form_page=desk).status_code == 303
    assert sent(phone_gateway)[-1]["type"] == "template"  # the closing notice waits for a reply

    clock.now += dt.timedelta(hours=1)
    say(chat, clock, "wamid.IN2", "Pertanyaan lain: data NTP 2025")
    older, newer = consultations(chat)
    assert (older.number, newer.contact) == (first.number, "+" + SENDER)
    texts = [m["text"]["body"] for m in sent(phone_gateway)[2:]]
    assert any(newer.number in text for text in texts)  # the new one's acknowledgement
    assert any(f"Konsultasi {first.number} telah selesai" in text for text in texts)  # the older one's notice


def test_a_reaction_is_kept_as_a_receipt_set_aside_and_opens_nothing(
    chat: Flask, phone_gateway: PhoneGateway, clock: Clock
) -> None:
    reaction = {
        "from": SENDER,
        "id": "wamid.R1",
        "type": "reaction",
        "reaction": {"message_id": "wamid.1", "emoji": "👍"},
    }
    assert post_signed(chat.test_client(), webhook_body([reaction])) == 200
    assert consultations(chat) == [] and sent(phone_gateway) == []
    with chat.extensions["pustaka"].uow() as uow:
        [receipt] = uow.session.scalars(select(ChannelReceipt)).all()
        assert (receipt.external_id, receipt.outcome, receipt.note) == ("wamid.R1", "set_aside", "reaction")


def fetch_again(app: Flask, wamid: str, media_id: str, name: str, at: dt.datetime) -> str:
    """Run the file's job again at a later time, as the queue does after a try that failed."""
    rt = app.extensions["pustaka"]
    return keep_media(rt.uow, rt.whatsapp_api(), rt.store, wamid, Media(media_id, "document", "", name), at)


def test_a_file_the_platform_cannot_give_yet_is_tried_again_and_noted_only_once_patience_runs_out(
    chat: Flask, phone_gateway: PhoneGateway, clock: Clock
) -> None:
    phone_gateway.media_status = 503
    sent_files = [
        media_message("wamid.M1", "document", "DOC", clock, filename="tabel.pdf", caption="Tabel ini"),
        media_message("wamid.M2", "document", "LATE", clock, filename="lampiran.pdf"),
    ]
    assert post_signed(chat.test_client(), webhook_body(sent_files)) == 200
    [row] = consultations(chat)
    assert (
        row.attachments == [] and row.question == "[Dokumen / Document]\nTabel ini"
    )  # not noted: tried again

    with pytest.raises(GatewayAway):
        fetch_again(chat, "wamid.M1", "DOC", "tabel.pdf", clock.now + dt.timedelta(minutes=5))
    phone_gateway.media_status = 200
    phone_gateway.media["DOC"] = ("application/pdf", b"%PDF-1.4 tabel")
    kept = fetch_again(chat, "wamid.M1", "DOC", "tabel.pdf", clock.now + dt.timedelta(minutes=5))
    phone_gateway.media_status = 503
    late = fetch_again(chat, "wamid.M2", "LATE", "lampiran.pdf", clock.now + dt.timedelta(minutes=20))
    assert (kept, late) == ("kept", "unavailable")
    [row] = consultations(chat)
    assert [a.original_name for a in row.attachments] == ["tabel.pdf"]
    assert [m.body for m in row.messages if not m.from_staff and m.body] == [
        "[Dokumen / Document]\n[Berkas tidak dapat diambil dari WhatsApp. / "
        "The file could not be fetched from WhatsApp.]"
    ]
