"""A MARC21 record read into the BPS profile: the publication's fields, its holdings, what is not kept."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from pymarc import Field, Record

from library.catalogue.marc.profile import (
    ACCESS_SOURCE,
    KATALOG_NOTE,
    KATALOG_SOURCE,
    KEY_SOURCE,
    NOMOR_NOTE,
    NOMOR_SOURCE,
    Words,
    iso_language,
    trimmed,
    year_in,
)
from library.i18n import N_


@dataclass(frozen=True)
class HoldingLine:
    """Printed copies a record names in one place: shelf mark, location, how many, their barcodes."""

    call_number: str
    location: str
    copies: int
    note: str = ""
    barcodes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Description:
    """What a MARC record says in the BPS profile, as text the edit form would show."""

    fields: dict[str, str]  # by the names of `PublicationFields` (no office)
    issuing_body: str  # 110 (or 710) as written: the office is found by it
    keys: tuple[str, ...]  # 001 and each 035, as written
    holdings: tuple[HoldingLine, ...]
    notes: tuple[Words, ...]  # what the record says that is not kept, or was guessed


def describe(record: Record, default_location: str) -> Description:
    """Read a record's fields in the BPS profile; nothing is checked here but the shapes."""
    notes: list[Words] = []
    values = {
        "title": _title(record),
        "alternative_title": _alternative_title(record),
        "abstract": _abstract(record),
        "subject": _subject(record, notes),
        "publication_type": _first(record, ("655", "a"), ("490", "a")),
        "language": _language(record, notes),
        "reference_period": _first(record, ("513", "b")),
        "katalog_bps": _identifier(record, KATALOG_SOURCE, KATALOG_NOTE),
        "nomor_publikasi": _identifier(record, NOMOR_SOURCE, NOMOR_NOTE),
        "isbn": _first(record, ("020", "a")).split(" ")[0],
        "issn": _first(record, ("022", "a")).split(" ")[0],
        "actual_release": _release(record, notes),
        **_access(record),
    }
    if record.get_fields("300"):
        notes.append(Words(N_("300 (extent) is not kept: the page count comes from the file.")))
    return Description(
        fields={name: value for name, value in values.items() if value},
        issuing_body=_issuing_body(record),
        keys=_keys(record),
        holdings=holdings_of(record, default_location),
        notes=tuple(notes),
    )


def key_of(record_key: str) -> str:
    """Return the publication key a 001 or 035 value names when it is Pustaka's own."""
    return record_key[len(KEY_SOURCE) :] if record_key.startswith(KEY_SOURCE) else record_key


def holdings_of(record: Record, default_location: str) -> tuple[HoldingLine, ...]:
    """Return the printed copies of 852 (one per copy or with a count) and SLiMS's 090, grouped by place."""
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    fallback_class = _first(record, ("082", "a"), ("084", "a"))
    for field in record.get_fields("852"):
        call_number = " ".join(v for v in (_sub(field, "h"), _sub(field, "i")) if v) or fallback_class
        location = _sub(field, "b") or _sub(field, "a") or default_location
        if call_number:
            groups.setdefault((call_number, location), []).append((_sub(field, "p"), _sub(field, "z")))
    if not groups:
        for field in record.get_fields("090"):
            call_number = " ".join(v for v in (_sub(field, "a"), _sub(field, "b")) if v)
            if call_number:
                groups.setdefault((call_number, default_location), []).append(("", ""))
    return tuple(
        HoldingLine(
            call_number=call_number,
            location=location,
            copies=len(copies),
            note=next((note for _barcode, note in copies if note), ""),
            barcodes=tuple(barcode for barcode, _note in copies if barcode),
        )
        for (call_number, location), copies in groups.items()
    )


def _title(record: Record) -> str:
    """Return 245 $a with its part number and name ($n, $p)."""
    field = record.get("245")
    return _joined(field, "anp") if field is not None else ""


def _alternative_title(record: Record) -> str:
    """Return 245 $b (the rest of the title), else the first 246 $a (a parallel or varying title)."""
    field = record.get("245")
    rest = _sub(field, "b") if field is not None else ""
    if rest.startswith("= "):
        rest = rest[2:]
    return rest or _first(record, ("246", "a"))


def _subject(record: Record, notes: list[Words]) -> str:
    """Return the first 650 $a; say which later ones are not kept (a publication has one subject)."""
    subjects = [trimmed(_sub(f, "a")) for f in record.get_fields("650") if _sub(f, "a")]
    if len(subjects) > 1:
        notes.append(
            Words(
                N_("Only the first subject (650) is kept; not kept: %(subjects)s."),
                {"subjects": "; ".join(subjects[1:])},
            )
        )
    return subjects[0] if subjects else ""


