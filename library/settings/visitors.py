"""The settings about reaching visitors outside the office: their phones, and the slots they book.

Declared apart from the rest (`library.settings.Settings` inherits them), as a group an office
turns on together; each is a PUSTAKA_* variable like any other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from library.errors import SettingsError
from library.settings.declare import setting as _setting


@dataclass(frozen=True)
class VisitorSettings:
    """Telling visitors on their phone, and the slots they book."""

    phone_channel: str = _setting(
        "",
        "How visitors who ask for it at the guest book are told on their phone (called, two ahead, "
        "scan ready, the survey link), and askers of online consultations that it was answered: "
        "'gateway' (an SMS or WhatsApp HTTP gateway), 'whatsapp' (the WhatsApp Business Cloud API) or "
        "empty: not at all (the guest book and the consultation form do not offer it).",
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
        "called=pst_dipanggil,two_ahead=pst_dua_lagi,scan_ready=pst_pindaian_siap,survey=pst_survei,"
        "answered=pst_konsultasi_dijawab,reply=pst_konsultasi_balasan",
        "The approved WhatsApp template of each kind of message (kind=name, comma-separated); each "
        "in Indonesian (id) and English (en), as docs/panduan-front-office.md lists their texts.",
    )
    whatsapp_consultations: bool = _setting(
        False,
        "Take messages sent to the office's WhatsApp number as consultations, answered on WhatsApp: "
        "Meta's app calls the webhook <PUSTAKA_BASE_URL>/whatsapp/webhook (needs "
        "PUSTAKA_WHATSAPP_PHONE_NUMBER_ID, PUSTAKA_WHATSAPP_TOKEN, PUSTAKA_WHATSAPP_VERIFY_TOKEN and "
        "PUSTAKA_WHATSAPP_APP_SECRET).",
    )
    whatsapp_verify_token: str = _setting(
        "", "The verify token typed in Meta's app dashboard with the webhook's URL (any long random text)."
    )
    whatsapp_app_secret: str = _setting(
        "", "The Meta app's secret: every webhook POST is signed with it; an unsigned one is refused."
    )
    phone_max_per_hour: int = _setting(
        6, "Messages at most to one phone number in an hour; more are held, not sent (a loop never spams)."
    )
    message_texts_dir: str = _setting(
        "",
        "Folder of the office's own message texts (<kind>.<id|en>.txt, or in a sub-folder named by the "
        "office's code). Empty: INSTANCE_DIR/messages.",
    )
    web_push: bool = _setting(
        False,
        "Offer Web Push on the visitor's status page: their phone's browser is told (called, two ahead, "
        "scan ready, the survey link) through its push service, with the office's VAPID key "
        "(secrets/web_push_key, made on first use). Needs HTTPS (PUSTAKA_BASE_URL) and the internet.",
    )
    web_push_contact: str = _setting(
        "",
        "How push services reach the office about its messages (mailto: or https:); empty: "
        "mailto: PUSTAKA_MAIL_FROM's address.",
    )
    web_push_hosts: str = _setting(
        "fcm.googleapis.com,updates.push.services.mozilla.com,*.push.apple.com,*.notify.windows.com",
        "Push services the office sends to (host names, comma-separated; *.domain matches below it): "
        "a browser's subscription elsewhere is refused, so a visitor cannot aim the office at any address.",
    )
    appointment_services: str = _setting(
        "consultation",
        "Queue services a visitor may book a slot for online at /janji-temu (codes, comma-separated, "
        "e.g. consultation,library); empty: no appointments.",
    )
    appointment_hours: str = _setting(
        "mon-thu 08:00-15:00; fri 08:00-11:00,13:30-15:00",
        "When slots may start, per weekday (mon..sun, ranges with '-', times HH:MM, several ranges "
        "with ','); holidays, cuti bersama and PUSTAKA_OFFICE_CLOSURES have none.",
    )
    appointment_slot_minutes: int = _setting(30, "Length of one appointment slot, in minutes.")
    appointment_capacity: int = _setting(2, "Visitors who may book the same slot of a service.")
    appointment_days_ahead: int = _setting(14, "How many days ahead a slot may be booked (today counts).")
    appointment_grace_minutes: int = _setting(
        15,
        "Minutes after a slot starts that its code is still taken at the kiosk; later, the booking is a "
        "no-show and its seat is free.",
    )


def host_list(text: str) -> tuple[str, ...]:
    """Read a comma-separated list of host names (lower case, no blanks)."""
    return tuple(dict.fromkeys(h.strip().lower() for h in text.split(",") if h.strip()))


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Hours = dict[int, tuple[tuple[dt.time, dt.time], ...]]  # weekday (0: Monday): its ranges


def opening_hours(text: str) -> Hours:
    """Read PUSTAKA_APPOINTMENT_HOURS ("mon-thu 08:00-15:00; fri 08:00-11:00,13:30-15:00")."""
    hours: dict[int, tuple[tuple[dt.time, dt.time], ...]] = {}
    for part in filter(None, (piece.strip() for piece in text.split(";"))):
        days, _, ranges = part.partition(" ")
        first, _, last = days.strip().lower().partition("-")
        try:
            span = range(DAYS.index(first), DAYS.index(last or first) + 1)
            times = tuple(_range(piece) for piece in ranges.split(","))
        except ValueError:
            raise SettingsError(
                "PUSTAKA_APPOINTMENT_HOURS: '%(part)s' is not days and times, as in 'mon-thu 08:00-15:00'.",
                part=part,
            ) from None
        for day in span:
            hours[day] = times
    return hours


def _range(text: str) -> tuple[dt.time, dt.time]:
    """Read "08:00-15:00"; refuse an empty or backward range."""
    start, _, end = text.strip().partition("-")
    begins, ends = dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())
    if ends <= begins:
        raise ValueError(text)
    return begins, ends
