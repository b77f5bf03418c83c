"""The mark stamped on a delivery: who received it, when, and how to verify it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any, NamedTuple

from watermark.errors import N_, WatermarkError

# Crockford's base 32: no I, L, O or U, so an id read off paper or by OCR is unambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DELIVERY_ID_LENGTH = 12  # 11 random characters (55 bits from `secrets`) and a check character
# A reading session's id is short enough to read off a screenshot: 7 random characters (35 bits;
# the ledger refuses a repeat) and a check character, so a misread id names nobody.
READING_ID_LENGTH = 8
SIGNATURE_LENGTH = 16  # 80 bits of HMAC-SHA256; the web page checks it online
ID_PATTERN = f"[{ALPHABET}]{{6,32}}"
_ID_RE = re.compile(f"^{ID_PATTERN}$")
_URL_RE = re.compile(f"/({ID_PATTERN})/([{ALPHABET}]{{8,64}})/?$")

NOTICE = (
    "Dilarang mereproduksi dan/atau menggandakan sebagian atau seluruh isi buku ini "
    "untuk tujuan komersial tanpa izin tertulis dari Badan Pusat Statistik"
)
_MONTHS = ("Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember").split()
# Indonesia's three zones have legal abbreviations; tz data spells them differently
# on some systems, so name them here.
_ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}
# Their offsets, fixed since 1988 (Pontianak's last change; none keeps summer time): a stamp
# then needs no tz database, whose loading (sysconfig's paths) is a fortieth of a first stamp.
_FIXED_ZONES = {
    name: timezone(timedelta(hours=hours), _ZONE_ABBREVIATIONS[name])
    for name, hours in (
        ("Asia/Jakarta", 7),
        ("Asia/Pontianak", 7),
        ("Asia/Makassar", 8),
        ("Asia/Ujung_Pandang", 8),
        ("Asia/Jayapura", 9),
    )
}
_FIXED_SINCE = datetime(1989, 1, 1, tzinfo=timezone.utc)


def _zone(name: str, moment: datetime) -> tzinfo:
    """Return the time zone `name` as it was at `moment` (a tz database name, as `ZoneInfo` takes)."""
    if name in _FIXED_ZONES and moment.tzinfo is not None and moment >= _FIXED_SINCE:
        return _FIXED_ZONES[name]
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _check_character(body: str) -> str:
    # Odd weights modulo 32 catch every single wrong character and most swaps, so a
    # mistyped id, or one misread by OCR, is refused instead of naming someone else.
    return ALPHABET[sum((2 * i + 1) * ALPHABET.index(ch) for i, ch in enumerate(body)) % 32]


def new_delivery_id() -> str:
    """Return a fresh, unguessable delivery id of 12 unambiguous characters."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(DELIVERY_ID_LENGTH - 1))
    return body + _check_character(body)


def new_reading_id() -> str:
    """Return a fresh id of 8 unambiguous characters for a reading session."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(READING_ID_LENGTH - 1))
    return body + _check_character(body)


def is_delivery_id(value: str) -> bool:
    """Tell whether `value` is a well-formed delivery id with a correct check character."""
    return bool(_ID_RE.match(value)) and value[-1] == _check_character(value[:-1])


def normalize_delivery_id(value: str) -> str:
    """Return `value` as a canonical delivery id, or raise WatermarkError."""
    candidate = value.strip().upper()
    if not _ID_RE.match(candidate):
        raise WatermarkError(
            N_("Not a valid delivery ID: %(value)s (6-32 characters 0-9 A-Z without I, L, O, U)"),
            code="bad_delivery_id",
            value=repr(value),
        )
    if not is_delivery_id(candidate):
        raise WatermarkError(
            N_("Not a valid delivery ID: %(value)s (its check character does not match; a typing error?)"),
            code="bad_delivery_id",
            value=repr(value),
        )
    return candidate


def sign(delivery_id: str, secret: bytes) -> str:
    """Return the URL-safe HMAC-SHA256 signature of a delivery id."""
    if not secret:
        raise WatermarkError(N_("The signing secret is empty."), code="no_secret")
    digest = hmac.new(secret, b"pustaka-delivery:" + delivery_id.encode(), hashlib.sha256)
    encoded = base64.b32encode(digest.digest()).decode()
    # Map RFC 4648 base 32 onto Crockford's alphabet so the signature shares the id's.
    table = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ALPHABET)
    return encoded.translate(table)[:SIGNATURE_LENGTH]


def keys_of(secret: bytes | Sequence[bytes]) -> tuple[bytes, ...]:
    """Return the keys of one key or of a ring (after rotations: the current key first)."""
    return (secret,) if isinstance(secret, bytes) else tuple(secret)


def check_signature(delivery_id: str, signature: str, secret: bytes | Sequence[bytes]) -> bool:
    """Tell whether `signature` is the signature of `delivery_id` under `secret` (or one key of a ring)."""
    given = signature.strip().upper()
    keys = keys_of(secret)
    # compare_digest refuses non-ASCII text; a signature is only ever ASCII, so such text is wrong.
    return given.isascii() and any(hmac.compare_digest(sign(delivery_id, key), given) for key in keys)


def parse_verify_url(url: str) -> tuple[str, str] | None:
    """Return (delivery_id, signature) from a verification URL, or None."""
    match = _URL_RE.search(url.strip().split("?")[0].split("#")[0])
    return (match.group(1), match.group(2)) if match else None


def stamp_text(value: str) -> str:
    """Return `value` as a stamp shows it: one line in NFC, control and format characters removed."""
    # Format characters include bidi overrides (U+202E), which can make a name read
    # backwards on the page; a stamp must show what it stores.
    kept = "".join(
        " " if unicodedata.category(ch) in ("Zs", "Zl", "Zp") or ch in "\t\r\n" else ch
        for ch in unicodedata.normalize("NFC", value)
        if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") or ch in "\t\r\n"
    )
    return " ".join(kept.split())


def mask_email(email: str) -> str:
    """Return an email address with all but its first letters hidden: a***@g***.com."""
    local, _, domain = email.strip().partition("@")
    if not local or not domain:
        return "***"
    labels = domain.lower().split(".")
    # Keep the public suffix readable: ".com", or ".go.id"/".co.id"/".ac.id".
    keep = 2 if len(labels) >= 3 and len(labels[-2]) <= 3 else 1
    hidden, suffix = labels[:-keep] or labels, labels[-keep:] if len(labels) > 1 else []
    masked_domain = hidden[0][:1] + "***"
    return f"{local[:1]}***@{'.'.join([masked_domain, *suffix])}"


def when_text(moment: datetime, timezone: str) -> str:
    """Return an aware time in an office's zone as '5 Maret 2025 14.05 WIB'."""
    local = moment.astimezone(_zone(timezone, moment))
    zone = _ZONE_ABBREVIATIONS.get(timezone) or local.strftime("%Z")
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year} {local:%H.%M} {zone}"


