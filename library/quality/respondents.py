"""Who answered an SKM survey, as far as the office can tell: one answer per person, service and day.

A survey response is anonymous, but the index must not be moved by one person answering many
times (several delivered requests, several accounts, the kiosk again and again). Each invitation
therefore carries a digest of the person its event was for, and only the first answer of a person
for a service on an office day counts (`library.quality.survey.submit_survey`); later ones are
kept and set aside, and the report says how many.

A person is, in this order of trust:
- a verified address: an account's (online requests and consultations are made only from a
  verified one) or a walk-in's proven by code, password or ID card;
- an identity checked at the desk without an address: the name on the ID card;
- a phone number given in the guest book;
- none of these (a declared visit with no phone): the device the answer is sent from stands in,
  so the kiosk or a terminal gives one counted answer a service a day for all such visitors.
"""

from __future__ import annotations

import hashlib

from library.models import IdentityCheck, User, Visit


def digest(kind: str, value: str) -> str:
    """Return the stored form of one identity: a digest that names the kind, never the value."""
    cleaned = " ".join(value.strip().lower().split())
    return hashlib.sha256(f"skm-respondent:{kind}:{cleaned}".encode()).hexdigest()[:32]


def of_account(user: User | None) -> str:
    """Return the respondent of an event of an account (its address), or "" for none."""
    return digest("email", user.email) if user is not None and user.email else ""


def of_visit(visit: Visit) -> str:
    """Return the respondent of a walk-in visit's service: proven address, checked name, phone, or ""."""
    check = IdentityCheck(visit.identity_check)
    if check is not IdentityCheck.DECLARED and visit.email:
        return digest("email", visit.email)
    if check is IdentityCheck.ID_CARD:
        return digest("name", f"{visit.office_id}:{visit.name}")
    phone = phone_digits(visit.phone)
    if phone:
        return digest("phone", phone)
    return ""


def of_device(client: str) -> str:
    """Return the stand-in respondent of an answer from a device no person is known for ("" if unknown)."""
    return digest("device", client) if client else ""


def phone_digits(phone: str) -> str:
    """Return a phone number's digits in one national form (+62 812 ... and 0812 ... alike)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits if len(digits) >= 6 else ""
