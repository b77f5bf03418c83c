"""A publication cited in APA, the BPS style, BibTeX, RIS and DataCite XML, read back by real parsers."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import replace
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser.bparser import BibTexParser
from bibtexparser.customization import convert_to_unicode
from lxml import etree

from library.identifiers.bibtex import bibtex
from library.identifiers.citations import apa, bps
from library.identifiers.datacite import datacite_xml
from library.identifiers.meta_tags import meta_tags
from library.identifiers.records import CitationRecord
from library.identifiers.ris import ris

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas" / "datacite"
DATACITE = "{http://datacite.org/schema/kernel-4}"
# Every character LaTeX or a reference manager could stumble on, and Indonesian letters.
HOSTILE = 'Upah & Harga: 10% {naik} "Kuartal" #1 $5 a_b ~ ^ \\ — Pendapatan Rumah Tangga Daerah Tertinggal é'

RECORD = CitationRecord(
    identifier="bps1872/17",
    persistent_url="https://pustaka.example.go.id/id/bps1872/17",
    page_url="https://pustaka.example.go.id/katalog/17",
    title="Kota Metro Dalam Angka 2024",
    alternative_title="Metro Municipality in Figures 2024",
    creator="Badan Pusat Statistik Kota Metro",
    publisher="BPS Kota Metro",
    year=2024,
    released=dt.date(2024, 2, 28),
    publication_type="Publikasi statistik",
    subject="Statistik Umum",
    abstract="Ringkasan data Kota Metro.",
    languages=("id", "en"),
    issn="2477-538X",
    isbn="",
    doi="",
    katalog_bps="1102001.1872",
    nomor_publikasi="18720.2401",
    updated_at=dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.UTC),
)


def test_apa_names_the_office_as_author_and_drops_the_publisher_it_is() -> None:
    cited = apa(RECORD)
    assert cited.text == (
        "Badan Pusat Statistik Kota Metro. (2024). Kota Metro Dalam Angka 2024 (No. 1102001.1872). "
        "https://pustaka.example.go.id/id/bps1872/17"
    )
    assert cited.title == "Kota Metro Dalam Angka 2024"  # the part set in italics


def test_the_bps_style_names_the_office_as_bps_prints_it_as_publisher() -> None:
    assert bps(RECORD).text == (
        "Badan Pusat Statistik Kota Metro. (2024). Kota Metro Dalam Angka 2024 (Katalog 1102001.1872). "
        "BPS Kota Metro. https://pustaka.example.go.id/id/bps1872/17"
    )


def test_a_citation_gives_the_doi_address_when_there_is_one_and_no_date_when_none() -> None:
    cited = apa(replace(RECORD, doi="10.1234/abc", year=None, katalog_bps=""))
    assert (
        cited.text
        == "Badan Pusat Statistik Kota Metro. (n.d.). Kota Metro Dalam Angka 2024. https://doi.org/10.1234/abc"
    )


# LaTeX's escapes read back: bibtexparser's own Unicode conversion mangles \\{ and \\$ (it reads
# "\\{b\\}" as "\\b\\"), where BibTeX and reference managers read the brace, so the test reads them.
_ESCAPES = {
    r"\textbackslash{}": "\\",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    **{"\\" + c: c for c in "{}&%$#_"},
}
_ESCAPE = re.compile("|".join(re.escape(e) for e in sorted(_ESCAPES, key=len, reverse=True)))


def unlatex(text: str) -> str:
    """Return a field's text as LaTeX typesets it (its escapes read back)."""
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group()], text)


def parse_raw(text: str) -> dict[str, str]:
    """Read one entry with bibtexparser, its fields as written (escapes kept)."""
    entries = bibtexparser.loads(text).entries
    assert len(entries) == 1
    return entries[0]


def parse_bibtex(text: str) -> dict[str, str]:
    """Read one entry with bibtexparser, LaTeX turned back to Unicode as reference managers do."""
    parser = BibTexParser(common_strings=True)
    parser.customization = convert_to_unicode
    entries = bibtexparser.loads(text, parser=parser).entries
    assert len(entries) == 1
    return entries[0]


def test_bibtex_is_a_techreport_that_a_parser_reads_back_field_by_field() -> None:
    text = bibtex(RECORD)
    assert "author = {{Badan Pusat Statistik Kota Metro}}" in text  # one corporate name, never split
    entry = parse_bibtex(text)
    assert (entry["ENTRYTYPE"], entry["ID"]) == ("techreport", "bps1872_17")
    assert entry["author"] == "Badan Pusat Statistik Kota Metro"
    assert (entry["title"], entry["institution"], entry["year"]) == (RECORD.title, "BPS Kota Metro", "2024")
    assert (entry["issn"], entry["number"]) == ("2477-538X", "1102001.1872")
    assert entry["url"] == RECORD.persistent_url


