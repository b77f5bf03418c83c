"""A publication in the DataCite Metadata Schema (kernel 4), ready for an office that registers DOIs.

The identifier is the DOI when the publication has one, else its persistent address (type URL);
with a DOI, the persistent address is given as an alternate identifier. The creator is the
issuing office as an organisation; the publisher is Badan Pusat Statistik. Nothing is sent
anywhere: the office gives this file to its DOI registration agency.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from library.identifiers.names import PUBLISHER
from library.identifiers.records import CitationRecord

NS = "http://datacite.org/schema/kernel-4"
SCHEMA_LOCATION = f"{NS} https://schema.datacite.org/meta/kernel-4/metadata.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Namespaces written as plain attributes: ElementTree's prefix table is the process's (OAI-PMH
# takes the default one), and a document with the kernel's as default namespace is what DataCite shows.
XML_LANG = "xml:lang"


def _add(parent: ET.Element, name: str, text: str = "", **attributes: str) -> ET.Element:
    """Append an element of the kernel's namespace with its text and attributes."""
    element = ET.SubElement(parent, name, attributes)
    element.text = text or None
    return element


def datacite_xml(record: CitationRecord) -> bytes:
    """Write a publication's DataCite XML document (UTF-8, with its XML declaration)."""
    root = ET.Element("resource", {"xmlns": NS, "xmlns:xsi": XSI, "xsi:schemaLocation": SCHEMA_LOCATION})
    if record.doi:
        _add(root, "identifier", record.doi, identifierType="DOI")
    else:
        _add(root, "identifier", record.persistent_url, identifierType="URL")
    creator = _add(_add(root, "creators"), "creator")
    _add(creator, "creatorName", record.creator, nameType="Organizational")
    titles = _add(root, "titles")
    _add(titles, "title", record.title, **{XML_LANG: record.languages[0]})
    if record.alternative_title:
        _add(titles, "title", record.alternative_title, titleType="TranslatedTitle")
    _add(root, "publisher", PUBLISHER)
    _add(root, "publicationYear", str(record.year or (record.updated_at.year if record.updated_at else "")))
    kind = "Book" if record.is_book else "Report"
    _add(root, "resourceType", record.publication_type or kind, resourceTypeGeneral=kind)
    if record.subject:
        _add(_add(root, "subjects"), "subject", record.subject)
    _dates(root, record)
    _add(root, "language", record.languages[0])
    _identifiers(root, record)
    _add(_add(root, "formats"), "format", "application/pdf")
    if record.abstract:
        _add(_add(root, "descriptions"), "description", record.abstract, descriptionType="Abstract")
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode()


def _dates(root: ET.Element, record: CitationRecord) -> None:
    """Add when it was issued and last updated."""
    dates = _add(root, "dates")
    if record.released:
        _add(dates, "date", record.released.isoformat(), dateType="Issued")
    if record.updated_at:
        _add(dates, "date", record.updated_at.date().isoformat(), dateType="Updated")


def _identifiers(root: ET.Element, record: CitationRecord) -> None:
    """Add the publication's other names and what it relates to (its ISBN, its series' ISSN)."""
    others = [("URL", record.persistent_url)] if record.doi and record.persistent_url else []
    others += [("Katalog BPS", record.katalog_bps)] if record.katalog_bps else []
    others += [("Nomor Publikasi", record.nomor_publikasi)] if record.nomor_publikasi else []
    if others:
        alternates = _add(root, "alternateIdentifiers")
        for kind, value in others:
            _add(alternates, "alternateIdentifier", value, alternateIdentifierType=kind)
    related = [("ISBN", record.isbn, "IsIdenticalTo"), ("ISSN", record.issn, "IsPartOf")]
    if any(value for _, value, _ in related):
        element = _add(root, "relatedIdentifiers")
        for kind, value, relation in related:
            if value:
                _add(element, "relatedIdentifier", value, relatedIdentifierType=kind, relationType=relation)
