"""Indonesian mobile numbers, as visitors type them, written the one way a gateway takes (E.164).

A visitor types "0812-3456-7890", "+62 812 3456 7890", "62812…" or "812…"; each is +6281234567890.
Only a mobile number is taken (after the country code, 8 and 8 to 11 more digits: Telkomsel,
Indosat, XL, Smartfren and the rest all begin with 8): a landline cannot receive WhatsApp or SMS,
and a number abroad is not what an office's gateway pays for.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s().\-/]")
_MOBILE = re.compile(r"8\d{8,11}")


def indonesian_mobile(typed: str) -> str | None:
    """Return the number as +62…, or None when it is not an Indonesian mobile number."""
    digits = _SEPARATORS.sub("", typed or "")
    if digits.startswith("+"):
        if not digits.startswith("+62"):
            return None
        digits = digits[3:]
    elif digits.startswith("62"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    if not _MOBILE.fullmatch(digits):
        return None
    return f"+62{digits}"


def masked(number: str) -> str:
    """Return a number with its middle hidden, for pages and logs: +62812****7890."""
    return number[:6] + "*" * max(len(number) - 10, 0) + number[-4:] if len(number) > 10 else number
