"""Who an SKM answer is from, as far as the office can show: a service it gave, and a person it proved.

A counted answer is one service event (`library.quality.survey`): a walk-in ticket served, a
softcopy delivered, a consultation answered. Each event's invitation answers once, so an
answer is never counted twice; what is left to decide is whether two events were one person's.

Only what the office proved is a person: a verified address (an account's, or a walk-in's
proven by code, password or ID card) or the name on an ID card seen at the desk. A proven
person's second answer for a service on one office day is set aside by rule. What a visitor
merely typed (a name, a phone, an address) proves nothing: two visits declaring the same one
the same day both count, and the later is flagged for the office head (`declared`). A network
address, a cookie or a browser is never a person.
"""

from __future__ import annotations

import hashlib

from library.models import IdentityCheck, User, Visit


def digest(kind: str, value: str) -> str:
    """Return the stored form of one identity: a digest that names the kind, never the value."""
    cleaned = " ".join(value.strip().lower().split())
    return hashlib.sha256(f"skm-respondent:{kind}:{cleaned}".encode()).hexdigest()[:32]


def of_account(user: User | None) -> str:
    """Return the respondent of an event of an account (its verified address), or "" for none."""
    return digest("email", user.email) if user is not None and user.email else ""


def of_contact(channel: str, contact: str) -> str:
    """Return the asker outside the web: the address mail reached, or the WhatsApp number that wrote.

    Both are proven by the channel (the survey link goes back there); a number typed by a
    consultant for a telephone or social-media consultation proves nothing ("").
    """
    if channel == "email" and contact:
        return digest("email", contact)
    if channel == "whatsapp" and phone_digits(contact):
        return digest("phone", phone_digits(contact))
    return ""


def of_visit(visit: Visit) -> str:
    """Return the proven person of a walk-in visit: a proven address, a name checked on an ID card, or ""."""
    check = IdentityCheck(visit.identity_check)
    if check is not IdentityCheck.DECLARED and visit.email:
        return digest("email", visit.email)
    if check is IdentityCheck.ID_CARD:
        return digest("name", f"{visit.office_id}:{visit.name}")
    return ""


def declared(visit: Visit) -> tuple[str, ...]:
    """Return what a visit declared that another visit the same day may repeat: name, phone, address."""
    keys = [digest("declared-name", f"{visit.office_id}:{visit.name}")] if visit.name.strip() else []
    phone = phone_digits(visit.phone)
    if phone:
        keys.append(digest("declared-phone", f"{visit.office_id}:{phone}"))
    if visit.email:
        keys.append(digest("declared-email", f"{visit.office_id}:{visit.email}"))
    return tuple(keys)


def of_browser(browser: str) -> str:
    """Return the key of the browser an answer came from (for the many-answers flag, never a person)."""
    return digest("browser", browser) if browser else ""


def phone_digits(phone: str) -> str:
    """Return a phone number's digits in one national form (+62 812 ... and 0812 ... alike)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits if len(digits) >= 6 else ""
