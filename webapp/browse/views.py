"""Collections for readers: the list, a collection's publications, and the Atom feeds of what is new."""

from __future__ import annotations

from flask import Response, render_template, url_for
from flask_babel import gettext as _

from library.browse.atom import MEDIA_TYPE, FeedAddress, to_atom
from library.browse.browsing import collection_page, public_collections
from library.browse.feeds import Feed, collection_feed, library_feed
from webapp.browse.blueprint import bp
from webapp.current_runtime import current_runtime
from webapp.paging import page_number


@bp.get("/koleksi/")
def index() -> str:
    """List the collections: series, then offices, then the others."""
    with current_runtime().uow() as uow:
        collections = public_collections(uow)
    return render_template("browse/index.html", collections=collections)


@bp.get("/koleksi/<slug>")
def collection(slug: str) -> str:
    """Show a collection's publications, newest edition first, a page at a time."""
    rt = current_runtime()
    with rt.uow() as uow:
        found, listing = collection_page(
            uow, slug, today=rt.today(), page=page_number(), per_page=rt.settings.per_page
        )
    return render_template("browse/collection.html", collection=found, listing=listing)


@bp.get("/koleksi/<slug>/atom.xml")
def collection_atom(slug: str) -> Response:
    """Send a collection's Atom feed."""
    rt = current_runtime()
    with rt.uow() as uow:
        feed = collection_feed(uow, slug, today=rt.today(), now=rt.now())
    assert feed.collection is not None
    title = _("%(name)s: newest publications", name=feed.collection.name_id)
    page = url_for("browse.collection", slug=slug)
    return _atom(feed, title, url_for("browse.collection_atom", slug=slug), page)


@bp.get("/atom.xml")
def library_atom() -> Response:
    """Send the whole library's Atom feed: the newest publications, as on the home page."""
    rt = current_runtime()
    with rt.uow() as uow:
        feed = library_feed(uow, today=rt.today(), now=rt.now())
    return _atom(feed, _("Newest publications"), url_for("browse.library_atom"), url_for("catalogue.index"))


def _atom(feed: Feed, title: str, self_path: str, page_path: str) -> Response:
    """Answer with the feed as Atom, its addresses from the configured base URL."""
    address = FeedAddress(current_runtime().settings.base_url, self_path, page_path, title)
    return Response(to_atom(feed, address), mimetype=MEDIA_TYPE)
