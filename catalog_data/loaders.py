"""Load and validate the office standards and the demo catalogue shipped with the package."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from functools import cache
from importlib import resources
from typing import Any, cast

from catalog_data import identifiers
from catalog_data.fields import RecordReader, parse_toml
from catalog_data.records import (
    ACCESS_LEVELS,
    CHANNEL_KINDS,
    LANGUAGES,
    PUBLICATION_TYPES,
    SERVICE_KINDS,
    SUBJECTS,
    TIMEZONES,
    WALK_IN_CLOCKS,
    AccessLevel,
    CatalogDataError,
    ChannelKind,
    ComplaintChannel,
    DemoPublication,
    HoldingRecord,
    OfficeRecord,
    ServiceRecord,
)

OFFICES_FILE = "offices.toml"
CATALOGUE_FILE = "demo_catalogue.toml"
GLOSSARY_FILE = "glossary.toml"

_OFFICE_FIELDS = (
    "code",
    "name",
    "name_en",
    "province",
    "address",
    "phone",
    "email",
    "website",
    "timezone",
    "service",
)
_BILINGUAL_LISTS = ("requirements", "procedure_walk_in", "procedure_online", "time_text", "products")
_SERVICE_FIELDS = (
    "kind",
    "name",
    "name_en",
    "sk_number",
    "cost",
    "cost_en",
    "walk_in_minutes",
    "walk_in_clock",
    "online_working_days",
    "inactivity_close_days",
    "inactivity_close_working_days",
    "inactivity_close_automatic",
    "complaint_channel",
    *_BILINGUAL_LISTS,
    *(f"{name}_en" for name in _BILINGUAL_LISTS),
)
_CHANNEL_FIELDS = ("kind", "label", "label_en", "value")
_PUBLICATION_FIELDS = (
    "key",
    "title",
    "alternative_title",
    "office",
    "katalog_bps",
    "nomor_publikasi",
    "issn",
    "isbn",
    "subject",
    "publication_type",
    "language",
    "reference_period",
    "scheduled_release",
    "actual_release",
    "abstract",
    "access_level",
    "embargo_until",
    "pages",
    "scanned",
    "scan_keywords",
    "holdings",
)
_HOLDING_FIELDS = ("call_number", "location", "copies", "reading_room_only", "note")
_MAX_COPIES = 999
_URL = re.compile(r"^https?://[^\s]+$")
_KEYWORD = re.compile(r"^[a-z]{4,}$")


def load_offices() -> list[OfficeRecord]:
    """Load the offices and their service standards from the packaged offices.toml."""
    return list(_packaged_offices())


@cache
def _packaged_offices() -> tuple[OfficeRecord, ...]:
    """Read and check the packaged offices once a process (4 ms each time): the records are frozen."""
    text = resources.files("catalog_data").joinpath(OFFICES_FILE).read_text(encoding="utf-8")
    return tuple(parse_offices(text, origin=OFFICES_FILE))


def load_glossary() -> tuple[list[dict[str, tuple[str, ...]]], list[dict[str, Any]]]:
    """Load the search glossary's concepts and places from the packaged glossary.toml.

    Each concept: `id`, `abbr` and `en`, tuples of terms (at least one Indonesian or English
    term), and `related` / `related_en`, the everyday words of its BPS definition; each place:
    `code` (2 or 4 digits), `names`, `en` and `nicknames` (its mottos, read as its first name).
    """
    text = resources.files("catalog_data").joinpath(GLOSSARY_FILE).read_text(encoding="utf-8")
    return parse_glossary(text)


def parse_glossary(
    source: str | Mapping[str, Any], *, origin: str = GLOSSARY_FILE
) -> tuple[list[dict[str, tuple[str, ...]]], list[dict[str, Any]]]:
    """Validate a glossary document (TOML text or parsed tables) into its concepts and places."""
    document = parse_toml(source, origin)
    concepts = []
    for index, raw in enumerate(document.get("concept", [])):
        where = f"{origin}: concept #{index + 1}"
        concept = {name: _terms(raw, name, where) for name in ("id", "abbr", "en", "related", "related_en")}
        if not concept["id"] and not concept["en"]:
            raise CatalogDataError(where, "id", "a concept needs an Indonesian or an English term")
        concepts.append(concept)
    places = []
    for index, raw in enumerate(document.get("place", [])):
        where = f"{origin}: place #{index + 1}"
        code = raw.get("code") if isinstance(raw, Mapping) else None
        if not isinstance(code, str) or not re.fullmatch(r"\d{2}|\d{4}", code):
            raise CatalogDataError(where, "code", "a BPS area code of 2 or 4 digits")
        places.append(
            {
                "code": code,
                "names": _terms(raw, "names", where),
                "en": _terms(raw, "en", where),
                "nicknames": _terms(raw, "nicknames", where),
            }
        )
    return concepts, places


def _terms(raw: object, name: str, where: str) -> tuple[str, ...]:
    """Return a glossary entry's list of terms, refusing anything but non-empty strings."""
    value = raw.get(name, []) if isinstance(raw, Mapping) else None
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        raise CatalogDataError(where, name, "a list of non-empty terms")
    return tuple(t.strip() for t in value)


