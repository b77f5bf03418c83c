"""What the /oai tests share: the namespaces, a schema-checked request, readers of the answers, the app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import select

from library.models import Publication
from tests.schemas import assert_valid

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
    """Return the OAI identifier of a demo publication (the demo numbers them as their ids: test_oai)."""
    return f"oai:pustaka.bps1872:bps1872/{publication_id}"


def old_identifier(publication_id: int) -> str:
    """Return the identifier a harvester was given before the repository had a name: its host and id."""
    return f"oai:127.0.0.1:pub/{publication_id}"


@pytest.fixture
def app(app: Flask) -> Flask:
    """Serve OAI lists three records a page, on a clock the test controls."""
    app.config["PUSTAKA_OAI_PAGE_SIZE"] = 3
    app.extensions["pustaka"].now = lambda: NOW
    return app
