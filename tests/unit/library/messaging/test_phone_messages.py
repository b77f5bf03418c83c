"""Phone messages without a network: numbers as typed, texts in two languages and the office's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from library.errors import SettingsError
from library.messaging.numbers import indonesian_mobile, masked
from library.messaging.texts import MAX_CHARS, render, template
from library.models import MessageKind
from library.settings import Settings
from library.settings.checks import whatsapp_templates


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("0812 3456 7890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("62812345678", "+62812345678"),
        ("(0857) 1234.5678", "+6285712345678"),
        ("81234567890", "+6281234567890"),
        ("0711 356 789", None),  # a landline in Palembang: no WhatsApp, no SMS
        ("+65 8123 4567", None),  # Singapore
        ("0812", None),
        ("08123456789012345", None),
        ("", None),
        ("0812 3456 789x", None),
    ],
)
def test_an_indonesian_mobile_is_written_one_way_and_anything_else_is_not_one(
    typed: str, number: str | None
) -> None:
    assert indonesian_mobile(typed) == number


def test_a_number_is_masked_in_logs() -> None:
    assert masked("+6281234567890") == "+62812****7890"


def test_each_kind_speaks_indonesian_by_default_and_english_when_asked() -> None:
    values = {"office": "BPS Kota Lubuklinggau", "ticket": "P-012", "counter": "Loket 2"}
    assert render(template(MessageKind.CALLED, "id", None, "1873"), values) == (
        "PST BPS Kota Lubuklinggau: nomor antrean P-012 dipanggil. Silakan ke Loket 2."
    )
    assert "queue number P-012 is called" in render(template(MessageKind.CALLED, "en", None, "1873"), values)
    assert template(MessageKind.SURVEY, "fr", None, "1873") == template(
        MessageKind.SURVEY, "id", None, "1873"
    )


def test_the_offices_own_words_win_and_a_typo_in_them_loses_no_message(tmp_path: Path) -> None:
    (tmp_path / "1873").mkdir()
    (tmp_path / "called.id.txt").write_text("Nomor {ticket}, ke {counter} ya.\n")
    (tmp_path / "1873" / "called.id.txt").write_text("Lubuklinggau: {ticket} ke {counter}, {nama}! {")
    assert render(
        template(MessageKind.CALLED, "id", tmp_path, "1872"), {"ticket": "P-1", "counter": "L1"}
    ) == ("Nomor P-1, ke L1 ya.")
    office_own = render(
        template(MessageKind.CALLED, "id", tmp_path, "1873"), {"ticket": "P-1", "counter": "L1"}
    )
    assert office_own == "Lubuklinggau: {ticket} ke {counter}, {nama}! {"  # malformed: sent as typed
    (tmp_path / "1873" / "called.id.txt").write_text("Lubuklinggau: {ticket} ke {counter}, {nama}!")
    assert render(
        template(MessageKind.CALLED, "id", tmp_path, "1873"), {"ticket": "P-1", "counter": "L1"}
    ) == (
        "Lubuklinggau: P-1 ke L1, {nama}!"  # an unknown placeholder stays as typed
    )
    assert len(render("x" * 1000, {})) == MAX_CHARS


def test_the_phone_settings_refuse_what_cannot_send() -> None:
    with pytest.raises(SettingsError, match="PUSTAKA_PHONE_CHANNEL must be"):
        Settings.from_env({"PUSTAKA_PHONE_CHANNEL": "sms"})
    with pytest.raises(SettingsError, match="needs PUSTAKA_PHONE_GATEWAY_URL"):
        Settings.from_env({"PUSTAKA_PHONE_CHANNEL": "gateway"})
    with pytest.raises(SettingsError, match="PUSTAKA_WHATSAPP_PHONE_NUMBER_ID"):
        Settings.from_env({"PUSTAKA_PHONE_CHANNEL": "whatsapp"})
    with pytest.raises(SettingsError, match="names no template for survey"):
        whatsapp_templates("called=a,two_ahead=b,scan_ready=c")
    with pytest.raises(SettingsError, match="'hello' is not kind=template_name"):
        whatsapp_templates("hello")
    assert whatsapp_templates(Settings().whatsapp_templates)["two_ahead"] == "pst_dua_lagi"