def _language(record: Record, notes: list[Words]) -> str:
    """Return the two-letter codes of 041 $a (else 008/35-37), as 'id' or 'id,en'."""
    codes: list[str] = []
    for field in record.get_fields("041"):
        for value in field.get_subfields("a"):
            codes.extend(value[i : i + 3] for i in range(0, len(value.strip()), 3))  # old records: "indeng"
    fixed = record.get("008")
    if not codes and fixed is not None and len(fixed.data or "") >= 38:
        codes.append((fixed.data or "")[35:38])
    known = [iso_language(code) for code in codes]
    unknown = [code for code, iso in zip(codes, known, strict=True) if not iso and code.strip(" |")]
    if unknown:
        notes.append(
            Words(N_("Language code(s) not known here, not kept: %(codes)s."), {"codes": ", ".join(unknown)})
        )
    return ",".join(dict.fromkeys(code for code in known if code))


def _release(record: Record, notes: list[Words]) -> str:
    """Return the release date: 008's detailed date (`e`), else the year of 008 or 264/260 $c."""
    field = record.get("008")
    fixed = (field.data or "") if field is not None else ""
    if len(fixed) >= 15 and fixed[6] == "e":
        try:
            return dt.date(int(fixed[7:11]), int(fixed[11:13]), int(fixed[13:15])).isoformat()
        except ValueError:
            pass
    year = int(fixed[7:11]) if len(fixed) >= 11 and fixed[7:11].isdigit() else None
    if year is None:
        year = year_in(_first(record, ("264", "c"), ("260", "c")))
    if year is None:
        return ""
    notes.append(
        Words(
            N_("The record gives the year only: the release date is taken as %(date)s."),
            {"date": f"{year:04d}-01-01"},
        )
    )
    return f"{year:04d}-01-01"


def _abstract(record: Record) -> str:
    """Return the 520 summaries ($a, $b), one paragraph each, their punctuation kept."""
    paragraphs = (
        " ".join(_lines(s.value) for s in f.subfields if s.code in "ab") for f in record.get_fields("520")
    )
    return "\n\n".join(p for p in paragraphs if p)


def _lines(text: str) -> str:
    """Return text with its line breaks kept and the spaces of each line tidied."""
    return "\n".join(" ".join(line.split()) for line in text.strip().split("\n"))


def _identifier(record: Record, source: str, note: re.Pattern[str]) -> str:
    """Return a BPS number from 024 with its source code, else from a 500 note in words."""
    for field in record.get_fields("024"):
        if _sub(field, "2") == source and _sub(field, "a"):
            return _sub(field, "a")
    for field in record.get_fields("500"):
        match = note.search(_sub(field, "a"))
        if match:
            return str(match.group(1))
    return ""


def _access(record: Record) -> dict[str, str]:
    """Return the access level and embargo a 506 of Pustaka's own gives (other systems' are not kept)."""
    for field in record.get_fields("506"):
        if _sub(field, "2") == ACCESS_SOURCE and _sub(field, "f"):
            embargo = _sub(field, "g")
            values = {"access_level": _sub(field, "f")}
            if len(embargo) == 8 and embargo.isdigit():
                values["embargo_until"] = f"{embargo[:4]}-{embargo[4:6]}-{embargo[6:]}"
            return values
    return {}


def _issuing_body(record: Record) -> str:
    """Return the corporate author (110 $a $b), else the first 710, else the publisher (264/260 $b)."""
    for tag in ("110", "710"):
        field = record.get(tag)
        if field is not None and _sub(field, "a"):
            return " ".join(trimmed(v) for v in (*field.get_subfields("a"), *field.get_subfields("b")))
    return _first(record, ("264", "b"), ("260", "b"))


def _keys(record: Record) -> tuple[str, ...]:
    """Return the record's control number (001) and system numbers (035 $a)."""
    keys = []
    control = record.get("001")
    if control is not None and (control.data or "").strip():
        keys.append((control.data or "").strip())
    keys.extend(_sub(f, "a") for f in record.get_fields("035") if _sub(f, "a"))
    return tuple(dict.fromkeys(keys))


def _first(record: Record, *places: tuple[str, str]) -> str:
    """Return the first non-empty subfield among (tag, code) places, tidied."""
    for tag, code in places:
        for field in record.get_fields(tag):
            value = _sub(field, code)
            if value:
                return value
    return ""


def _joined(field: Field, codes: Iterable[str]) -> str:
    """Return the field's subfields of these codes, tidied and joined by spaces."""
    return " ".join(trimmed(s.value) for s in field.subfields if s.code in codes and trimmed(s.value))


def _sub(field: Field, code: str) -> str:
    """Return a field's first subfield of a code, tidied ('' when absent)."""
    values = field.get_subfields(code)
    return trimmed(values[0]) if values else ""
