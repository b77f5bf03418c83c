"""One page of a Whoosh search's answer, read from an index view.

Which live documents the filters and the publication limit allow, the facet counts of those
matched, the requested page of results in rank order, and a probe's bare hits.
"""

from __future__ import annotations

import heapq

from whoosh.query import Term

from search.engine import Hit, Query, ordered_facets, rank_key
from search.whoosh_cache import IndexView


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


def bare_hits(view: IndexView, shown: list[tuple[int, float]]) -> list[Hit]:
    """Return hits without snippet or pages (a probe's)."""
    stored = [view.searcher.stored_fields(docnum) for docnum, _ in shown]
    return [
        Hit(s["publication_id"], score, s["title"], "", ())
        for s, (_, score) in zip(stored, shown, strict=True)
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
