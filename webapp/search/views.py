"""The search page: words, filters, facets, pages where the words are found; search inside one publication."""

from __future__ import annotations

import hmac
import logging
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from flask import current_app, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from library.catalogue.search import CatalogueSearch, InsideSearch, search_catalogue, search_inside
from library.catalogue.search_terms import CountedSearch, counts_searches_of
from library.errors import NotAllowed
from library.knowledge.indexing import search_answers
from library.knowledge.read_models import EntryView
from library.paging import Page
from runtime.counted import counted
from runtime.index_status import CatalogueStatus, StatusCache
from search.engine import FACET_FIELDS, SearchResults
from webapp.auth import client_address, current_actor, from_office_tablet
from webapp.current_runtime import current_runtime
from webapp.forms import refusals
from webapp.i18n import dated_error_message
from webapp.paging import page_number
from webapp.read_rights import anonymous_here, viewer_read_refusal
from webapp.search.blueprint import bp
from webapp.search.budget import SearchBudget
from webapp.search.labels import Labels, catalogue_term, language_name
from webapp.search.results_html import (
    REFUSED,
    SIGN_IN,
    facet_boxes,
    hit_rows,
    page_links,
    query_of,
    results_html,
)
from webapp.terminal_visitor import TERMINAL_COOKIE, current_terminal_visitor

log = logging.getLogger(__name__)
PER_PAGE = 10
PUBLIC_VIEW = "publik"  # ?cakupan=publik: staff see what the public sees


@dataclass(frozen=True)
class ActiveFilter:
    """A filter that is on, with its name for people and the address of the page without it."""

    facet: str
    value: str
    label: str
    without_url: str


@dataclass(frozen=True)
class SearchAsked:
    """What the search page's query string asks for."""

    text: str
    filters: dict[str, list[str]]
    sort: str
    page: int
    public_view: bool
    browsing: bool  # no words but a sort order: browse everything, with facets

    @property
    def searches(self) -> bool:
        """Tell whether there is anything to search: words, a filter, or an order to browse in."""
        return bool(self.text.strip() or any(self.filters.values()) or self.browsing)


@bp.get("/")
def index() -> str | Response:
    """Search the catalogue and show one page of results with facet counts."""
    within = request.args.get("dalam", type=int)
    if within is not None:  # the older "search in this publication" address
        return redirect(url_for(".inside", publication_id=within, q=request.args.get("q", "")))
    asked = _asked()
    found, answers = _search(asked) if asked.searches else (None, [])
    if found is not None and asked.page == 1:
        _count_search(asked.text, found.results)
    return render_template(
        "search/index.html",
        q=asked.text,
        filters=asked.filters,
        found=found,
        results=found.results if found else None,
        results_html=_results_html(found, asked) if found else None,
        answers=answers,
        public_view=asked.public_view,
        status=_catalogue_status(),
    )


def _asked() -> SearchAsked:
    """Read the search the page is asked for from its query string."""
    return SearchAsked(
        text=request.args.get("q", ""),
        filters={name: request.args.getlist(name) for name in FACET_FIELDS},
        sort=request.args.get("urut", "relevance"),
        page=page_number(),
        public_view=request.args.get("cakupan") == PUBLIC_VIEW,
        browsing="urut" in request.args,
    )


def _search(asked: SearchAsked) -> tuple[CatalogueSearch, list[EntryView]]:
    """Search the publications, and on the first page the common answers shown above them."""
    rt = current_runtime()
    answers: list[EntryView] = []
    with _within_share(), rt.uow() as uow, counted().search.time():
        found = search_catalogue(
            uow,
            rt.search(),
            current_actor(),
            asked.text,
            today=rt.today(),
            filters=asked.filters,
            sort=asked.sort,
            page=asked.page,
            per_page=PER_PAGE,
            public_view=asked.public_view,
            prefer_office=rt.settings.office,
        )
        if asked.page == 1:
            answers = search_answers(uow, rt.answers(), asked.text)
    return found, answers


def _within_share() -> AbstractContextManager[None]:
    """Run a search within the client's share of this process's search time (`budget`), or refuse it."""
    budget = current_app.extensions.get("pustaka.search_budget")
    if budget is None:  # made once per app (and so per web process), not on every search
        budget = current_app.extensions.setdefault("pustaka.search_budget", SearchBudget())
    address = client_address()
    return budget.spend(address, shared=_shared_device(address))


