"""Atom feeds (RFC 4287) read with an XML parser: the newest publications of the library, of a collection."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import select

from library.models import AccessLevel, Publication
from library.settings import Settings
from webapp import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
BASE = "https://pustaka.example.go.id/perpus"


def feed(client: FlaskClient, path: str) -> etree._Element:
    """Fetch a feed; check its media type and that it parses; return its root."""
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return etree.fromstring(response.data)


def one(element: etree._Element, name: str) -> etree._Element:
    found = element.findall(ATOM + name)
    assert len(found) == 1, f"{name}: {len(found)} in {element.tag}"
    return found[0]


def entry_ids(root: etree._Element) -> list[int]:
    return [int(one(e, "link").get("href").rsplit("/", 1)[1]) for e in root.iterfind(ATOM + "entry")]


def test_the_library_feed_has_what_rfc_4287_requires_with_addresses_from_the_base_url(
    instance_dir: Path,
) -> None:
    app = create_app(Settings.from_env({}, instance_dir=instance_dir, base_url=BASE))
    root = feed(app.test_client(), "/atom.xml")
    app.extensions["pustaka"].close()
    assert root.tag == ATOM + "feed"
    assert one(root, "title").text and one(root, "id").text.startswith(BASE + "/")
    assert RFC3339.fullmatch(one(root, "updated").text)
    assert one(one(root, "author"), "name").text
    links = {link.get("rel"): link for link in root.iterfind(ATOM + "link")}
    assert links["self"].get("href") == BASE + "/atom.xml"
    assert links["self"].get("type") == "application/atom+xml"
    entries = root.findall(ATOM + "entry")
    assert entries
    for entry in entries:
        # The entry is named by its persistent address, which a move or a renumbering keeps.
        assert one(entry, "id").text.startswith(BASE + "/id/") and one(entry, "title").text
        assert RFC3339.fullmatch(one(entry, "updated").text)
        alternate = one(entry, "link")
        assert alternate.get("rel") == "alternate" and alternate.get("href").startswith(BASE + "/katalog/")
    assert len({one(e, "id").text for e in entries}) == len(entries)
    assert one(root, "updated").text == max(one(e, "updated").text for e in entries)


def test_entries_are_newest_edition_first_and_only_what_the_public_may_see(
    app: Flask, client: FlaskClient
) -> None:
    today = app.extensions["pustaka"].today()
    with app.extensions["pustaka"].transaction() as uow:
        open_ids = list(
            uow.session.scalars(
                select(Publication.id)
                .where(Publication.access_level == AccessLevel.OPEN.value)
                .order_by(Publication.id)
            )
        )
        withdrawn, draft, embargoed = (uow.session.get_one(Publication, i) for i in open_ids[:3])
        withdrawn.withdrawn_at = dt.datetime.now(dt.UTC)
        draft.published_at = None
        embargoed.access_level, embargoed.embargo_until = (
            AccessLevel.EMBARGOED.value,
            today + dt.timedelta(days=30),
        )
    listed = entry_ids(feed(client, "/atom.xml"))
    assert not set(open_ids[:3]) & set(listed)
    with app.extensions["pustaka"].uow() as uow:
        rows = uow.session.scalars(select(Publication).where(Publication.id.in_(listed))).all()
        released = {p.id: (p.actual_release or p.scheduled_release) for p in rows}
    dates = [released[i] for i in listed]
    assert dates == sorted(dates, reverse=True)
    with app.extensions["pustaka"].transaction() as uow:  # the embargo ends: the title is out
        uow.session.get_one(Publication, open_ids[2]).embargo_until = today
    assert open_ids[2] in entry_ids(feed(client, "/atom.xml"))


def test_the_home_page_shows_the_library_feeds_first_entries(client: FlaskClient) -> None:
    home = client.get("/").get_data(as_text=True)
    newest = home[home.find('id="newest-title"') :]
    cards = [int(i) for i in re.findall(r'<li class="card">\s*<a href="/katalog/(\d+)"', newest)]
    assert cards and cards == entry_ids(feed(client, "/atom.xml"))[: len(cards)]


@pytest.mark.parametrize("page", ["/", "/katalog/", "/koleksi/"])
def test_the_pages_name_the_library_feed_in_their_head(client: FlaskClient, page: str) -> None:
    html = client.get(page).get_data(as_text=True)
    head = html[: html.find("</head>")]
    assert '<link rel="alternate" type="application/atom+xml" href="/atom.xml"' in head


def test_a_collection_feed_holds_its_publications_and_an_unknown_one_is_not_found(
    app: Flask, client: FlaskClient
) -> None:
    root = feed(client, "/koleksi/dalam-angka/atom.xml")
    with app.extensions["pustaka"].uow() as uow:
        titles = dict(uow.session.execute(select(Publication.id, Publication.title)).all())
    listed = entry_ids(root)
    assert listed and all("Dalam Angka" in titles[i] for i in listed)
    assert (
        root.find(ATOM + "link[@rel='self']").get("href")
        == "http://127.0.0.1:8000/koleksi/dalam-angka/atom.xml"
    )
    assert client.get("/koleksi/tidak-ada/atom.xml").status_code == 404
