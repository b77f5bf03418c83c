"""The search page: words, filters, facets, pages where the words are found."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from library.catalogue.discovery import search_publications
from library.paging import Page
from search.engine import FACET_FIELDS
from webapp.index_status import StatusCache
from webapp.runtime import runtime

bp = Blueprint("search", __name__, url_prefix="/cari")
PER_PAGE = 10


@bp.get("/")
def index() -> str:
    """Search the catalogue and show one page of results with facet counts."""
    text = request.args.get("q", "")
    filters = {name: request.args.getlist(name) for name in FACET_FIELDS}
    sort = request.args.get("urut", "relevance")
    page = max(request.args.get("halaman", 1, type=int), 1)
    within = request.args.get("dalam", type=int)
    results = None
    browsing = "urut" in request.args  # no words but a sort order: browse everything, with facets
    if text.strip() or any(filters.values()) or within is not None or browsing:
        results = search_publications(
            runtime().search(),
            text,
            filters=filters,
            sort=sort,
            page=page,
            per_page=PER_PAGE,
            within_publication=within,
        )
    result_page = Page(tuple(results.hits), page, PER_PAGE, results.total) if results else None
    return render_template(
        "search/index.html",
        q=text,
        filters=filters,
        sort=sort,
        result_page=result_page,
        results=results,
        within=within,
        status=current_app.extensions.setdefault("catalogue-status", StatusCache()).get(runtime()),
    )
