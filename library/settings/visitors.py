"""The settings about reaching visitors outside the office: their phones, and the slots they book.

Declared apart from the rest (`library.settings.Settings` inherits them), as a group an office
turns on together; each is a PUSTAKA_* variable like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from library.settings.declare import setting as _setting


@dataclass(frozen=True)
class VisitorSettings:
    """Telling visitors on their phone, and appointments."""

    phone_channel: str = _setting(
        "",
        "How visitors who ask for it at the guest book are told on their phone (called, two ahead, "
        "scan ready, the survey link): 'gateway' (an SMS or WhatsApp HTTP gateway), 'whatsapp' (the "
        "WhatsApp Business Cloud API) or empty: not at all (the guest book does not offer it).",
    )
    phone_gateway_url: str = _setting(
        "", "With PUSTAKA_PHONE_CHANNEL=gateway: the URL messages are POSTed to."
    )
    phone_gateway_token: str = _setting(
        "", "The gateway's bearer token (sent as Authorization), if it needs one."
    )
    whatsapp_api_url: str = _setting(
        "https://graph.facebook.com/v21.0", "With PUSTAKA_PHONE_CHANNEL=whatsapp: the Cloud API's base URL."
    )
    whatsapp_phone_number_id: str = _setting("", "The office's WhatsApp business phone number id.")
    whatsapp_token: str = _setting("", "The WhatsApp Cloud API access token (keep the settings file 0640).")
    whatsapp_templates: str = _setting(
        "called=pst_dipanggil,two_ahead=pst_dua_lagi,scan_ready=pst_pindaian_siap,survey=pst_survei",
        "The approved WhatsApp template of each kind of message (kind=name, comma-separated); each "
        "in Indonesian (id) and English (en), as docs/panduan-front-office.md lists their texts.",
    )
    phone_max_per_hour: int = _setting(
        6, "Messages at most to one phone number in an hour; more are held, not sent (a loop never spams)."
    )
    message_texts_dir: str = _setting(
        "",
        "Folder of the office's own message texts (<kind>.<id|en>.txt, or in a sub-folder named by the "
        "office's code). Empty: INSTANCE_DIR/messages.",
    )