class _MarkFields(NamedTuple):
    delivery_id: str
    recipient_name: str
    recipient_email: str
    office_name: str
    request_number: str
    delivered_at: datetime
    timezone: str
    verify_base_url: str
    title: str  # the publication's title, written as the copy's document title (not stamped)


class Mark(_MarkFields):
    """Everything stamped on one delivery; texts are built from it in Indonesian.

    Immutable; its texts are made stampable and its id normalised when it is made, and a mark
    that cannot be stamped is refused then (`WatermarkError`, code "bad_mark").
    """

    __slots__ = ()

    def __new__(
        cls,
        delivery_id: str,
        recipient_name: str,
        recipient_email: str,
        office_name: str,
        request_number: str,
        delivered_at: datetime,
        timezone: str = "Asia/Jakarta",
        verify_base_url: str = "http://localhost:5000/verifikasi",
        title: str = "",
    ) -> Mark:
        mark = super().__new__(
            cls,
            normalize_delivery_id(delivery_id),
            stamp_text(recipient_name),
            recipient_email,
            stamp_text(office_name),
            stamp_text(request_number),
            delivered_at,
            timezone,
            verify_base_url,
            stamp_text(title),
        )
        mark._check()
        return mark

    def _replace(self, **changes: Any) -> Mark:
        """Return a copy with `changes`, made and checked as a new mark is."""
        return Mark(**{**self._asdict(), **changes})

    def _check(self) -> None:
        if not self.recipient_name:
            raise WatermarkError(N_("The recipient's name is required."), code="bad_mark")
        if self.delivered_at.tzinfo is None or self.delivered_at.utcoffset() is None:
            raise WatermarkError(N_("The delivery time must have a time zone."), code="bad_mark")
        try:
            _zone(self.timezone, self.delivered_at)
        except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError
            raise WatermarkError(
                N_("Unknown time zone: %(timezone)s"), code="bad_mark", timezone=repr(self.timezone)
            ) from None
        if not re.match(r"^https?://\S+$", self.verify_base_url):
            raise WatermarkError(
                N_("The verification address must be an http(s) URL: %(url)s"),
                code="bad_mark",
                url=repr(self.verify_base_url),
            )

    @property
    def masked_email(self) -> str:
        """Return the recipient's email with most letters hidden."""
        return mask_email(self.recipient_email)

    @property
    def local_time(self) -> datetime:
        """Return the delivery time in the office's time zone."""
        return self.delivered_at.astimezone(_zone(self.timezone, self.delivered_at))

    @property
    def when_text(self) -> str:
        """Return the delivery time as '5 Maret 2025 14.05 WIB'."""
        return when_text(self.delivered_at, self.timezone)

    def footer_lines(self, page_number: int, page_count: int) -> tuple[str, str, str]:
        """Return the three footer lines for one page."""
        office = f" · {self.office_name}" if self.office_name else ""
        request = f"Permintaan {self.request_number} · " if self.request_number else ""
        return (
            f"Diberikan kepada {self.recipient_name} ({self.masked_email}){office}",
            f"{request}{self.when_text} · ID Pengiriman {self.delivery_id}"
            f" · Halaman {page_number}/{page_count}",
            NOTICE,
        )

    def diagonal_lines(self) -> tuple[str, str]:
        """Return the two lines of faint text drawn across each page."""
        return self.recipient_name, f"ID {self.delivery_id}"

    def hidden_token(self, page_number: int | str) -> str:
        """Return the invisible per-page token (text render mode 3)."""
        return f"PSTK-{self.delivery_id}-{page_number}"


def verify_url(mark: Mark, secret: bytes) -> str:
    """Return the signed URL the QR code carries for this delivery."""
    base = mark.verify_base_url.rstrip("/")
    return f"{base}/{mark.delivery_id}/{sign(mark.delivery_id, secret)}"
