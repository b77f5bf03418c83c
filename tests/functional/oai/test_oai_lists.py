"""Harvesting lists from /oai: resumption tokens, sets and from/until datestamps.

Every response in these tests is validated against the OAI-PMH 2.0 and oai_dc schemas.
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Office, Publication
from tests.functional import oai_helpers
from tests.functional.oai_helpers import (
    NOW,
    OAI,
    ask,
    error_code,
    harvest,
    publications,
    record_ids,
    stamp,
    texts,
)

# The shared fixture: the app serving OAI lists three records a page, on a clock the test controls.
app = oai_helpers.app


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
