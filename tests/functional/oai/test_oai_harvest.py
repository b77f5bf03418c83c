"""An aggregator harvests the catalogue over HTTP with a real OAI-PMH client (Sickle).

The app runs under waitress on loopback; every response Sickle receives is validated against
the OAI-PMH 2.0 and oai_dc schemas before Sickle reads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from flask import Flask
from sickle import Sickle, oaiexceptions
from sickle.iterator import OAIResponseIterator
from sickle.response import OAIResponse
from sqlalchemy import select

from library.models import Office, Publication
from tests.schemas import assert_valid
from tests.serving import serve

PAGE_SIZE = 3
NOW = dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.UTC)


class ValidatingSickle(Sickle):
    """Sickle that checks each response against the schemas and remembers the requests it made."""

    def __init__(self, endpoint: str, **options: object) -> None:
        super().__init__(endpoint, timeout=10, **options)
        self.requests: list[dict[str, str]] = []

    def harvest(self, **kwargs: str) -> OAIResponse:
        """Make one request, as Sickle does, and validate its answer."""
        response = super().harvest(**kwargs)
        assert response.http_response.headers["Content-Type"] == "text/xml; charset=utf-8"
        assert_valid(response.http_response.content)
        self.requests.append(dict(kwargs))
        return response


@pytest.fixture
def endpoint(app: Flask) -> Iterator[str]:
    """Serve the demo instance with waitress on a free loopback port; yield the OAI base URL."""
    app.config["PUSTAKA_OAI_PAGE_SIZE"] = PAGE_SIZE
    app.extensions["pustaka"].now = lambda: NOW
    with serve(app) as url:
        yield f"{url}/oai"


@pytest.fixture
def sickle(endpoint: str) -> ValidatingSickle:
    """Return a validating OAI-PMH client of the live endpoint."""
    return ValidatingSickle(endpoint)


def ids_of(app: Flask, office: str | None = None) -> list[int]:
    """Return the ids of the loaded publications, optionally of one office."""
    query = select(Publication.id).join(Office).order_by(Publication.id)
    if office:
        query = query.where(Office.code == office)
    with app.extensions["pustaka"].uow() as uow:
        return list(uow.session.scalars(query))


def publication_id(oai_identifier: str) -> int:
    """Return the publication id in an OAI identifier."""
    return int(oai_identifier.rsplit("/", 1)[1])


def first_token(sickle: ValidatingSickle, verb: str = "ListRecords") -> str:
    """Return the resumption token of the first page of a list."""
    pages = OAIResponseIterator(sickle, {"verb": verb, "metadataPrefix": "oai_dc"})
    return pages.resumption_token.token


def test_a_harvest_follows_the_tokens_and_gets_every_publication_once(
    app: Flask, sickle: ValidatingSickle
) -> None:
    records = list(sickle.ListRecords(metadataPrefix="oai_dc"))
    everyone = ids_of(app)
    assert sorted(publication_id(r.header.identifier) for r in records) == everyone
    assert len(records) == len(everyone)
    tokens = [r for r in sickle.requests if "resumptionToken" in r]
    assert len(sickle.requests) == -(-len(everyone) // PAGE_SIZE) >= 3
    assert len(tokens) == len(sickle.requests) - 1
    assert all(r.metadata["publisher"] == ["Badan Pusat Statistik"] for r in records)


def test_identifiers_are_harvested_the_same_way(app: Flask, sickle: ValidatingSickle) -> None:
    headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc"))
    assert sorted(publication_id(h.identifier) for h in headers) == ids_of(app)


def test_the_office_set_narrows_the_harvest_to_that_office(app: Flask, sickle: ValidatingSickle) -> None:
    records = list(sickle.ListRecords(metadataPrefix="oai_dc", set="office:1872"))
    assert sorted(publication_id(r.header.identifier) for r in records) == ids_of(app, "1872")
    assert all("office:1872" in r.header.setSpecs for r in records)
    assert all(r.metadata["creator"] == ["Badan Pusat Statistik Kota Metro"] for r in records)


def test_from_and_until_narrow_the_harvest_by_datestamp(app: Flask, sickle: ValidatingSickle) -> None:
    everyone = ids_of(app)
    with app.extensions["pustaka"].uow() as uow:
        for n, pid in enumerate(everyone):
            uow.session.get(Publication, pid).updated_at = dt.datetime(2024, 3, 1 + n, 12, tzinfo=dt.UTC)
        uow.commit()
    records = list(
        sickle.ListRecords(metadataPrefix="oai_dc", **{"from": "2024-03-02", "until": "2024-03-06"})
    )
    assert [publication_id(r.header.identifier) for r in records] == everyone[1:6]
    assert [r.header.datestamp for r in records] == [f"2024-03-0{d}T12:00:00Z" for d in range(2, 7)]
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(sickle.ListRecords(metadataPrefix="oai_dc", **{"from": "2024-04-01T00:00:00Z"}))


def test_an_expired_token_is_refused(app: Flask, sickle: ValidatingSickle) -> None:
    token = first_token(sickle)
    app.extensions["pustaka"].now = lambda: NOW + dt.timedelta(hours=25)
    with pytest.raises(oaiexceptions.BadResumptionToken):
        list(sickle.ListRecords(resumptionToken=token))


def test_a_tampered_token_is_refused(sickle: ValidatingSickle) -> None:
    token = first_token(sickle, "ListIdentifiers")
    tampered = token[:8] + ("Q" if token[8] != "Q" else "R") + token[9:]
    with pytest.raises(oaiexceptions.BadResumptionToken):
        list(sickle.ListIdentifiers(resumptionToken=tampered))


def test_restricted_publications_are_harvested_as_metadata_only(app: Flask, sickle: ValidatingSickle) -> None:
    with app.extensions["pustaka"].uow() as uow:
        restricted = uow.session.scalars(
            select(Publication.id).where(Publication.access_level == "restricted")
        ).all()
    records = {publication_id(r.header.identifier): r for r in sickle.ListRecords(metadataPrefix="oai_dc")}
    assert restricted and set(restricted) <= records.keys()
    for pid in restricted:
        metadata = records[pid].metadata
        assert "Akses terbatas; salinan atas persetujuan pustakawan" in metadata["rights"]
        links = [v for values in metadata.values() for v in values if "://" in v]
        assert links == [f"http://127.0.0.1:8000/id/bps1872/{pid}"]


def test_the_other_verbs_answer_a_real_client(app: Flask, sickle: ValidatingSickle) -> None:
    identify = sickle.Identify()
    assert (identify.repositoryName, identify.granularity) == (
        "Perpustakaan Digital BPS Kota Metro",
        "YYYY-MM-DDThh:mm:ssZ",
    )
    assert [f.metadataPrefix for f in sickle.ListMetadataFormats()] == ["oai_dc", "marc21"]
    assert "office:1872" in {s.setSpec for s in sickle.ListSets()}
    first = ids_of(app)[0]
    record = sickle.GetRecord(identifier=f"oai:pustaka.bps1872:bps1872/{first}", metadataPrefix="oai_dc")
    assert publication_id(record.header.identifier) == first
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        sickle.GetRecord(identifier="oai:pustaka.bps1872:bps1872/0", metadataPrefix="oai_dc")
    with pytest.raises(oaiexceptions.CannotDisseminateFormat):
        sickle.GetRecord(identifier=f"oai:pustaka.bps1872:bps1872/{first}", metadataPrefix="mods")


def test_a_harvest_by_post_gets_the_same_records(app: Flask, endpoint: str) -> None:
    by_post = ValidatingSickle(endpoint, http_method="POST")
    records = list(by_post.ListRecords(metadataPrefix="oai_dc"))
    assert sorted(publication_id(r.header.identifier) for r in records) == ids_of(app)
