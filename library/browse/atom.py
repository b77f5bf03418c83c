"""A feed as Atom (RFC 4287): every address absolute, from the site's configured base URL."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from library.browse.feeds import Entry, Feed
from library.identifiers.records import persistent_url

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class FeedAddress:
    """Where a feed lives and what it is called: its own path, its page's path, its title."""

    base_url: str
    self_path: str
    page_path: str
    title: str
    subtitle: str = ""
    author: str = "Badan Pusat Statistik"


def to_atom(feed: Feed, address: FeedAddress) -> bytes:
    """Write the feed as an Atom document (UTF-8, with its XML declaration)."""
    base = address.base_url.rstrip("/")
    root = ET.Element(_atom("feed"), {XML_LANG: "id"})
    _text(root, "id", base + address.page_path)
    _text(root, "title", address.title)
    if address.subtitle:
        _text(root, "subtitle", address.subtitle)
    _text(root, "updated", rfc3339(feed.updated))
    ET.SubElement(_sub(root, "author"), _atom("name")).text = address.author
    _link(root, "self", base + address.self_path, MEDIA_TYPE)
    _link(root, "alternate", base + address.page_path, "text/html")
    _text(root, "generator", "Pustaka")
    for entry in feed.entries:
        _entry(root, entry, base)
    ET.register_namespace("", ATOM_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def rfc3339(moment: dt.datetime) -> str:
    """Return a moment as RFC 3339 in UTC, to the second ('2026-11-29T03:00:00Z'); naive is UTC."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entry(root: ET.Element, entry: Entry, base: str) -> None:
    """Add one publication as an entry."""
    page = f"{base}/katalog/{entry.id}"
    element = _sub(root, "entry")
    # The entry's id is the publication's persistent address: it stays the same entry after the
    # site moves or renumbers (RFC 4287 4.2.6: an id never changes).
    _text(element, "id", persistent_url(base, entry.identifier) if entry.identifier else page)
    _text(element, "title", entry.title)
    _text(element, "updated", rfc3339(entry.updated))
    _text(element, "published", rfc3339(entry.published))
    ET.SubElement(_sub(element, "author"), _atom("name")).text = entry.office_name
    _link(element, "alternate", page, "text/html")
    if entry.subject:
        _sub(element, "category").set("term", entry.subject)
    if entry.summary:
        _text(element, "summary", entry.summary).set("type", "text")


def _atom(name: str) -> str:
    """Return an Atom element's qualified name."""
    return f"{{{ATOM_NS}}}{name}"


def _sub(parent: ET.Element, name: str) -> ET.Element:
    """Add an empty Atom element."""
    return ET.SubElement(parent, _atom(name))


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    """Add an Atom element holding text (characters XML cannot carry left out)."""
    element = _sub(parent, name)
    element.text = "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)
    return element


def _link(parent: ET.Element, rel: str, href: str, media_type: str) -> None:
    """Add a link."""
    ET.SubElement(parent, _atom("link"), {"rel": rel, "href": href, "type": media_type})
