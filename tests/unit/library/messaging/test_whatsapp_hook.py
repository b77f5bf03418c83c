"""Reading what WhatsApp posts to the webhook: its signature, messages and statuses, whatever their shape."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest

from library.messaging.whatsapp_hook import Media, read_webhook, signed

NOW = dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC)
OURS = "1055"


def body(*values: dict) -> bytes:
    """Return a webhook body with one change per value."""
    changes = [{"field": "messages", "value": value} for value in values]
    return json.dumps(
        {"object": "whatsapp_business_account", "entry": [{"id": "9", "changes": changes}]}
    ).encode()


def test_the_signature_is_the_bodys_hmac_with_the_app_secret() -> None:
    raw = b'{"entry": []}'
    good = "sha256=" + hmac.new(b"s3cret", raw, hashlib.sha256).hexdigest()
    assert signed("s3cret", raw, good)
    assert signed("s3cret", raw, good.upper().replace("SHA256=", "sha256="))  # hex digits in either case
    assert not signed("s3cret", raw + b" ", good)
    assert not signed("", raw, "sha256=" + hmac.new(b"", raw, hashlib.sha256).hexdigest())  # no secret set
    assert not signed("s3cret", raw, None)
    assert not signed("s3cret", raw, "sha256=zzż")


def test_a_text_message_is_read_with_its_senders_profile_name_time_and_the_message_it_answers() -> None:
    value = {
        "metadata": {"phone_number_id": OURS},
        "contacts": [{"profile": {"name": "Siti\u0007 Aminah"}, "wa_id": "6281234567890"}],
        "messages": [
            {
                "from": "6281234567890",
                "id": "wamid.A1",
                "timestamp": "1790000000",
                "type": "text",
                "text": {"body": "  Data IPM\r\nKota Metro  "},
                "context": {"from": "6281100000000", "id": "wamid.STAFF1"},
            }
        ],
    }
    [message] = read_webhook(body(value), OURS, NOW).messages
    assert (message.wamid, message.sender, message.name) == ("wamid.A1", "+6281234567890", "Siti Aminah")
    assert message.text == "Data IPM\nKota Metro"
    assert message.at == dt.datetime.fromtimestamp(1_790_000_000, dt.UTC)
    assert (message.refers_to, message.media) == ("wamid.STAFF1", None)


def test_files_buttons_and_list_answers_are_read_as_their_caption_or_label() -> None:
    messages = [
        {"from": "628111", "id": "w1", "type": "document",
         "document": {"id": "M1", "mime_type": "application/pdf", "filename": "../tabel.pdf",
                      "caption": "ini"}},
        {"from": "628111", "id": "w2", "type": "image", "image": {"id": "M2", "mime_type": "image/jpeg"}},
        {"from": "628111", "id": "w3", "type": "button", "button": {"payload": "P", "text": "Ya, kirim"}},
        {"from": "628111", "id": "w4", "type": "interactive",
         "interactive": {"type": "list_reply", "list_reply": {"id": "x", "title": "Inflasi"}}},
        {"from": "628111", "id": "w5", "type": "location", "location": {"latitude": 1}},
    ]  # fmt: skip
    read = read_webhook(body({"messages": messages}), OURS, NOW).messages
    assert [m.text for m in read] == ["ini", "", "Ya, kirim", "Inflasi", ""]
    assert read[0].media == Media("M1", "document", "application/pdf", "../tabel.pdf")
    assert read[1].media == Media("M2", "image", "image/jpeg", "")
    assert [m.kind for m in read] == ["document", "image", "button", "interactive", "location"]
    assert all(m.at == NOW for m in read)  # no time stamp: the time it came


def test_statuses_are_read_with_the_platforms_words_for_a_failure() -> None:
    statuses = [
        {"id": "wamid.S1", "status": "delivered", "timestamp": "1790000100", "recipient_id": "628111"},
        {"id": "wamid.S2", "status": "failed", "timestamp": "1790000200",
         "errors": [{"code": 131047, "title": "Re-engagement message"}]},
        {"id": "wamid.S3", "status": "deleted"},
    ]  # fmt: skip
    read = read_webhook(body({"statuses": statuses}), OURS, NOW).statuses
    assert [(s.wamid, s.status, s.note) for s in read] == [
        ("wamid.S1", "delivered", ""),
        ("wamid.S2", "failed", "Re-engagement message"),
    ]


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xff\xfe",
        b"[1, 2]",
        b'{"entry": {"changes": []}}',
        b'{"entry": [{"changes": [{"value": []}]}]}',
        body({"messages": [{"id": "w1", "type": "text", "text": {"body": "no sender"}}]}),
        body({"messages": [{"from": "+62 812", "id": "w1", "type": "text"}]}),
        body({"messages": [{"from": "628111", "type": "text", "text": {"body": "no id"}}]}),
        body({"messages": [{"from": "628111", "id": "w" * 300, "type": "text"}]}),
        body({"messages": "w1", "statuses": {"id": "x"}, "contacts": 3}),
        body({"metadata": {"phone_number_id": "another"}, "messages": [{"from": "628111", "id": "w1"}]}),
    ],
    ids=["empty", "not text", "a list", "entry not a list", "value not an object", "no sender",
         "sender not a number", "no id", "id too long", "lists not lists", "another number of the app"],
)  # fmt: skip
def test_whatever_is_not_of_the_expected_shape_is_skipped_never_an_error(raw: bytes) -> None:
    hook = read_webhook(raw, OURS, NOW)
    assert (hook.messages, hook.statuses) == ((), ())


def test_a_time_stamp_that_is_no_time_is_the_time_it_came() -> None:
    messages = [{"from": "628111", "id": f"w{i}", "type": "text", "timestamp": stamp}
                for i, stamp in enumerate(["x", "-5", "99999999999999999999", None, True])]  # fmt: skip
    assert {m.at for m in read_webhook(body({"messages": messages}), OURS, NOW).messages} == {NOW}
