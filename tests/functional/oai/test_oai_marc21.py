"""Harvesters ask /oai for marc21: MARCXML in the BPS profile beside oai_dc, paged the same way.

Every response is validated against the OAI-PMH 2.0 schema with the MARCXML structure
(tests/schemas/marcxml-structure.xsd): namespace, leader, control fields, data fields.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.functional import oai_helpers
from tests.functional.oai_helpers import OAI, ask, identifier, publications, texts

app = oai_helpers.app
MARC = "{http://www.loc.gov/MARC21/slim}"


def subfields(record, tag: str, code: str) -> list[str]:
    """Return the values of one subfield code of every field with the tag."""
    return texts(record, f"{MARC}datafield[@tag='{tag}']/{MARC}subfield[@code='{code}']")


def test_get_record_gives_the_publication_as_marcxml_in_the_bps_profile(
    app: Flask, client: FlaskClient
) -> None:
    metro = publications(app, key="metro-dalam-angka-2024")[0]
    root = ask(client, {"verb": "GetRecord", "identifier": identifier(metro.id), "metadataPrefix": "marc21"})
    record = root.find(f"{OAI}GetRecord/{OAI}record/{OAI}metadata/{MARC}record")
    leader = texts(record, f"{MARC}leader")[0]
    assert (len(leader), leader[6], leader[9]) == (24, "a", "a")  # language material, UTF-8
    assert texts(record, f"{MARC}controlfield[@tag='001']") == ["metro-dalam-angka-2024"]
    assert texts(record, f"{MARC}controlfield[@tag='008']")[0][6:15] == "e20240228"
    assert subfields(record, "245", "a") == ["Kota Metro Dalam Angka 2024"]
    assert subfields(record, "245", "b") == ["Metro Municipality in Figures 2024"]
    assert subfields(record, "110", "a") == ["Badan Pusat Statistik Kota Metro"]
    assert subfields(record, "022", "a") == ["2477-538X"]
    persistent = f"http://127.0.0.1:8000/id/bps1872/{metro.id}"
    assert subfields(record, "024", "a") == ["1102001.1872", "18720.2401", persistent]
    assert subfields(record, "024", "2") == ["katalog-bps", "nomor-publikasi-bps", "uri"]
    assert subfields(record, "041", "a") == ["ind", "eng"]
    assert subfields(record, "856", "u") == [persistent]


def test_list_records_in_marc21_pages_through_every_record_as_oai_dc_does(
    app: Flask, client: FlaskClient
) -> None:
    seen: dict[str, list[str]] = {}
    for prefix in ("oai_dc", "marc21"):
        query: dict[str, str] = {"verb": "ListRecords", "metadataPrefix": prefix}
        seen[prefix] = []
        while True:
            root = ask(client, query)
            seen[prefix] += texts(root, f".//{OAI}record/{OAI}header/{OAI}identifier")
            token = texts(root, f".//{OAI}resumptionToken")
            if not token or not token[0]:
                break
            query = {"verb": "ListRecords", "resumptionToken": token[0]}
    assert seen["marc21"] == seen["oai_dc"] and len(seen["marc21"]) > 3
    assert len(root.findall(f".//{OAI}metadata/{MARC}record")) >= 1
