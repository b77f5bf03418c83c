"""Harvesters use /oai: the six OAI-PMH verbs, the records they give and every protocol error.

Every response in these tests is validated against the OAI-PMH 2.0 and oai_dc schemas.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

import catalog_data
from library.models import Publication
from library.oai import requests as oai_requests
from library.oai import xml as oai_xml
from tests.functional import oai_helpers
from tests.functional.oai_helpers import (
    DC,
    ERROR_CODES,
    OAI,
    XML_LANG,
    ask,
    error_code,
    identifier,
    old_identifier,
    publications,
    texts,
)

OAI_ID = "{http://www.openarchives.org/OAI/2.0/oai-identifier}"
# The shared fixture: the app serving OAI lists three records a page, on a clock the test controls.
app = oai_helpers.app


def test_identify_describes_the_repository_from_the_office_and_the_settings(
    app: Flask, client: FlaskClient
) -> None:
    identify = ask(client, {"verb": "Identify"}).find(f"{OAI}Identify")
    earliest = min(p.updated_at for p in publications(app))
    assert texts(identify, "*")[:7] == [
        "Perpustakaan Digital BPS Kota Metro",
        "http://127.0.0.1:8000/oai",
        "2.0",
        "bps1872@bps.go.id",  # the default sender pst@localhost is no address a harvester can use
        oai_requests.datestamp(earliest),
        "persistent",  # withdrawn publications are kept, and given as deleted records until restored
        "YYYY-MM-DDThh:mm:ssZ",
    ]
    described = identify.find(f"{OAI}description/{OAI_ID}oai-identifier")
    assert texts(described, "*") == ["oai", "pustaka.bps1872", ":", "oai:pustaka.bps1872:bps1872/1"]


def test_identify_names_the_repository_as_configured_not_by_its_host(make_app) -> None:
    client = make_app(oai_repository_id="perpustakaan.bps-metro", pid_prefix="metro").test_client()
    described = ask(client, {"verb": "Identify"}).find(
        f"{OAI}Identify/{OAI}description/{OAI_ID}oai-identifier"
    )
    assert texts(described, "*") == [
        "oai",
        "perpustakaan.bps-metro",
        ":",
        "oai:perpustakaan.bps-metro:metro/1",
    ]


def test_identify_gives_the_configured_sender_as_the_admin_email(make_app) -> None:
    app = make_app(
        mail_from="PST BPS Kota Metro <pst1872@bps.go.id>", base_url="https://pustaka.example.go.id"
    )
    client = app.test_client()
    identify = ask(client, {"verb": "Identify"}).find(f"{OAI}Identify")
    assert texts(identify, f"{OAI}adminEmail") == ["pst1872@bps.go.id"]
    assert texts(identify, f"{OAI}baseURL") == ["https://pustaka.example.go.id/oai"]


def test_a_post_is_answered_like_a_get_without_a_csrf_token(client: FlaskClient) -> None:
    by_post = ask(client, {"verb": "ListSets"}, method="POST")
    by_get = ask(client, {"verb": "ListSets"})
    assert texts(by_post, f".//{OAI}setSpec") == texts(by_get, f".//{OAI}setSpec")


def test_the_request_is_echoed_with_its_arguments(client: FlaskClient) -> None:
    request = ask(client, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "office:1872"}).find(
        f"{OAI}request"
    )
    assert request.text == "http://127.0.0.1:8000/oai"
    assert dict(request.attrib) == {
        "verb": "ListIdentifiers",
        "metadataPrefix": "oai_dc",
        "set": "office:1872",
    }


def test_oai_dc_and_marc21_are_the_metadata_formats(app: Flask, client: FlaskClient) -> None:
    first = publications(app)[0]
    for query in (
        {"verb": "ListMetadataFormats"},
        {"verb": "ListMetadataFormats", "identifier": identifier(first.id)},
    ):
        formats = ask(client, query).find(f"{OAI}ListMetadataFormats")
        assert texts(formats, f"{OAI}metadataFormat/*") == [
            "oai_dc",
            "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            "http://www.openarchives.org/OAI/2.0/oai_dc/",
            "marc21",
            "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd",
            "http://www.loc.gov/MARC21/slim",
        ]


def test_list_sets_names_each_office_and_subject_under_their_parents(app: Flask, client: FlaskClient) -> None:
    sets = ask(client, {"verb": "ListSets"}).find(f"{OAI}ListSets")
    named = dict(
        zip(texts(sets, f"{OAI}set/{OAI}setSpec"), texts(sets, f"{OAI}set/{OAI}setName"), strict=True)
    )
    assert named["office:1872"] == "BPS Kota Metro"
    assert {"office", "subject", "office:1600", "office:1674", "office:1805"} <= named.keys()
    assert named["subject:statistik-umum"] == "Statistik Umum"
    subjects = {p.subject for p in publications(app)}
    groups = {f"subject:{g.code}" for g in catalog_data.load_subjects()}  # a set per subject group
    assert groups <= named.keys() and named["subject:umum"] == "Umum"
    assert {
        name for spec, name in named.items() if spec.startswith("subject:") and spec not in groups
    } == subjects


def test_get_record_gives_the_dublin_core_and_bps_fields(app: Flask, client: FlaskClient) -> None:
    metro = publications(app, key="metro-dalam-angka-2024")[0]
    record = ask(
        client, {"verb": "GetRecord", "identifier": identifier(metro.id), "metadataPrefix": "oai_dc"}
    ).find(f"{OAI}GetRecord/{OAI}record")
    assert texts(record, f"{OAI}header/{OAI}identifier") == [identifier(metro.id)]
    assert texts(record, f"{OAI}header/{OAI}datestamp") == [oai_requests.datestamp(metro.updated_at)]
    assert texts(record, f"{OAI}header/{OAI}setSpec") == [
        "office:1872",
        "subject:umum",
        "subject:statistik-umum",
        "collection:dalam-angka",  # the demo's series of the "... Dalam Angka" titles
    ]
    dc = record.find(f"{OAI}metadata/{{http://www.openarchives.org/OAI/2.0/oai_dc/}}dc")
    assert texts(dc, f"{DC}title") == ["Kota Metro Dalam Angka 2024", "Metro Municipality in Figures 2024"]
    assert texts(dc, f"{DC}creator") == ["Badan Pusat Statistik Kota Metro"]
    assert texts(dc, f"{DC}publisher") == ["Badan Pusat Statistik"]
    assert texts(dc, f"{DC}date") == ["2024-02-28"]
    assert texts(dc, f"{DC}identifier") == [
        f"http://127.0.0.1:8000/id/bps1872/{metro.id}",  # the persistent address, not the page's
        "ISSN:2477-538X",
        "Katalog BPS:1102001.1872",
        "Nomor Publikasi:18720.2401",
    ]
    assert texts(dc, f"{DC}language") == ["id", "en"]
    assert texts(dc, f"{DC}coverage") == ["2023"]
    assert texts(dc, f"{DC}description") == [metro.abstract]


def test_the_demo_numbers_its_identifiers_as_its_ids(app: Flask) -> None:
    # `oai_helpers.identifier` builds the demo's OAI identifiers from ids on this ground.
    assert {p.identifier for p in publications(app)} == {f"bps1872/{p.id}" for p in publications(app)}


def test_get_record_still_answers_the_identifier_harvesters_were_given_before(
    app: Flask, client: FlaskClient
) -> None:
    metro = publications(app, key="metro-dalam-angka-2024")[0]
    old = ask(
        client, {"verb": "GetRecord", "identifier": old_identifier(metro.id), "metadataPrefix": "oai_dc"}
    )
    # The record answers under its identifier now: a harvester learns the new one.
    assert texts(old, f".//{OAI}header/{OAI}identifier") == [identifier(metro.id)]


def test_a_restricted_publication_is_harvested_as_metadata_only(app: Flask, client: FlaskClient) -> None:
    restricted = publications(app, access_level="restricted")[0]
    record = ask(
        client, {"verb": "GetRecord", "identifier": identifier(restricted.id), "metadataPrefix": "oai_dc"}
    ).find(f".//{OAI}record")
    rights = [(node.text, node.get(XML_LANG)) for node in record.iter(f"{DC}rights")]
    assert rights == [
        ("Akses terbatas; salinan atas persetujuan pustakawan", "id"),
        ("Restricted access; copies only with the librarian's approval", "en"),
    ]
    links = [t for t in texts(record, f".//{DC}*") if "://" in t]
    assert links == [
        f"http://127.0.0.1:8000/id/bps1872/{restricted.id}"
    ]  # its persistent address, never a file
    assert texts(record, f".//{DC}title") == [restricted.title]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("", "badVerb"),
        ("verb=Bogus", "badVerb"),
        ("verb=Identify&verb=Identify", "badVerb"),
        ("verb=Identify&set=office", "badArgument"),
        ("verb=ListRecords", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-30", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-12-31T00:00:00Z", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-06-01&until=2024-05-01", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-06-01T10:00:00", "badArgument"),
        ("verb=GetRecord&identifier=oai:127.0.0.1:pub/1", "badArgument"),
        ("verb=GetRecord&identifier=%3Cscript%3E&metadataPrefix=oai_dc", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&set=%00", "badArgument"),
        ("verb=ListRecords&resumptionToken=", "badArgument"),
        ("verb=ListRecords&resumptionToken=abc", "badResumptionToken"),
        ("verb=ListSets&resumptionToken=abc", "badResumptionToken"),
        ("verb=ListRecords&metadataPrefix=mods", "cannotDisseminateFormat"),
        ("verb=ListIdentifiers&metadataPrefix=oai_dc%27%28%29", "cannotDisseminateFormat"),
        ("verb=GetRecord&identifier=oai:127.0.0.1:pub/1&metadataPrefix=mods", "cannotDisseminateFormat"),
        ("verb=GetRecord&identifier=oai:127.0.0.1:pub/99999&metadataPrefix=oai_dc", "idDoesNotExist"),
        (
            "verb=GetRecord&identifier=oai:pustaka.bps1872:bps1872/99999&metadataPrefix=oai_dc",
            "idDoesNotExist",
        ),
        ("verb=GetRecord&identifier=oai:pustaka.elsewhere:bps1872/1&metadataPrefix=oai_dc", "idDoesNotExist"),
        ("verb=GetRecord&identifier=oai:elsewhere.org:pub/1&metadataPrefix=oai_dc", "idDoesNotExist"),
        ("verb=ListMetadataFormats&identifier=oai:127.0.0.1:pub/99999", "idDoesNotExist"),
        ("verb=ListRecords&metadataPrefix=oai_dc&set=office:0000", "noRecordsMatch"),
    ],
)
def test_each_protocol_error_is_a_schema_valid_answer_with_status_200(
    client: FlaskClient, query: str, code: str
) -> None:
    root = ask(client, query)
    assert error_code(root) == code
    assert root.find(f"{OAI}error").text
    request = root.find(f"{OAI}request")
    if code in ("badVerb", "badArgument"):
        assert request.attrib == {}  # the protocol forbids echoing a request it could not parse
    else:
        assert request.get("verb") == query.split("verb=")[1].split("&")[0]


def test_every_error_code_the_endpoint_can_give_is_exercised() -> None:
    codes = {cls.code for cls in oai_requests.OAIError.__subclasses__()}
    assert codes == ERROR_CODES


def test_characters_xml_cannot_carry_are_dropped_from_the_data(app: Flask, client: FlaskClient) -> None:
    first = publications(app)[0]
    with app.extensions["pustaka"].uow() as uow:
        uow.session.get(Publication, first.id).abstract = "Tabel\x0c 1\x00 dan\x1b 2"
        uow.commit()
    root = ask(client, {"verb": "GetRecord", "identifier": identifier(first.id), "metadataPrefix": "oai_dc"})
    assert texts(root, f".//{DC}description") == ["Tabel 1 dan 2"]


def test_other_http_methods_are_refused_in_xml(client: FlaskClient) -> None:
    response = client.put("/oai")
    assert response.status_code == 405
    assert response.content_type == "text/xml; charset=utf-8"
    assert etree.fromstring(response.data).tag == "failure"


def test_an_unexpected_failure_is_xml_not_an_html_page(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> bytes:
        raise RuntimeError("database gone")

    monkeypatch.setattr(oai_xml, "respond", broken)
    response = client.get("/oai?verb=Identify")
    assert response.status_code == 500
    assert response.content_type == "text/xml; charset=utf-8"
    assert b"database gone" not in response.data
    assert b"<html" not in response.data.lower()
