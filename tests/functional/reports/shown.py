"""The expected figures written as each format writes them: the page, the CSV files, the PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from library import clock as dates
from library.frontoffice.categories import AGE_BANDS, EDUCATIONS, OCCUPATIONS, SEXES, Category
from library.models import ComplaintStatus, DeliveryChannel, Referral, RequestStatus
from library.models.labels import COMPLAINT_STATUSES, DELIVERY_CHANNELS, REFERRALS, REQUEST_STATUSES
from library.quality.elements import BY_CODE
from library.quality.ikm import Grade
from tests.functional.reports.expected import Row

ONE_DECIMAL = {
    "share_percent",
    "within_target_percent",
    "median_wait_minutes",
    "p90_wait_minutes",
    "waited_minutes",
}
ONE_DECIMAL |= {"median_hours", "p90_hours", "median_hours_to_clarification", "median_hours_to_answer"}
TWO_DECIMALS = {"ikm", "nrr"}
DATES = {"day", "submitted", "due", "answered_on"}
Translate = Callable[[str], str]
CONSULTATION_CHANNELS = {
    "web": "Pustaka website",
    "email": "Email",
    "whatsapp": "WhatsApp",
    "phone": "Telephone",
    "social": "Social media",
    "walk_in": "Walk-in",
}
LABELLED: dict[str, Callable[[object], str]] = {  # codes named by a catalogue message
    "consultation_channel": lambda code: CONSULTATION_CHANNELS[str(code)],
    "referral": lambda code: REFERRALS[Referral(str(code))],
}
SERVICES = {
    "library": ("Perpustakaan", "Library"),
    "consultation": ("Konsultasi Statistik", "Statistical consultation"),
}

WEEKDAYS = {
    "monday": ("Senin", "Monday"),
    "tuesday": ("Selasa", "Tuesday"),
    "wednesday": ("Rabu", "Wednesday"),
    "thursday": ("Kamis", "Thursday"),
    "friday": ("Jumat", "Friday"),
    "saturday": ("Sabtu", "Saturday"),
    "sunday": ("Minggu", "Sunday"),
}
MONTHS = {"2026-11": ("November 2026", "November 2026")}
IN_BOTH = {"weekday": WEEKDAYS, "month": MONTHS}  # names from data, not the catalogue


def answer(categories: tuple[Category, ...]) -> Callable[[object, Translate], str]:
    """Return the words of a guest-book answer's code: its category's label, or "Not recorded"."""
    return lambda v, t: t(next((c.label for c in categories if c.code == v), "Not recorded"))


# The words of named values, by column.
NAMES: dict[str, Callable[[object, Translate], str]] = {
    "channel": lambda v, t: t(DELIVERY_CHANNELS[DeliveryChannel(v)]),
    "status": lambda v, t: t(REQUEST_STATUSES[RequestStatus(v)]),
    "complaint_status": lambda v, t: t(COMPLAINT_STATUSES[ComplaintStatus(v)]),
    "skm_element": lambda v, t: t("Not classified yet") if v == "none" else t(BY_CODE[str(v)].name),
    "element": lambda v, t: t(BY_CODE[str(v)].name),
    "grade": lambda v, t: f"{v} ({t(Grade(v).label)})",
    "consultation_channel": lambda v, t: t(CONSULTATION_CHANNELS[str(v)]),
    "referral": lambda v, t: t(REFERRALS[Referral(str(v))]),
    "education": answer(EDUCATIONS),
    "occupation": answer(OCCUPATIONS),
    "age_band": answer(AGE_BANDS),
    "sex": answer(SEXES),
    "sample": lambda v, t: t({"enough": "Enough", "too_small": "Below the minimum"}[str(v)]),
}


def words(key: str, value: object, language: str, translate: Translate, *, csv: bool = False) -> str:
    """Return one expected cell as the page, the PDF or (`csv`) a CSV file writes it.

    `translate` gives the catalogue's words. A CSV file writes nothing for nothing to measure,
    dates the ISO way and decimals with a point.
    """
    if value is None:
        return "" if csv else "\u2013"
    if key in DATES:
        day = dt.date.fromisoformat(str(value))
        return day.isoformat() if csv else dates.day_text(day, language, width="medium")
    if key == "service":
        if value == "all":
            return translate("All services")
        indonesian, english = SERVICES[str(value)]
        return english if language == "en" else indonesian
    if key in IN_BOTH:
        indonesian, english = IN_BOTH[key][str(value)]
        return english if language == "en" else indonesian
    if key in NAMES:
        return NAMES[key](value, translate)
    decimal = "," if language == "id" and not csv else "."
    if key in ONE_DECIMAL:
        return f"{value:.1f}".replace(".", decimal)
    if key in TWO_DECIMALS:
        return f"{value:.2f}".replace(".", decimal)
    return str(value)


def row_words(row: Row, language: str, translate: Translate, *, csv: bool = False) -> list[str]:
    """Return an expected row's cells in words."""
    return [words(key, value, language, translate, csv=csv) for key, value in row.items()]
