"""Typed, frozen records for the office service standards and the demo catalogue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

ServiceKind = Literal["library", "consultation"]
WalkInClock = Literal["guest_book", "previous_finished"]
ChannelKind = Literal["box", "web", "email", "whatsapp", "lapor"]
AccessLevel = Literal["open", "registered", "restricted", "embargoed"]

SERVICE_KINDS: tuple[str, ...] = ("library", "consultation")
WALK_IN_CLOCKS: tuple[str, ...] = ("guest_book", "previous_finished")
CHANNEL_KINDS: tuple[str, ...] = ("box", "web", "email", "whatsapp", "lapor")
ACCESS_LEVELS: tuple[str, ...] = ("open", "registered", "restricted", "embargoed")
LANGUAGES: tuple[str, ...] = ("id", "en", "id,en")
PUBLICATION_TYPES: tuple[str, ...] = (
    "Publikasi",
    "Berita Resmi Statistik",
    "Buku Saku",
    "Laporan",
    "Statistik Daerah",
)
SUBJECTS: tuple[str, ...] = (
    "Statistik Umum",
    "Kependudukan",
    "Ketenagakerjaan",
    "Kemiskinan",
    "Pendidikan",
    "Kesehatan",
    "Pertanian",
    "Industri",
    "Harga",
    "Neraca Ekonomi",
    "Sosial Budaya",
    "Pariwisata",
    "Transportasi",
    "Keuangan",
)
# Printed on every page of every generated demo PDF.
SAMPLE_NOTICE = "CONTOH ISI — BUKAN STATISTIK RESMI / Sample content — not official statistics"

# Indonesia's three zones (WIB, WITA, WIT); every office sits in one of them.
TIMEZONES: tuple[str, ...] = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


class CatalogDataError(ValueError):
    """Bad office or catalogue data; the message names the record and the field."""

    def __init__(self, record: str, field: str, problem: str) -> None:
        super().__init__(f"{record}: field '{field}': {problem}")
        self.record = record
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class ComplaintChannel:
    """One way to lodge a complaint, as the standard lists it."""

    kind: ChannelKind
    label: str
    label_en: str
    value: str


@dataclass(frozen=True)
class ServiceRecord:
    """One published service standard (standar pelayanan) of an office."""

    kind: ServiceKind
    name: str
    name_en: str
    sk_number: str
    requirements: tuple[str, ...]
    requirements_en: tuple[str, ...]
    procedure_walk_in: tuple[str, ...]
    procedure_walk_in_en: tuple[str, ...]
    procedure_online: tuple[str, ...]
    procedure_online_en: tuple[str, ...]
    time_text: tuple[str, ...]
    time_text_en: tuple[str, ...]
    cost: str
    cost_en: str
    products: tuple[str, ...]
    products_en: tuple[str, ...]
    walk_in_minutes: int | None
    walk_in_clock: WalkInClock | None
    online_working_days: int | None
    inactivity_close_days: int | None
    inactivity_close_working_days: bool
    inactivity_close_automatic: bool
    complaint_channels: tuple[ComplaintChannel, ...]


@dataclass(frozen=True)
class OfficeRecord:
    """A BPS office with its PST service standards."""

    code: str
    name: str
    name_en: str
    province: str
    address: str
    phone: str
    email: str
    website: str
    timezone: str
    services: tuple[ServiceRecord, ...]

    def service(self, kind: str) -> ServiceRecord | None:
        """Return this office's standard for the given service kind, if it publishes one."""
        return next((s for s in self.services if s.kind == kind), None)


@dataclass(frozen=True)
class HoldingRecord:
    """Printed copies of a publication in one place: shelf mark, where they are, how they are read."""

    call_number: str
    location: str
    copies: int
    reading_room_only: bool = True
    note: str = ""


@dataclass(frozen=True)
class DemoPublication:
    """One publication of the demo catalogue, with what its generated PDF looks like."""

    key: str
    title: str
    alternative_title: str
    office: str
    katalog_bps: str
    nomor_publikasi: str
    issn: str
    isbn: str
    subject: str
    publication_type: str
    language: str
    reference_period: str
    scheduled_release: datetime.date
    actual_release: datetime.date | None
    abstract: str
    access_level: AccessLevel
    embargo_until: datetime.date | None
    pages: int
    scanned: bool
    scan_keywords: tuple[str, ...]
    holdings: tuple[HoldingRecord, ...]

    @property
    def year(self) -> int:
        """Return the year the publication is (scheduled to be) released."""
        return self.scheduled_release.year