def _shared_device(address: str) -> bool:
    """Tell whether the search comes from a device many visitors use: a terminal, or a kiosk's address."""
    return bool(request.cookies.get(TERMINAL_COOKIE)) or from_office_tablet(address)


def _catalogue_status() -> CatalogueStatus:
    """Return the catalogue's index status the page tells staff, read at most every few seconds."""
    return current_app.extensions.setdefault("catalogue-status", StatusCache()).get(current_runtime())


def _results_html(found: CatalogueSearch, asked: SearchAsked) -> Markup:
    """Return the hit list, facets and pager, rendered once for the same search and catalogue rows."""
    labels = Labels(found.office_names)
    results = found.results
    unreadable = _unreadable(found)
    return results_html(
        found,
        labels.locale,
        unreadable,
        lambda: render_template(
            "search/_results.html",
            q=asked.text,
            filters=asked.filters,
            sort=asked.sort,
            result_page=Page(tuple(results.hits), asked.page, PER_PAGE, results.total),
            results=results,
            found=found,
            public_view=asked.public_view,
            active_filters=_active_filters(asked.filters, labels),
            labels=labels,
            args=request.args.to_dict(flat=False),
            page_links=page_links,
            facet_boxes=facet_boxes,
            hit_rows=hit_rows,
            inside_query=query_of(url_for("search.inside", publication_id=1, q=asked.text)),
            unreadable=unreadable,
        ),
    )


def _unreadable(found: CatalogueSearch) -> dict[str, str]:
    """Map each hit this viewer may not read to what its page links say instead (SIGN_IN or REFUSED).

    A link into the reader or a search of the pages would end on the sign-in page or a refusal:
    someone signed out is offered to sign in, anyone else is sent to the page saying why.
    """
    kind = SIGN_IN if anonymous_here() else REFUSED
    return {number: kind for number, summary in found.summaries.items() if viewer_read_refusal(summary)}


def _count_search(text: str, results: SearchResults) -> None:
    """Count the search's words for the reports, in memory: written every few seconds, not here."""
    if not counts_searches_of(current_actor()):
        return
    rt = current_runtime()
    day = rt.today()
    # The client for this day only: keyed, so no one can tell an address from it or follow it.
    client = hmac.new(rt.secret_key, f"{day}|{client_address()}".encode(), "sha256").hexdigest()[:32]
    rt.search_tally.add(
        CountedSearch(
            rt.settings.office,
            text,
            day,
            client,
            found=results.total > 0,
            correction=results.corrected if results.total else results.suggestion,
        )
    )


def _active_filters(filters: dict[str, list[str]], labels: Labels) -> list[ActiveFilter]:
    """Return each filter that is on, with the address of the same search without it."""
    args = request.args.to_dict(flat=False)
    args.pop("halaman", None)
    active = []
    for name, values in filters.items():
        for value in dict.fromkeys(v for v in values if v.strip()):
            rest = [v for v in values if v != value]
            query: dict[str, Any] = {**args, name: rest}
            without = url_for(".index", **query)
            active.append(ActiveFilter(name, value, labels.facet(name, value), without))
    return active


@bp.get("/dalam/<int:publication_id>")
def inside(publication_id: int) -> str | tuple[str, int]:
    """List the pages of one publication holding the words, each linking to the reader at that page."""
    text = request.args.get("q", "")
    page = page_number()
    with refusals(catch=NotAllowed) as attempt:
        found = _search_inside(publication_id, text, page)
    if attempt.failed:
        reason = dated_error_message(attempt.error)
        return render_template("reader/refused.html", publication_id=publication_id, reason=reason), 403
    total = found.results.total if found.results else 0
    return render_template(
        "search/inside.html",
        q=text,
        found=found,
        pages=Page(tuple(found.results.pages if found.results else ()), page, found.per_page, total),
    )


def _search_inside(publication_id: int, text: str, page: int) -> InsideSearch:
    """Search the pages of one publication, as far as the reader may read it here."""
    rt = current_runtime()
    with _within_share(), rt.uow() as uow:
        return search_inside(
            uow,
            rt.search(),
            current_actor(),
            publication_id,
            text,
            today=rt.today(),
            page=page,
            at_terminal=current_terminal_visitor() is not None,
        )


@bp.app_template_filter("catalogue_term")
def catalogue_term_filter(value: str) -> str:
    """Name a subject or publication type in the visitor's language."""
    return catalogue_term(value)


@bp.app_template_filter("language_name")
def language_name_filter(codes: str) -> str:
    """Name the languages of a code list ("id,en") in the visitor's language."""
    return language_name(codes)
