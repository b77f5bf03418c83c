"""What the thread shows of a WhatsApp message: its text, a file's kind and caption, or what it was."""

from __future__ import annotations

import datetime as dt

import pytest

from library.consultation.whatsapp_channel import inbound_of
from library.messaging.whatsapp_hook import Media, WhatsAppMessage
from library.models import ConsultationChannel

WRONG_TYPE = (
    "[Berkas tidak disimpan: hanya PDF, JPEG, PNG, XLSX, DOCX dan CSV yang diterima. / "
    "The file was not kept: only PDF, JPEG, PNG, XLSX, DOCX and CSV files are accepted.]"
)
NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)


def message(kind: str, text: str = "", media: Media | None = None, refers_to: str = "") -> WhatsAppMessage:
    """Return a message from Budi of the kind given."""
    return WhatsAppMessage("wamid.X", "+628111", "Budi", NOW, kind, text, refers_to, media)


def test_a_reply_to_the_offices_message_names_it_for_the_thread_it_joins() -> None:
    inbound = inbound_of(message("text", "Ya, yang bulanan", refers_to="wamid.STAFF"))
    assert (inbound.channel, inbound.external_id, inbound.sender) == (
        ConsultationChannel.WHATSAPP,
        "wamid.X",
        "+628111",
    )
    assert (inbound.text, inbound.refers_to, inbound.files) == ("Ya, yang bulanan", ("wamid.STAFF",), ())


@pytest.mark.parametrize(
    ("kind", "text", "shown"),
    [
        ("image", "Tabel ini", "[Gambar / Picture]\nTabel ini"),
        ("document", "", "[Dokumen / Document]"),
        ("video", "lihat", f"[Video / Video] {WRONG_TYPE}\nlihat"),
        ("button", "Ya, kirim", "Ya, kirim"),
        ("location", "", "[Pesan WhatsApp jenis 'location' tidak dapat dibaca / "
                         "A WhatsApp 'location' message cannot be read]"),
    ],
)  # fmt: skip
def test_the_thread_shows_a_files_kind_and_names_what_cannot_be_read(
    kind: str, text: str, shown: str
) -> None:
    assert inbound_of(message(kind, text)).text == shown
