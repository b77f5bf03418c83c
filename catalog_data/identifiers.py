"""Shape and check-digit tests for the identifiers printed on a BPS colophon."""

from __future__ import annotations

import re

_ISSN = re.compile(r"^(\d{4})-(\d{3})([\dX])$")
_ISBN13 = re.compile(r"^97[89](-?\d+){3,4}$")
# Katalog BPS: 7 digits; regional editions append the region code: 2 digits for a
# province (1102001.16), 4 for a regency or city, 7 for a kecamatan edition.
_KATALOG = re.compile(r"^\d{7}(\.(\d{2}|\d{4}|\d{7}))?$")
# Nomor Publikasi: NNNNN.YYSS (issuer, two-digit year, sequence in that year).
_NOMOR = re.compile(r"^\d{5}\.\d{4}$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def issn_check_digit(first_seven: str) -> str:
    """Return the ISSN check character for the first seven digits."""
    total = sum(int(d) * w for d, w in zip(first_seven, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def isbn13_check_digit(first_twelve: str) -> str:
    """Return the ISBN-13 check digit for the first twelve digits."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return str((10 - total % 10) % 10)


def issn_problem(issn: str) -> str | None:
    """Return what is wrong with an ISSN, or None when it is well formed."""
    match = _ISSN.match(issn)
    if not match:
        return f"expected an ISSN like 1234-5679, got {issn!r}"
    digits = match.group(1) + match.group(2)
    if issn_check_digit(digits) != match.group(3):
        return f"check digit of ISSN {issn!r} is wrong (expected {issn_check_digit(digits)})"
    return None


def isbn_problem(isbn: str) -> str | None:
    """Return what is wrong with an ISBN-13, or None when it is well formed."""
    digits = isbn.replace("-", "")
    if not _ISBN13.match(isbn) or len(digits) != 13:
        return f"expected a 13-digit ISBN starting 978 or 979, got {isbn!r}"
    if isbn13_check_digit(digits[:12]) != digits[12]:
        return f"check digit of ISBN {isbn!r} is wrong (expected {isbn13_check_digit(digits[:12])})"
    return None


def katalog_problem(katalog: str) -> str | None:
    """Return what is wrong with a Katalog BPS number, or None when it is well formed."""
    if _KATALOG.match(katalog):
        return None
    return f"expected 7 digits with an optional .region code (1102001.1872), got {katalog!r}"


def nomor_publikasi_problem(nomor: str) -> str | None:
    """Return what is wrong with a Nomor Publikasi, or None when it is well formed."""
    if _NOMOR.match(nomor):
        return None
    return f"expected NNNNN.YYSS (18720.2401), got {nomor!r}"


def slug_problem(key: str) -> str | None:
    """Return what is wrong with a publication key, or None when it is a plain slug."""
    if _SLUG.match(key):
        return None
    return f"expected a lowercase slug of letters, digits and hyphens, got {key!r}"
