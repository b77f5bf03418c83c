"""The guest book's answers: the entry as sent, its checks, and the form's signed opening time.

Split from `guest_book` (which records the visit and its tickets): what a person typed is
checked here, every wrong answer at once, each on its field.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from library.accounts.ratelimit import (
    GUEST_BOOK,
    GUEST_BOOK_DAY,
    GUEST_BOOK_KIOSK,
    GUEST_BOOK_KIOSK_DAY,
    Throttle,
)
from library.accounts.registration import clean_institution
from library.accounts.users import check_text_field, clean_email, clean_name, clean_occupation
from library.errors import InvalidField, InvalidInput
from library.frontoffice.categories import AGE_BANDS, EDUCATIONS, SEXES, Category, is_category
from library.i18n import N_
from library.messaging.numbers import indonesian_mobile
from library.models import Booking, Office
from library.tokens import LinkExpired, LinkInvalid, Purpose, make_token, read_token
from library.uow import UnitOfWork

# How long a form may stay open before it must be sent again, and the least time a person
# takes to fill it in: a faster one was sent by a program.
FORM_STARTED = Purpose("pustaka.guest-book.started", dt.timedelta(hours=3))
FASTEST_BY_HAND = dt.timedelta(seconds=3)
MAX_PURPOSE_LENGTH = 500
MAX_PHONE_LENGTH = 30
_PHONE = re.compile(r"\+?[0-9 ]+")
_PHONE_DIGITS = (6, 15)  # a local number at least; at most what an international number has


REPEAT_MINUTES = 10  # a second entry of the same name this soon is asked to confirm
SAME_NAME_RECENTLY = N_(
    "%(name)s signed this guest book in the last %(minutes)s minutes. If that was you, your queue "
    "number is already taken: there is no need to sign again (ask the front office if you lost your "
    "ticket). If you are another visitor with the same name, tick the box below and send the form again."
)
LANGUAGES = ("id", "en")  # the languages a visit may be held in
PHONE_FOR_MESSAGES = N_(
    "To be sent messages, write an Indonesian mobile number, for example 0812 3456 7890 (or untick the box)."
)


@dataclass(frozen=True)
class GuestBookEntry:
    """What a visitor fills in at the kiosk, as sent (codes for the categories and services)."""

    name: str = ""
    sex: str = ""
    age_band: str = ""
    occupation: str = ""
    education: str = ""
    institution: str = ""
    phone: str = ""
    email: str = ""
    purpose: str = ""
    services: tuple[str, ...] = ()  # QueueService codes: "library", "consultation", ...
    form_started: str = ""  # the signed time the form was opened (`start_form`)
    honeypot: str = ""  # a field hidden from people: only a program fills it in
    language: str = ""  # the language the form was filled in: "id" or "en"
    same_name_confirmed: bool = False  # the visitor says a recent entry of this name is another's
    phone_consent: bool = False  # the visitor asks to be told on that phone (WhatsApp or SMS)
    appointment_code: str = ""  # the code of a slot booked online (`appointments.check_in`)
    priority: str = ""  # the priority group declared (`queue.priority`), "" for none


@dataclass(frozen=True)
class GuestBookGuard:
    """What protects the public guest book: the key that signs form times, and the rate limits."""

    secret: bytes
    throttle: Throttle
    # The front office's own tablets: a group signs in there one after another (higher limits).
    kiosks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    # Takes a booking's code now (`appointments.check_in` with the office's rules); None: no bookings.
    check_in: Callable[[UnitOfWork, Office, str, dt.datetime], Booking] | None = None

    def actions(self, client: str) -> tuple[str, ...]:
        """Return the limits an entry from this client address counts against.

        Any address has a limit per ten minutes and per day. The front office's own tablets
        take a whole group one after another, so theirs are higher, yet not unlimited: a
        tablet's day is at most the office's day of visitors.
        """
        try:
            address = ipaddress.ip_address(client)
        except ValueError:
            return (GUEST_BOOK, GUEST_BOOK_DAY)
        if any(address in network for network in self.kiosks):
            return (GUEST_BOOK_KIOSK, GUEST_BOOK_KIOSK_DAY)
        return (GUEST_BOOK, GUEST_BOOK_DAY)


@dataclass(frozen=True)
class ServiceChoice:
    """A service the visitor can queue for, as the form offers it."""

    code: str
    letter: str
    name: str
    name_en: str


class EntryInvalid(InvalidInput):
    """Some answers cannot be accepted; `problems` names each field and what is wrong with it."""

    def __init__(self, problems: Sequence[InvalidField]) -> None:
        super().__init__(N_("Please check the marked answers."))
        self.problems = tuple(problems)

    @property
    def fields(self) -> frozenset[str]:
        """Return the names of the fields refused."""
        return frozenset(problem.field for problem in self.problems)


class RepeatedName(EntryInvalid):
    """The same name signed this office's guest book moments ago: ask before a second entry."""


