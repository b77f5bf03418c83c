"""A publication page carries its citations, its files for reference managers and its meta tags."""

from __future__ import annotations

import bibtexparser
import rispy
from flask import Flask
from flask.testing import FlaskClient
from lxml import html

from tests.functional.identifiers.helpers import change, publication
from tests.unit.library.identifiers.test_citation_formats import parse_raw, unlatex


def head_meta(page: str) -> list[tuple[str, str]]:
    """Return the (name, content) of every meta tag in a page's head."""
    tree = html.fromstring(page)
    return [(m.get("name"), m.get("content")) for m in tree.iterfind(".//head/meta") if m.get("name")]


def test_the_page_has_a_cite_section_with_apa_and_the_bps_style(app: Flask, client: FlaskClient) -> None:
    pid, identifier = publication(app)
    tree = html.fromstring(client.get(f"/katalog/{pid}").get_data(as_text=True))
    section = tree.get_element_by_id("kutip")
    assert section.find(".//h2").get("id") == "cite-title"
    copied = [t.text_content() for t in section.iterfind(".//textarea")]
    url = f"http://127.0.0.1:8000/id/{identifier}"
    assert copied == [
        f"Badan Pusat Statistik Kota Metro. (2024). Kota Metro Dalam Angka 2024 (No. 1102001.1872). {url}",
        "Badan Pusat Statistik Kota Metro. (2024). Kota Metro Dalam Angka 2024 (Katalog 1102001.1872). "
        f"BPS Kota Metro. {url}",
    ]
    assert [i.text for i in section.iterfind(".//blockquote/i")] == ["Kota Metro Dalam Angka 2024"] * 2
    links = {a.text: a.get("href") for a in section.iterfind(".//a")}
    assert links["BibTeX"] == f"/katalog/{pid}/kutip.bib" and links["RIS"] == f"/katalog/{pid}/kutip.ris"


def test_the_head_carries_highwire_and_dublin_core_tags_but_no_pdf_address(
    app: Flask, client: FlaskClient
) -> None:
    pid, identifier = publication(app)
    tags = head_meta(client.get(f"/katalog/{pid}").get_data(as_text=True))
    assert ("citation_title", "Kota Metro Dalam Angka 2024") in tags
    assert ("citation_author", "Badan Pusat Statistik Kota Metro") in tags
    assert ("citation_publication_date", "2024/02/28") in tags
    assert ("citation_publisher", "BPS Kota Metro") in tags and ("citation_issn", "2477-538X") in tags
    assert ("citation_language", "id") in tags
    assert ("citation_abstract_html_url", f"http://127.0.0.1:8000/id/{identifier}") in tags
    assert ("DC.title", "Kota Metro Dalam Angka 2024") in tags and ("DC.date", "2024-02-28") in tags
    assert ("DC.identifier", f"http://127.0.0.1:8000/id/{identifier}") in tags
    assert "citation_pdf_url" not in dict(tags)


def test_bibtex_and_ris_download_with_their_types_and_names_and_parse(
    app: Flask, client: FlaskClient
) -> None:
    pid, identifier = publication(app)
    key = identifier.replace("/", "_")
    bib = client.get(f"/katalog/{pid}/kutip.bib")
    assert bib.content_type == "application/x-bibtex; charset=utf-8"
    assert bib.headers["Content-Disposition"] == f'attachment; filename="{key}.bib"'
    (entry,) = bibtexparser.loads(bib.get_data(as_text=True)).entries
    assert (entry["ID"], entry["title"], entry["year"]) == (key, "Kota Metro Dalam Angka 2024", "2024")
    ris = client.get(f"/katalog/{pid}/kutip.ris")
    assert ris.content_type == "application/x-research-info-systems; charset=utf-8"
    assert ris.headers["Content-Disposition"] == f'attachment; filename="{key}.ris"'
    (record,) = rispy.loads(ris.get_data(as_text=True))
    assert record["title"] == "Kota Metro Dalam Angka 2024"


def test_a_title_with_latex_specials_and_indonesian_letters_survives_both_files(
    app: Flask, client: FlaskClient
) -> None:
    pid, _ = publication(app)
    title = 'Indeks "Harga" & Upah {Buruh} 100% — Kabupaten Tulang Bawang #2, café_é'
    change(app, pid, title=title)
    entry = parse_raw(client.get(f"/katalog/{pid}/kutip.bib").get_data(as_text=True))
    assert unlatex(entry["title"]) == title
    (record,) = rispy.loads(client.get(f"/katalog/{pid}/kutip.ris").get_data(as_text=True))
    assert record["title"] == title


def test_a_withdrawn_publication_s_citation_files_are_gone_for_the_public(
    app: Flask, client: FlaskClient
) -> None:
    pid, _ = publication(app)
    change(app, pid, published_at=None)
    for kind in ("kutip.bib", "kutip.ris", "datacite.xml"):
        assert client.get(f"/katalog/{pid}/{kind}").status_code == 404