def test_a_publication_with_an_isbn_is_a_book_with_a_publisher() -> None:
    entry = parse_bibtex(bibtex(replace(RECORD, isbn="978-602-438-123-3", publication_type="Buku")))
    assert (entry["ENTRYTYPE"], entry["publisher"], entry["isbn"]) == (
        "book",
        "BPS Kota Metro",
        "978-602-438-123-3",
    )


def test_latex_specials_in_a_title_are_escaped_and_read_back_whole() -> None:
    text = bibtex(replace(RECORD, title=HOSTILE))
    assert r"Upah \& Harga: 10\% \{naik\}" in text
    entry = parse_raw(text)
    assert unlatex(entry["title"]) == " ".join(HOSTILE.split())
    assert entry["institution"] == "BPS Kota Metro"  # the fields after it are read whole too


def test_ris_is_a_report_that_rispy_reads_back() -> None:
    (entry,) = rispy.loads(ris(replace(RECORD, title=HOSTILE)))
    assert entry["type_of_reference"] == "RPRT"
    assert entry["authors"] == ["Badan Pusat Statistik Kota Metro"]
    assert entry["title"] == " ".join(HOSTILE.split())
    assert entry["translated_title"] == "Metro Municipality in Figures 2024"
    assert (entry["year"], entry["publisher"], entry["urls"]) == (
        "2024",
        "BPS Kota Metro",
        [RECORD.persistent_url],
    )
    assert entry["issn"] == "2477-538X"


def test_ris_lines_end_with_crlf_and_the_record_with_er() -> None:
    text = ris(RECORD)
    assert text.startswith("TY  - RPRT\r\n") and text.endswith("ER  - \r\n")
    assert "\n" not in text.replace("\r\n", "")


@functools.cache
def datacite_schema() -> etree.XMLSchema:
    """Load DataCite's kernel-4 schema from the vendored copy (its includes beside it), no network."""
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "metadata.xsd"), parser))


@pytest.mark.parametrize(
    "record",
    [
        RECORD,
        replace(RECORD, doi="10.1234/bps.1872.2024.1", isbn="978-602-438-123-3", title=HOSTILE),
        replace(
            RECORD,
            alternative_title="",
            abstract="",
            subject="",
            issn="",
            katalog_bps="",
            year=None,
            released=None,
        ),
    ],
    ids=["report", "book-with-doi", "bare"],
)
def test_datacite_xml_is_valid_against_the_kernel_4_schema(record: CitationRecord) -> None:
    document = etree.fromstring(datacite_xml(record))
    schema = datacite_schema()
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log)


def test_datacite_gives_the_doi_or_else_the_persistent_address_as_identifier() -> None:
    bare = etree.fromstring(datacite_xml(RECORD))
    assert (
        bare.findtext(f"{DATACITE}identifier"),
        bare.find(f"{DATACITE}identifier").get("identifierType"),
    ) == (
        RECORD.persistent_url,
        "URL",
    )
    with_doi = etree.fromstring(datacite_xml(replace(RECORD, doi="10.1234/x")))
    assert with_doi.findtext(f"{DATACITE}identifier") == "10.1234/x"
    alternates = {
        a.get("alternateIdentifierType"): a.text for a in with_doi.iter(f"{DATACITE}alternateIdentifier")
    }
    assert alternates["URL"] == RECORD.persistent_url
    creator = with_doi.find(f"{DATACITE}creators/{DATACITE}creator/{DATACITE}creatorName")
    assert (creator.text, creator.get("nameType")) == ("Badan Pusat Statistik Kota Metro", "Organizational")
    assert with_doi.find(f"{DATACITE}resourceType").get("resourceTypeGeneral") == "Report"
    related = with_doi.find(f"{DATACITE}relatedIdentifiers/{DATACITE}relatedIdentifier")
    assert (related.text, related.get("relatedIdentifierType"), related.get("relationType")) == (
        "2477-538X",
        "ISSN",
        "IsPartOf",
    )


def test_meta_tags_give_highwire_and_dublin_core_without_a_pdf_address() -> None:
    tags = meta_tags(RECORD)
    names = [name for name, _ in tags]
    assert ("citation_title", RECORD.title) in tags and ("citation_author", RECORD.creator) in tags
    assert ("citation_publication_date", "2024/02/28") in tags and ("citation_issn", "2477-538X") in tags
    assert ("citation_abstract_html_url", RECORD.persistent_url) in tags
    assert ("DC.identifier", RECORD.persistent_url) in tags and ("DC.date", "2024-02-28") in tags
    assert "citation_pdf_url" not in names  # no publication file has a public address
