"""One page of a Whoosh search's answer, read from an index view.

Which live documents the filters and the publication limit allow, the weight each allowed match
gets from what the query names, the facet counts of those matched, and the requested page of
results in rank order.
"""

from __future__ import annotations

import heapq

from whoosh.query import Term

from search.engine import OWN_OFFICE, PART_OF_AREA, YEAR_NAMED, Query, ordered_facets, rank_key
from search.querying import Resolved, years
from search.whoosh.cache import IndexView


def language_of(view: IndexView, publication_id: str) -> str:
    """Return the language code stored for a publication ("id" when it is not indexed)."""
    stored = view.searcher.document(publication_id=publication_id)
    return stored["language_code"] if stored else "id"


def allowed_documents(view: IndexView, query: Query) -> frozenset[int] | set[int]:
    """Return the live documents the filters and the publication limit allow."""
    allowed: frozenset[int] | set[int] = view.live()
    if query.within_publication is not None:
        wanted = Term("publication_id", query.within_publication)
        allowed = allowed & set(view.searcher.docs_for_query(wanted))
    sets = view.facet_sets()
    for name, wanted in query.filters.items():
        if wanted:
            allowed = allowed & set().union(*(sets[name].get(value, ()) for value in wanted))
    return allowed


def facet_counts(view: IndexView, matched: set[int]) -> dict[str, list[tuple[str, int]]]:
    """Return the facet counts of the matched documents."""
    return ordered_facets(
        {
            name: {value: len(docs & matched) for value, docs in values.items()}
            for name, values in view.facet_sets().items()
        }
    )


def weighed(
    view: IndexView,
    scores: dict[int, float],
    query: Query,
    resolved: list[Resolved],
    allowed: frozenset[int] | set[int],
) -> list[tuple[int, float]]:
    """Return the allowed documents' scores, weighed by the site's office, a year named and a district."""
    sets = view.facet_sets()
    own = sets["office"].get(query.prefer_office, frozenset())
    named = frozenset().union(*(sets["year"].get(year, frozenset()) for year in years(resolved)))
    parts = view.parts_of_areas()
    return [
        (
            docnum,
            score
            * (OWN_OFFICE if docnum in own else 1)
            * (YEAR_NAMED if docnum in named else 1)
            * (PART_OF_AREA if docnum in parts else 1),
        )
        for docnum, score in scores.items()
        if docnum in allowed
    ]


def page_of(view: IndexView, scored: list[tuple[int, float]], query: Query) -> list[tuple[int, float]]:
    """Return the (docnum, score) pairs of the requested page of results, in order."""
    newest = view.newest()
    end = query.page * query.per_page
    if query.sort == "newest":

        def coarse(pair):
            return (-newest[pair[0]], -pair[1])
    else:

        def coarse(pair):
            return (-pair[1], -newest[pair[0]])

    top = heapq.nsmallest(end, scored, key=coarse)
    if not top:
        return []
    # Only documents tied with the last one shown need their ids to break the tie.
    boundary = coarse(top[-1])
    in_top = {docnum for docnum, _ in top}
    tied = [pair for pair in scored if pair[0] not in in_top and coarse(pair) == boundary]
    ids = view.searcher.reader().column_reader("publication_id")
    ordered = sorted(
        top + tied, key=lambda pair: rank_key(query.sort, pair[1], newest[pair[0]], ids[pair[0]])
    )
    return ordered[(query.page - 1) * query.per_page : end]