class FormRefused(InvalidInput):
    """The form was not taken: sent too quickly, open too long, or filled in by a program."""


def start_form(secret: bytes, now: dt.datetime) -> str:
    """Return the signed time a guest-book form is opened at, for its hidden field."""
    return make_token(secret, FORM_STARTED, {"s": now.timestamp()}, now)


def check_form_started(secret: bytes, token: str, now: dt.datetime) -> None:
    """Refuse a form whose signed opening time is missing, altered, too recent or too old."""
    try:
        started = read_token(secret, FORM_STARTED, token, now).get("s")
    except (LinkInvalid, LinkExpired):
        started = None
    if not isinstance(started, (int, float)):
        raise FormRefused(N_("This form was open for too long. Please check your answers and send it again."))
    if now - dt.datetime.fromtimestamp(started, dt.UTC) < FASTEST_BY_HAND:
        raise FormRefused(
            N_("The form was sent too quickly to have been filled in by hand. Please send it again.")
        )


def clean_phone(phone: str) -> str:
    """Return the phone number with its spaces tidied ("" for none), or refuse one that is not a number."""
    phone = " ".join((phone or "").split())
    if not phone:
        return ""
    digits = sum(ch.isdigit() for ch in phone)
    if (
        len(phone) > MAX_PHONE_LENGTH
        or not _PHONE.fullmatch(phone)
        or not _PHONE_DIGITS[0] <= digits <= _PHONE_DIGITS[1]
    ):
        raise InvalidField(
            "phone", N_("Write the phone number with digits only, for example 0812 3456 7890.")
        )
    return phone


def clean_optional_email(email: str) -> str:
    """Return the normalised email ("" for none), or refuse one that is not an address."""
    return clean_email(email) if (email or "").strip() else ""


def clean_purpose(purpose: str) -> str:
    """Return the tidied purpose of the visit, or refuse an empty or overlong one."""
    return check_text_field(
        purpose, "purpose", N_("Tell us the purpose of your visit."), max_length=MAX_PURPOSE_LENGTH
    )


def _choice(field: str, categories: Sequence[Category], message: str) -> Callable[[str], str]:
    """Return a check that the answer is one of the categories."""

    def check(code: str) -> str:
        if not is_category(categories, code):
            raise InvalidField(field, message)
        return code

    return check


# Each answer's check, by the name of its field (on the entry, the form and the visit alike).
_CHECKS: dict[str, Callable[[str], str]] = {
    "name": clean_name,
    "sex": _choice("sex", SEXES, N_("Choose male or female.")),
    "age_band": _choice("age_band", AGE_BANDS, N_("Choose your age group.")),
    "occupation": clean_occupation,
    "education": _choice("education", EDUCATIONS, N_("Choose your highest education.")),
    "institution": clean_institution,
    "phone": clean_phone,
    "email": clean_optional_email,
    "purpose": clean_purpose,
}


@dataclass(frozen=True)
class CleanEntry:
    """A guest-book entry every answer of which was accepted, tidied."""

    answers: dict[str, str]  # by field name, as the visit stores them
    services: tuple[str, ...]  # the codes chosen, in the office's order


def check_entry(entry: GuestBookEntry, offered: Sequence[ServiceChoice]) -> CleanEntry:
    """Return the entry's answers cleaned; refuse every bad answer at once, each on its field."""
    cleaned: dict[str, str] = {}
    problems: list[InvalidField] = []
    for field, check in _CHECKS.items():
        try:
            cleaned[field] = check(getattr(entry, field))
        except InvalidField as problem:
            problems.append(problem)
    codes = {choice.code for choice in offered}
    chosen = list(dict.fromkeys(code for code in entry.services if code))
    if entry.phone_consent and "phone" in cleaned and indonesian_mobile(cleaned["phone"]) is None:
        problems.append(InvalidField("phone", PHONE_FOR_MESSAGES))
    if not chosen:
        problems.append(InvalidField("services", N_("Choose at least one service.")))
    elif any(code not in codes for code in chosen):
        problems.append(InvalidField("services", N_("Choose the services from the list.")))
    if problems:
        raise EntryInvalid(problems)
    return CleanEntry(cleaned, tuple(choice.code for choice in offered if choice.code in chosen))
