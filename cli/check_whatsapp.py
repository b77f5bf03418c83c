"""`pustaka check`'s line about WhatsApp consultations: whether the webhook has what it needs, and its URL."""

from __future__ import annotations

from cli.check_result import Check
from library.settings import Settings

NAME = "whatsapp consultations"
PATH = "/whatsapp/webhook"


def check_whatsapp(settings: Settings) -> Check:
    """Say whether the WhatsApp webhook's settings are complete, and the URL to register with Meta."""
    if not settings.whatsapp_consultations:
        return Check(NAME, True, "off (PUSTAKA_WHATSAPP_CONSULTATIONS)", required=False)
    needed = {
        "PUSTAKA_WHATSAPP_VERIFY_TOKEN": settings.whatsapp_verify_token,
        "PUSTAKA_WHATSAPP_APP_SECRET": settings.whatsapp_app_secret,
        "PUSTAKA_WHATSAPP_PHONE_NUMBER_ID": settings.whatsapp_phone_number_id,
        "PUSTAKA_WHATSAPP_TOKEN": settings.whatsapp_token,
    }
    missing = [name for name, value in needed.items() if not value]
    url = settings.base_url.rstrip("/") + PATH
    if missing:
        return Check(
            NAME,
            False,
            f"on, but {', '.join(missing)} not set: the webhook refuses every delivery and answers nothing",
            "Copy them from the Meta app's dashboard (docs/panduan-konsultan.md, WhatsApp).",
        )
    if not url.startswith("https://"):
        return Check(
            NAME,
            False,
            f"the webhook {url} is not HTTPS: Meta calls HTTPS addresses only",
            "Serve Pustaka over HTTPS and set PUSTAKA_BASE_URL to it.",
        )
    return Check(NAME, True, f"verify token and app secret set; register the webhook {url} with Meta")
