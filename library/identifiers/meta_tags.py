"""The tags in a publication page's head that Google Scholar, Zotero and harvesters read.

Highwire Press tags (citation_*), as Google Scholar's inclusion guidelines list them, and Dublin
Core (DC.*). No citation_pdf_url: no file of a publication has a public address (a reader sees
page pictures, a softcopy is stamped for the one who asked), so there is no PDF to point at.
"""

from __future__ import annotations

from library.identifiers.records import CitationRecord


def meta_tags(record: CitationRecord) -> tuple[tuple[str, str], ...]:
    """Return the (name, content) pairs of a publication's meta tags, empty values left out."""
    date = record.released.strftime("%Y/%m/%d") if record.released else str(record.year or "")
    tags = [
        ("citation_title", record.title),
        ("citation_author", record.creator),
        ("citation_publication_date", date),
        ("citation_publisher", record.publisher),
        ("citation_technical_report_institution", "" if record.is_book else record.publisher),
        ("citation_technical_report_number", "" if record.is_book else record.katalog_bps),
        ("citation_isbn", record.isbn),
        ("citation_issn", record.issn),
        ("citation_doi", record.doi),
        ("citation_language", record.languages[0]),
        ("citation_abstract_html_url", record.persistent_url or record.page_url),
        ("DC.title", record.title),
        ("DC.title.alternative", record.alternative_title),
        ("DC.creator", record.creator),
        ("DC.publisher", record.publisher),
        ("DC.date", record.released.isoformat() if record.released else str(record.year or "")),
        ("DC.type", "Text"),
        ("DC.format", "application/pdf"),
        ("DC.identifier", record.persistent_url),
        ("DC.identifier", f"doi:{record.doi}" if record.doi else ""),
        ("DC.language", record.languages[0]),
        ("DC.subject", record.subject),
        ("DC.description", record.abstract[:1000]),
    ]
    return tuple((name, value) for name, value in tags if value)