def load_demo_catalogue() -> list[DemoPublication]:
    """Load the demo publications from the packaged demo_catalogue.toml."""
    return list(_packaged_demo_catalogue())


@cache
def _packaged_demo_catalogue() -> tuple[DemoPublication, ...]:
    """Read and check the packaged demo catalogue once a process: the records are frozen."""
    text = resources.files("catalog_data").joinpath(CATALOGUE_FILE).read_text(encoding="utf-8")
    codes = [office.code for office in _packaged_offices()]
    return tuple(parse_demo_catalogue(text, codes, origin=CATALOGUE_FILE))


def parse_offices(source: str | Mapping[str, Any], *, origin: str = OFFICES_FILE) -> list[OfficeRecord]:
    """Validate an offices document (TOML text or parsed tables) into office records."""
    top = RecordReader(origin, parse_toml(source, origin), ("office",))
    offices: list[OfficeRecord] = []
    for index, raw in enumerate(top.tables("office")):
        code = raw.get("code") if isinstance(raw, Mapping) else None
        office = _office(f"{origin}: office {code if isinstance(code, str) else f'#{index + 1}'}", raw)
        if any(o.code == office.code for o in offices):
            raise CatalogDataError(f"{origin}: office {office.code}", "code", "duplicate code")
        offices.append(office)
    if not offices:
        top.fail("office", "no [[office]] tables")
    return offices


def _office(record: str, raw: object) -> OfficeRecord:
    r = RecordReader(record, raw, _OFFICE_FIELDS)
    code = r.text("code")
    if not re.fullmatch(r"\d{4}", code):
        r.fail("code", f"expected a 4-digit BPS region code, got {code!r}")
    email = r.text("email", empty_ok=True)
    if email and "@" not in email:
        r.fail("email", f"expected an email address or '', got {email!r}")
    website = r.text("website")
    if not _URL.match(website):
        r.fail("website", f"expected an http(s) URL, got {website!r}")
    services = tuple(
        _service(f"{record}, service #{i + 1}", raw_service)
        for i, raw_service in enumerate(r.tables("service"))
    )
    if not services:
        r.fail("service", "no [[office.service]] tables")
    kinds = [s.kind for s in services]
    if len(set(kinds)) != len(kinds):
        r.fail("service", f"a service kind appears twice: {kinds}")
    return OfficeRecord(
        code=code,
        name=r.text("name"),
        name_en=r.text("name_en"),
        province=r.text("province"),
        address=r.text("address"),
        phone=r.text("phone", empty_ok=True),
        email=email,
        website=website,
        timezone=r.choice("timezone", TIMEZONES),
        services=services,
    )


