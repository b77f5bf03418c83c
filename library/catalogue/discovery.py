"""Finding publications: the search use case over whatever engine is configured."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from library.errors import InvalidInput
from library.i18n import N_
from search.engine import FACET_FIELDS, MAX_PER_PAGE, SORTS, Query, SearchEngine, SearchResults

MAX_QUERY_LENGTH = 500


def search_publications(
    engine: SearchEngine,
    text: str,
    *,
    filters: Mapping[str, Sequence[str]] | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 10,
    within_publication: int | None = None,
) -> SearchResults:
    """Search the catalogue by words, filters and identifiers, one page of results at a time."""
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidInput(N_("The search is too long; use at most %(n)s characters."), n=MAX_QUERY_LENGTH)
    if sort not in SORTS:
        sort = "relevance"
    chosen = {
        name: tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
        for name, values in (filters or {}).items()
        if name in FACET_FIELDS
    }
    query = Query(
        text=text,
        filters={k: v for k, v in chosen.items() if v},
        within_publication=str(within_publication) if within_publication is not None else None,
        sort=sort,  # type: ignore[arg-type]
        page=max(page, 1),
        per_page=min(max(per_page, 1), MAX_PER_PAGE),
    )
    return engine.search(query)
