"""Harvesters use /oai: the six OAI-PMH verbs, sets, datestamps, resumption and every protocol error.

Every response in these tests is validated against the OAI-PMH 2.0 and oai_dc schemas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import select

from library.models import Office, Publication
from library.oai import requests as oai_requests
from library.oai import xml as oai_xml
from library.settings import Settings
from tests.schemas import assert_valid
from webapp import create_app

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NOW = dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.UTC)
ERROR_CODES = {
    "badVerb",
    "badArgument",
    "badResumptionToken",
    "cannotDisseminateFormat",
    "idDoesNotExist",
    "noRecordsMatch",
}

Query = Mapping[str, str | Sequence[str]]


def ask(client: FlaskClient, query: Query | str, *, method: str = "GET") -> etree._Element:
    """Send an OAI-PMH request; check it answers schema-valid XML with status 200; return the root."""
    if method == "POST":
        response = client.post("/oai", data=query)
    else:
        response = client.get("/oai", query_string=query)
    assert response.status_code == 200
    assert response.content_type == "text/xml; charset=utf-8"
    assert_valid(response.data)
    return etree.fromstring(response.data)


def error_code(root: etree._Element) -> str | None:
    """Return the OAI error code of a response, if it is an error."""
    error = root.find(f"{OAI}error")
    return None if error is None else error.get("code")


def texts(element: etree._Element, path: str) -> list[str]:
    """Return the text of every element at a path."""
    return [node.text or "" for node in element.iterfind(path)]


def record_ids(root: etree._Element) -> list[int]:
    """Return the publication ids of the headers in a response, in order."""
    return [int(i.rsplit("/", 1)[1]) for i in texts(root, f".//{OAI}header/{OAI}identifier")]


def harvest(client: FlaskClient, query: Query) -> list[etree._Element]:
    """Follow resumption tokens to the end of a list; return every page."""
    pages = [ask(client, query)]
    while (token := pages[-1].find(f".//{OAI}resumptionToken")) is not None and token.text:
        pages.append(ask(client, {"verb": query["verb"], "resumptionToken": token.text}))
    return pages


def publications(app: Flask, **where: object) -> list[Publication]:
    """Return the loaded publications (optionally filtered by column values), by id."""
    with app.extensions["pustaka"].uow() as uow:
        query = select(Publication).order_by(Publication.id).filter_by(**where)
        rows = list(uow.session.scalars(query))
        uow.session.expunge_all()
    return rows


def stamp(app: Flask, moments: Mapping[int, dt.datetime]) -> None:
    """Set the updated_at (the OAI datestamp) of publications."""
    with app.extensions["pustaka"].uow() as uow:
        for publication_id, moment in moments.items():
            uow.session.get(Publication, publication_id).updated_at = moment
        uow.commit()


def identifier(publication_id: int) -> str:
    """Return the OAI identifier of a publication on the test instance."""
    return f"oai:127.0.0.1:pub/{publication_id}"


@pytest.fixture
def app(app: Flask) -> Flask:
    """Serve OAI lists three records a page, on a clock the test controls."""
    app.config["PUSTAKA_OAI_PAGE_SIZE"] = 3
    app.extensions["pustaka"].now = lambda: NOW
    return app


def test_identify_describes_the_repository_from_the_office_and_the_settings(
    app: Flask, client: FlaskClient
) -> None:
    identify = ask(client, {"verb": "Identify"}).find(f"{OAI}Identify")
    earliest = min(p.updated_at for p in publications(app))
    assert texts(identify, "*") == [
        "Perpustakaan Digital BPS Kota Metro",
        "http://127.0.0.1:8000/oai",
        "2.0",
        "bps1872@bps.go.id",  # the default sender pst@localhost is no address a harvester can use
        oai_requests.datestamp(earliest),
        "persistent",  # withdrawn publications are kept, and given as deleted records until restored
        "YYYY-MM-DDThh:mm:ssZ",
    ]


def test_identify_gives_the_configured_sender_as_the_admin_email(instance_dir) -> None:
    settings = Settings.from_env(
        {},
        instance_dir=instance_dir,
        mail_from="PST BPS Kota Metro <pst1872@bps.go.id>",
        base_url="https://pustaka.example.go.id",
    )
    client = create_app(settings).test_client()
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


def test_oai_dc_is_the_one_metadata_format(app: Flask, client: FlaskClient) -> None:
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
    assert {name for spec, name in named.items() if spec.startswith("subject:")} == subjects


def test_get_record_gives_the_dublin_core_and_bps_fields(app: Flask, client: FlaskClient) -> None:
    metro = publications(app, key="metro-dalam-angka-2024")[0]
    record = ask(
        client, {"verb": "GetRecord", "identifier": identifier(metro.id), "metadataPrefix": "oai_dc"}
    ).find(f"{OAI}GetRecord/{OAI}record")
    assert texts(record, f"{OAI}header/{OAI}identifier") == [identifier(metro.id)]
    assert texts(record, f"{OAI}header/{OAI}datestamp") == [oai_requests.datestamp(metro.updated_at)]
    assert texts(record, f"{OAI}header/{OAI}setSpec") == ["office:1872", "subject:statistik-umum"]
    dc = record.find(f"{OAI}metadata/{{http://www.openarchives.org/OAI/2.0/oai_dc/}}dc")
    assert texts(dc, f"{DC}title") == ["Kota Metro Dalam Angka 2024", "Metro Municipality in Figures 2024"]
    assert texts(dc, f"{DC}creator") == ["Badan Pusat Statistik Kota Metro"]
    assert texts(dc, f"{DC}publisher") == ["Badan Pusat Statistik"]
    assert texts(dc, f"{DC}date") == ["2024-02-28"]
    assert texts(dc, f"{DC}identifier") == [
        f"http://127.0.0.1:8000/katalog/{metro.id}",
        "ISSN:2477-538X",
        "Katalog BPS:1102001.1872",
        "Nomor Publikasi:18720.2401",
    ]
    assert texts(dc, f"{DC}language") == ["id", "en"]
    assert texts(dc, f"{DC}coverage") == ["2023"]
    assert texts(dc, f"{DC}description") == [metro.abstract]


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
    assert links == [f"http://127.0.0.1:8000/katalog/{restricted.id}"]  # the catalogue page, never a file
    assert texts(record, f".//{DC}title") == [restricted.title]


def test_list_records_pages_through_every_publication_once_by_resumption_token(
    app: Flask, client: FlaskClient
) -> None:
    pages = harvest(client, {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    everyone = [p.id for p in publications(app)]
    harvested = [i for page in pages for i in record_ids(page)]
    assert len(pages) == -(-len(everyone) // 3) > 2
    assert sorted(harvested) == everyone
    tokens = [page.find(f".//{OAI}resumptionToken") for page in pages]
    assert [int(t.get("cursor")) for t in tokens] == [3 * n for n in range(len(pages))]
    assert {t.get("completeListSize") for t in tokens} == {str(len(everyone))}
    assert {t.get("expirationDate") for t in tokens[:-1]} == {"2025-03-02T08:00:00Z"}
    assert (tokens[-1].text, tokens[-1].get("expirationDate")) == (None, None)  # an empty token ends the list


def test_list_records_run_from_the_oldest_datestamp(app: Flask, client: FlaskClient) -> None:
    pubs = publications(app)
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    stamp(app, {p.id: base - dt.timedelta(days=n) for n, p in enumerate(pubs)})
    harvested = [
        i
        for page in harvest(client, {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
        for i in record_ids(page)
    ]
    assert harvested == [p.id for p in reversed(pubs)]


def test_list_identifiers_pages_headers_without_metadata(app: Flask, client: FlaskClient) -> None:
    pages = harvest(client, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    assert sorted(i for page in pages for i in record_ids(page)) == [p.id for p in publications(app)]
    assert all(page.find(f".//{OAI}metadata") is None for page in pages)


def test_a_record_changed_during_a_harvest_comes_again_at_the_end_and_none_is_skipped(
    app: Flask, client: FlaskClient
) -> None:
    first = ask(client, {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    token = first.find(f".//{OAI}resumptionToken").text
    changed = record_ids(first)[0]
    stamp(app, {changed: dt.datetime.now(dt.UTC)})  # an OFFSET would now skip one record
    rest = harvest(client, {"verb": "ListRecords", "resumptionToken": token})
    later = [i for page in rest for i in record_ids(page)]
    assert later[-1] == changed
    assert set(record_ids(first)) | set(later) == {p.id for p in publications(app)}
    assert len(later) == len(set(later))


def test_a_token_is_good_for_a_day_and_then_expires(app: Flask, client: FlaskClient) -> None:
    token = (
        ask(client, {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).find(f".//{OAI}resumptionToken").text
    )
    app.extensions["pustaka"].now = lambda: NOW + dt.timedelta(hours=24)
    assert error_code(ask(client, {"verb": "ListRecords", "resumptionToken": token})) is None
    app.extensions["pustaka"].now = lambda: NOW + dt.timedelta(hours=24, seconds=1)
    root = ask(client, {"verb": "ListRecords", "resumptionToken": token})
    assert error_code(root) == "badResumptionToken"
    assert root.find(f"{OAI}request").attrib == {"verb": "ListRecords", "resumptionToken": token}


@pytest.mark.parametrize(
    "alter",
    [
        lambda t: t[:-5] + ("A" if t[-5] != "A" else "B") + t[-4:],
        lambda t: t.replace(t[12], "x" if t[12] != "x" else "y", 1),
        lambda t: t + "0",
        lambda t: "forged",
    ],
)
def test_an_altered_or_forged_token_is_a_bad_resumption_token(client: FlaskClient, alter) -> None:  # type: ignore[no-untyped-def]
    token = (
        ask(client, {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).find(f".//{OAI}resumptionToken").text
    )
    assert (
        error_code(ask(client, {"verb": "ListRecords", "resumptionToken": alter(token)}))
        == "badResumptionToken"
    )


def test_a_token_of_one_verb_is_refused_by_another(client: FlaskClient) -> None:
    token = (
        ask(client, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
        .find(f".//{OAI}resumptionToken")
        .text
    )
    assert error_code(ask(client, {"verb": "ListRecords", "resumptionToken": token})) == "badResumptionToken"
    assert error_code(ask(client, {"verb": "ListSets", "resumptionToken": token})) == "badResumptionToken"


def test_the_office_set_holds_exactly_that_offices_publications(app: Flask, client: FlaskClient) -> None:
    with app.extensions["pustaka"].uow() as uow:
        metro = set(uow.session.scalars(select(Publication.id).join(Office).where(Office.code == "1872")))
    pages = harvest(client, {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "office:1872"})
    harvested = [i for page in pages for i in record_ids(page)]
    assert sorted(harvested) == sorted(metro)
    assert 0 < len(metro) < len(publications(app))
    assert all(
        s == "office:1872"
        for page in pages
        for s in texts(page, f".//{OAI}setSpec")
        if s.startswith("office")
    )


def test_the_subject_set_and_the_parent_sets_select_their_members(app: Flask, client: FlaskClient) -> None:
    def listed(spec: str) -> list[int]:
        pages = harvest(client, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": spec})
        return sorted(i for page in pages for i in record_ids(page))

    pubs = publications(app)
    assert listed("subject:statistik-umum") == [p.id for p in pubs if p.subject == "Statistik Umum"]
    assert listed("office") == [p.id for p in pubs]
    assert listed("subject") == [p.id for p in pubs if p.subject]


@pytest.mark.parametrize("spec", ["office:9999", "subject:astrologi", "shelf:R-A-01", "office:1872:extra"])
def test_a_set_that_does_not_exist_matches_no_records(client: FlaskClient, spec: str) -> None:
    root = ask(client, {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": spec})
    assert error_code(root) == "noRecordsMatch"
    assert root.find(f"{OAI}request").get("set") == spec


def test_from_and_until_select_by_datestamp_at_either_granularity(app: Flask, client: FlaskClient) -> None:
    pubs = publications(app)
    stamp(
        app, {p.id: dt.datetime(2024, 1, 1 + n, 10, 0, 0, 500000, tzinfo=dt.UTC) for n, p in enumerate(pubs)}
    )

    def listed(**bounds: str) -> list[int]:
        root = ask(client, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", **bounds})
        return [] if error_code(root) == "noRecordsMatch" else record_ids(root)

    ids = [p.id for p in pubs]
    assert listed(**{"from": "2024-01-03", "until": "2024-01-05"}) == ids[2:5]
    assert listed(**{"from": "2024-01-03T10:00:00Z", "until": "2024-01-03T10:00:00Z"}) == ids[2:3]
    assert listed(**{"from": "2024-01-03T10:00:01Z", "until": "2024-01-04T10:00:00Z"}) == ids[3:4]
    assert listed(until="2024-01-02") == ids[:2]
    assert listed(**{"from": "2030-01-01"}) == []
    identify = ask(client, {"verb": "Identify"})
    assert texts(identify, f".//{OAI}earliestDatestamp") == ["2024-01-01T10:00:00Z"]


def test_an_empty_selection_is_no_records_match(client: FlaskClient) -> None:
    query = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "2001-01-01"}
    assert error_code(ask(client, query)) == "noRecordsMatch"


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
        ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
        ("verb=ListIdentifiers&metadataPrefix=oai_dc%27%28%29", "cannotDisseminateFormat"),
        ("verb=GetRecord&identifier=oai:127.0.0.1:pub/1&metadataPrefix=mods", "cannotDisseminateFormat"),
        ("verb=GetRecord&identifier=oai:127.0.0.1:pub/99999&metadataPrefix=oai_dc", "idDoesNotExist"),
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