def _service(record: str, raw: object) -> ServiceRecord:
    kind = raw.get("kind") if isinstance(raw, Mapping) else None
    if isinstance(kind, str):
        record = record.rsplit(", service #", 1)[0] + f", service {kind!r}"
    r = RecordReader(record, raw, _SERVICE_FIELDS)
    lists: dict[str, tuple[str, ...]] = {}
    for name in _BILINGUAL_LISTS:
        empty_ok = name.startswith("procedure_")
        lists[name] = r.texts(name, empty_ok=empty_ok)
        lists[f"{name}_en"] = r.texts(f"{name}_en", empty_ok=empty_ok)
        if len(lists[name]) != len(lists[f"{name}_en"]):
            r.fail(f"{name}_en", f"has {len(lists[f'{name}_en'])} items but {name} has {len(lists[name])}")
    if not lists["procedure_walk_in"] and not lists["procedure_online"]:
        r.fail("procedure_walk_in", "both procedure lists are empty")
    minutes = r.integer("walk_in_minutes", optional=True, minimum=1)
    clock = r.choice("walk_in_clock", WALK_IN_CLOCKS, optional=True) or None
    if (minutes is None) != (clock is None):
        r.fail("walk_in_clock", "walk_in_minutes and walk_in_clock go together")
    close_days = r.integer("inactivity_close_days", optional=True, minimum=1)
    for name in ("inactivity_close_working_days", "inactivity_close_automatic"):
        if r.flag(name) and close_days is None:
            r.fail(name, "set without inactivity_close_days")
    channels = tuple(
        _channel(f"{record}, complaint_channel #{i + 1}", raw_channel)
        for i, raw_channel in enumerate(r.tables("complaint_channel"))
    )
    if not channels:
        r.fail("complaint_channel", "no [[office.service.complaint_channel]] tables")
    return ServiceRecord(
        kind=r.choice("kind", SERVICE_KINDS),  # type: ignore[arg-type]
        name=r.text("name"),
        name_en=r.text("name_en"),
        sk_number=r.text("sk_number"),
        cost=r.text("cost"),
        cost_en=r.text("cost_en"),
        walk_in_minutes=minutes,
        walk_in_clock=clock,  # type: ignore[arg-type]
        online_working_days=r.integer("online_working_days", optional=True, minimum=1),
        inactivity_close_days=close_days,
        inactivity_close_working_days=r.flag("inactivity_close_working_days"),
        inactivity_close_automatic=r.flag("inactivity_close_automatic"),
        complaint_channels=channels,
        **lists,
    )


def _channel(record: str, raw: object) -> ComplaintChannel:
    r = RecordReader(record, raw, _CHANNEL_FIELDS)
    kind = cast(ChannelKind, r.choice("kind", CHANNEL_KINDS))
    value = r.text("value", empty_ok=True)
    if kind in ("web", "lapor") and not _URL.match(value):
        r.fail("value", f"a {kind} channel needs an http(s) URL, got {value!r}")
    if kind == "email" and "@" not in value:
        r.fail("value", f"an email channel needs an address, got {value!r}")
    if kind == "whatsapp" and not re.fullmatch(r"\+?[\d -]{9,}", value):
        r.fail("value", f"a whatsapp channel needs a phone number, got {value!r}")
    return ComplaintChannel(
        kind=kind,
        label=r.text("label"),
        label_en=r.text("label_en"),
        value=value,
    )


def parse_demo_catalogue(
    source: str | Mapping[str, Any], office_codes: Collection[str], *, origin: str = CATALOGUE_FILE
) -> list[DemoPublication]:
    """Validate a catalogue document (TOML text or parsed tables) into demo publications."""
    top = RecordReader(origin, parse_toml(source, origin), ("publication",))
    publications: list[DemoPublication] = []
    seen: dict[str, set[str]] = {"key": set(), "katalog_bps": set(), "nomor_publikasi": set()}
    for index, raw in enumerate(top.tables("publication")):
        key = raw.get("key") if isinstance(raw, Mapping) else None
        record = (
            f"{origin}: publication {key!r}"
            if isinstance(key, str)
            else (f"{origin}: publication #{index + 1}")
        )
        pub = _publication(record, raw, office_codes)
        for name, values in seen.items():
            value = getattr(pub, name)
            if value in values:
                raise CatalogDataError(record, name, f"duplicate value {value!r}")
            values.add(value)
        publications.append(pub)
    if not publications:
        top.fail("publication", "no [[publication]] tables")
    return publications


