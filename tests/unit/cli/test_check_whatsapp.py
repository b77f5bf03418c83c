"""`pustaka check` says whether the WhatsApp webhook has what it needs, and where Meta must call it."""

from __future__ import annotations

from cli.check_whatsapp import check_whatsapp
from library.settings import Settings
from library.settings.checks import whatsapp_templates

COMPLETE = {
    "whatsapp_consultations": True,
    "whatsapp_verify_token": "v",
    "whatsapp_app_secret": "s",
    "whatsapp_phone_number_id": "1055",
    "whatsapp_token": "t",
    "base_url": "https://pst.example.go.id/",
}


def test_the_whatsapp_line_is_fine_and_optional_while_the_channel_is_off() -> None:
    line = check_whatsapp(Settings.from_env({}))
    assert line.ok and not line.required and "off" in line.detail


def test_the_whatsapp_line_names_the_webhook_to_register_when_its_settings_are_complete() -> None:
    line = check_whatsapp(Settings.from_env({}, **COMPLETE))
    assert line.ok and "https://pst.example.go.id/whatsapp/webhook" in line.detail


def test_the_whatsapp_line_names_each_setting_missing_when_the_channel_is_on() -> None:
    line = check_whatsapp(
        Settings.from_env({}, **{**COMPLETE, "whatsapp_verify_token": "", "whatsapp_app_secret": ""})
    )
    assert not line.ok and line.required
    assert "PUSTAKA_WHATSAPP_VERIFY_TOKEN, PUSTAKA_WHATSAPP_APP_SECRET not set" in line.detail


def test_the_whatsapp_line_fails_on_a_site_meta_cannot_call() -> None:
    line = check_whatsapp(Settings.from_env({}, **{**COMPLETE, "base_url": "http://10.0.0.5:8000"}))
    assert not line.ok and "not HTTPS" in line.detail


def test_an_offices_template_list_from_before_the_whatsapp_channel_has_the_invitations_default_name() -> None:
    names = whatsapp_templates("called=a,two_ahead=b,scan_ready=c,survey=d")
    assert names["reply"] == "pst_konsultasi_balasan"
