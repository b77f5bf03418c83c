"""A publication as the citation formats see it: one value every format (APA, BibTeX, RIS, DataCite) reads."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from library.identifiers.names import creator_name, language_codes, publisher_name
from library.models import Publication

DOI = re.compile(r"10\.[0-9]{4,9}/\S{1,180}")  # a registrant code, a slash, a suffix without spaces
# What BPS's own publications call a statistical report, as opposed to a book (an ISBN, a yearbook).
REPORT_WORDS = ("laporan", "report", "statistik", "indikator", "survei", "sensus", "berita resmi")


@dataclass(frozen=True)
class CitationRecord:
    """What a citation of one publication says."""

    identifier: str  # "<prefix>/<number>", relative
    persistent_url: str  # the base URL and /id/<identifier>
    page_url: str  # the publication's page, /katalog/<id>
    title: str
    alternative_title: str
    creator: str  # the issuing office spelled out: "Badan Pusat Statistik Kota Metro"
    publisher: str  # as BPS prints it: "BPS Kota Metro"
    year: int | None
    released: dt.date | None
    publication_type: str
    subject: str
    abstract: str
    languages: tuple[str, ...]
    issn: str
    isbn: str
    doi: str
    katalog_bps: str
    nomor_publikasi: str
    updated_at: dt.datetime | None = None

    @property
    def is_book(self) -> bool:
        """Tell whether it is cited as a book (an ISBN, no report word in its type), else a report."""
        kind = self.publication_type.lower()
        return bool(self.isbn) and not any(word in kind for word in REPORT_WORDS)

    @property
    def doi_url(self) -> str:
        """Return the DOI as a resolvable address, or ''."""
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def cited_url(self) -> str:
        """Return the address a citation gives: the DOI's when there is one, else the persistent one."""
        return self.doi_url or self.persistent_url


def persistent_url(base_url: str, identifier: str) -> str:
    """Return the full address of an identifier under a base URL (identifiers are stored relative)."""
    return f"{base_url.rstrip('/')}/id/{identifier}"


def normal_doi(text: str) -> str:
    """Return a DOI as stored: trimmed, without a resolver's address or 'doi:' in front."""
    value = text.strip()
    for head in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"):
        if value.lower().startswith(head):
            value = value[len(head) :]
    return value


def citation_record(publication: Publication, base_url: str) -> CitationRecord:
    """Describe a publication for citing, its addresses under the base URL given."""
    p = publication
    creator = creator_name(p.issuing_office.name)
    released = p.actual_release or p.scheduled_release
    return CitationRecord(
        identifier=p.identifier or "",
        persistent_url=persistent_url(base_url, p.identifier) if p.identifier else "",
        page_url=f"{base_url.rstrip('/')}/katalog/{p.id}",
        title=p.title,
        alternative_title=p.alternative_title,
        creator=creator,
        publisher=publisher_name(creator),
        year=released.year if released else None,
        released=released,
        publication_type=p.publication_type,
        subject=p.subject,
        abstract=p.abstract,
        languages=language_codes(p.language),
        issn=p.issn,
        isbn=p.isbn,
        doi=p.doi,
        katalog_bps=p.katalog_bps,
        nomor_publikasi=p.nomor_publikasi,
        updated_at=p.updated_at,
    )