def _publication(record: str, raw: object, office_codes: Collection[str]) -> DemoPublication:
    r = RecordReader(record, raw, _PUBLICATION_FIELDS)
    _check_identifiers(r)
    office = r.text("office")
    if office not in office_codes:
        r.fail("office", f"no office with code {office!r} in offices.toml")
    access = cast(AccessLevel, r.choice("access_level", ACCESS_LEVELS))
    embargo_until = r.date("embargo_until", optional=True)
    if (access == "embargoed") != (embargo_until is not None):
        r.fail("embargo_until", "required for embargoed publications and only for them")
    scanned = r.flag("scanned")
    pages = r.integer("pages", minimum=1 if scanned else 4)
    if pages is not None and pages > 1000:
        r.fail("pages", f"at most 1000 pages, got {pages}")
    keywords = _scan_keywords(r, scanned)
    return DemoPublication(
        key=r.text("key"),
        title=r.text("title"),
        alternative_title=r.text("alternative_title", optional=True),
        office=office,
        katalog_bps=r.text("katalog_bps"),
        nomor_publikasi=r.text("nomor_publikasi"),
        issn=r.text("issn", optional=True, empty_ok=True),
        isbn=r.text("isbn", optional=True, empty_ok=True),
        subject=r.choice("subject", SUBJECTS),
        publication_type=r.choice("publication_type", PUBLICATION_TYPES),
        language=r.choice("language", LANGUAGES),
        reference_period=r.text("reference_period"),
        scheduled_release=r.date("scheduled_release"),  # type: ignore[arg-type]
        actual_release=r.date("actual_release", optional=True),
        abstract=r.text("abstract"),
        access_level=access,
        embargo_until=embargo_until,
        pages=pages,
        scanned=scanned,
        scan_keywords=keywords,
        holdings=tuple(
            _holding(f"{record}, holding {number}", raw)
            for number, raw in enumerate(r.tables("holdings", optional=True), start=1)
        ),
    )


def _check_identifiers(r: RecordReader) -> None:
    """Check the publication's key and catalogue numbers (ISSN and ISBN may be absent or empty)."""
    for name, check in (
        ("key", identifiers.slug_problem),
        ("katalog_bps", identifiers.katalog_problem),
        ("nomor_publikasi", identifiers.nomor_publikasi_problem),
        ("issn", identifiers.issn_problem),
        ("isbn", identifiers.isbn_problem),
    ):
        value = r.text(name, optional=name in ("issn", "isbn"), empty_ok=name in ("issn", "isbn"))
        problem = check(value) if value else None
        if problem:
            r.fail(name, problem)


def _scan_keywords(r: RecordReader, scanned: bool) -> tuple[str, ...]:
    """Return the words OCR must find in a scanned publication: 2-3, none of them in its metadata."""
    keywords = r.texts("scan_keywords") if r.has("scan_keywords") else ()
    if scanned and not keywords:
        r.fail("scan_keywords", "a scanned publication needs 2-3 keywords for OCR tests")
    if not scanned and keywords:
        r.fail("scan_keywords", "only scanned publications have scan keywords")
    metadata = " ".join(str(r.data.get(n, "")) for n in ("title", "alternative_title", "abstract"))
    for word in keywords:
        if not _KEYWORD.match(word):
            r.fail("scan_keywords", f"expected one lowercase word of 4+ letters, got {word!r}")
        if re.search(rf"\b{word}\b", metadata, re.IGNORECASE):
            r.fail("scan_keywords", f"{word!r} also appears in the title or abstract")
    return keywords


def _holding(record: str, raw: object) -> HoldingRecord:
    r = RecordReader(record, raw, _HOLDING_FIELDS)
    copies = r.integer("copies", minimum=1)
    if copies is not None and copies > _MAX_COPIES:
        r.fail("copies", f"at most {_MAX_COPIES} copies, got {copies}")
    return HoldingRecord(
        call_number=r.text("call_number"),
        location=r.text("location"),
        copies=copies,
        reading_room_only=r.flag("reading_room_only") if r.has("reading_room_only") else True,
        note=r.text("note", optional=True),
    )
