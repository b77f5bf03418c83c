"""A publication as a MARC21 bibliographic record, in the BPS profile (`profile` has the table)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pymarc import Field, Indicators, Record, Subfield

from library.catalogue.marc.profile import (
    ACCESS_SOURCE,
    COUNTRY,
    KATALOG_SOURCE,
    KEY_SOURCE,
    NOMOR_SOURCE,
    PUBLISHER,
    issuing_body,
    marc_language,
    place_of,
)
from library.models import AccessLevel, Holding, Publication

# How a reader gets a copy, per access level, in the 506 note (the catalogue's words).
ACCESS_WORDS = {
    AccessLevel.OPEN: "Akses terbuka",
    AccessLevel.REGISTERED: "Akses bagi pengguna terdaftar",
    AccessLevel.RESTRICTED: "Akses terbatas; salinan atas persetujuan pustakawan",
    AccessLevel.EMBARGOED: "Embargo; sesudahnya akses terbuka",
}


# 008/18-34 for books: illustrations and audience unsaid, no special form, statistics (s) as contents,
# a government publication (f), no conference, festschrift or index, not fiction, no biography.
BOOKS = "    " + " " + " " + "s   " + "f" + "0" + "0" + "0" + " " + "0" + " "


@dataclass(frozen=True)
class Extras:
    """What a record says beyond the publication row: its page's address, its pages, its copies."""

    page_url: str = ""
    pages: int | None = None  # the access copy's page count, for 300
    barcodes: Mapping[int, Sequence[str]] = field(default_factory=dict)  # by holding id
    identifier_url: str = ""  # the persistent address (024 as a URI; 856 links it before the page)


def to_marc(publication: Publication, extras: Extras = Extras()) -> Record:
    """Describe a publication as a MARC21 record (UTF-8, ISBD punctuation omitted)."""
    p = publication
    record = Record(force_utf8=True, leader=_leader(p))
    record.add_field(Field(tag="001", data=p.key))
    record.add_field(Field(tag="005", data=p.updated_at.strftime("%Y%m%d%H%M%S.0")))
    record.add_field(Field(tag="008", data=fixed_field(p)))
    _data(record, "020", "  ", ("a", p.isbn))
    _data(record, "022", "  ", ("a", p.issn))
    _data(record, "024", "7 ", ("a", p.katalog_bps), ("2", KATALOG_SOURCE))
    _data(record, "024", "7 ", ("a", p.nomor_publikasi), ("2", NOMOR_SOURCE))
    _data(record, "024", "7 ", ("a", p.doi), ("2", "doi"))
    _data(record, "024", "7 ", ("a", extras.identifier_url), ("2", "uri"))
    _data(record, "035", "  ", ("a", KEY_SOURCE + p.key))
    codes = [marc_language(code) for code in _languages(p.language)]
    if len(codes) > 1:
        _data(record, "041", "0 ", *(("a", code) for code in codes))
    _data(record, "082", "04", ("a", _class_number(p.holdings)))
    _data(record, "110", "2 ", ("a", issuing_body(p.issuing_office.name)))
    _data(record, "245", "10", ("a", p.title), ("b", p.alternative_title))
    released = p.actual_release or p.scheduled_release
    publisher = issuing_body(p.issuing_office.name) if p.issuing_office.code != "0000" else PUBLISHER
    _data(
        record,
        "264",
        " 1",
        ("a", place_of(p.issuing_office.name)),
        ("b", publisher),
        ("c", str(released.year) if released else ""),
    )
    _data(record, "300", "  ", ("a", f"{extras.pages} halaman" if extras.pages else ""))
    _data(record, "500", "  ", ("a", _numbers_note(p)))
    _access(record, p)
    _data(record, "513", "  ", ("b", p.reference_period))
    _data(record, "520", "  ", ("a", p.abstract))
    _data(record, "650", " 4", ("a", p.subject))
    _data(record, "655", " 4", ("a", p.publication_type))
    for holding in sorted(p.holdings, key=lambda h: h.id):
        _holding(record, holding, extras.barcodes.get(holding.id, ()))
    link = extras.identifier_url or extras.page_url
    _data(record, "856", "40", ("u", link), ("z", "Halaman publikasi" if link else ""))
    return record


def fixed_field(publication: Publication) -> str:
    """Return the 008 of a publication: entered, its date (detailed when known), country, language."""
    p = publication
    entered = p.created_at.strftime("%y%m%d")
    released = p.actual_release or p.scheduled_release
    if released is None:
        dates = "nuuuu    "
    else:
        dates = f"e{released.year:04d}{released.month:02d}{released.day:02d}"
    codes = _languages(p.language)
    language = marc_language(codes[0]) if codes else "ind"
    fixed = f"{entered}{dates}{COUNTRY}{BOOKS}{language} d"
    assert len(fixed) == 40, fixed
    return fixed


def _leader(publication: Publication) -> str:
    """Return the leader: new or changed, language material, monograph or serial, UTF-8."""
    status = "d" if publication.withdrawn else "n"
    level = "s" if publication.issn and not publication.isbn else "m"
    return f"00000{status}a{level} a2200000 c 4500"


def _data(record: Record, tag: str, indicators: str, *subfields: tuple[str, str]) -> None:
    """Add a data field with its non-empty subfields; nothing when every subfield is empty."""
    kept = [Subfield(code, value) for code, value in subfields if value]
    if any(s.code != "2" for s in kept):
        record.add_field(Field(tag=tag, indicators=Indicators(indicators[0], indicators[1]), subfields=kept))


def _access(record: Record, publication: Publication) -> None:
    """Add the 506: the access level in words and as a code, the embargo's end."""
    level = AccessLevel(publication.access_level)
    embargo = publication.embargo_until.strftime("%Y%m%d") if publication.embargo_until else ""
    _data(
        record,
        "506",
        "0 " if level is AccessLevel.OPEN else "1 ",
        ("a", ACCESS_WORDS[level]),
        ("f", level.value),
        ("g", embargo),
        ("2", ACCESS_SOURCE),
    )


def _holding(record: Record, holding: Holding, barcodes: Sequence[str]) -> None:
    """Add one 852 per printed copy of a holding (with its barcode when it has one)."""
    copies: Sequence[str] = list(barcodes) or [""] * holding.copies
    for barcode in copies:
        _data(
            record,
            "852",
            "  ",
            ("b", holding.location),
            ("h", holding.call_number),
            ("p", barcode),
            ("z", holding.note),
        )


def _numbers_note(publication: Publication) -> str:
    """Return the BPS numbers in words, for systems that drop 024's source."""
    parts = []
    if publication.katalog_bps:
        parts.append(f"Katalog BPS: {publication.katalog_bps}")
    if publication.nomor_publikasi:
        parts.append(f"Nomor Publikasi: {publication.nomor_publikasi}")
    return "; ".join(parts)


def _class_number(holdings: Sequence[Holding]) -> str:
    """Return the DDC number a call number starts with ('310.598 MET k' gives '310.598'), or ''."""
    for holding in sorted(holdings, key=lambda h: h.id):
        first = holding.call_number.split(" ", 1)[0]
        if first[:3].isdigit():
            return first
    return ""


def _languages(field_value: str) -> list[str]:
    """Split a language field such as 'id,en' into its codes."""
    return [code for code in field_value.replace(";", ",").replace(" ", ",").split(",") if code]
