"""A publication as an RIS record (TY  - RPRT for a report, BOOK with an ISBN), for reference managers."""

from __future__ import annotations

from library.identifiers.records import CitationRecord


def _line(tag: str, value: str) -> str:
    """Return one RIS line: a tag, two spaces, a hyphen, a space, the value on one line."""
    return f"{tag}  - {' '.join(value.split())}\r\n"


def ris(record: CitationRecord) -> str:
    """Write one RIS record for a publication (CRLF line ends, as the format says)."""
    lines = [_line("TY", "BOOK" if record.is_book else "RPRT"), _line("AU", record.creator)]
    lines.append(_line("TI", record.title))
    if record.alternative_title:
        lines.append(_line("TT", record.alternative_title))
    if record.year:
        lines.append(_line("PY", str(record.year)))
    if record.released:
        lines.append(_line("DA", record.released.strftime("%Y/%m/%d")))
    lines.append(_line("PB", record.publisher))
    for tag, value in (("SN", record.isbn or record.issn), ("DO", record.doi), ("M1", record.katalog_bps)):
        if value:
            lines.append(_line(tag, value))
    lines.append(_line("UR", record.cited_url))
    lines.extend(_line("LA", code) for code in record.languages)
    if record.subject:
        lines.append(_line("KW", record.subject))
    if record.abstract:
        lines.append(_line("AB", record.abstract))
    lines.append("ER  - \r\n")
    return "".join(lines)
