"""Finding publications: the search use cases over whatever engine is configured.

- `search_publications`: the engine's results alone (the command line).
- `search_catalogue`: the search page: results with each hit's cover, year and access as
  the database holds them today, the names behind facet codes, and the staff scope.
- `search_inside`: the pages of one publication holding the words, for whoever may read it.

Who searches what: everyone searches titles and metadata, and the pages of open and
registered publications; librarians (and admins) also the pages of restricted and
embargoed ones, unless they ask for the public's view (`public_view`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from library.accounts.person_reads import as_read
from library.catalogue import offices
from library.catalogue.indexing import search_glossary
from library.catalogue.read_access import read_refusal, terminal_read_refusal
from library.catalogue.read_models import PublicationSummary, seen_publication, summaries_of
from library.errors import InvalidInput
from library.i18n import N_
from library.permissions import Actor, may_search_closed_text
from library.uow import UnitOfWork
from search.clauses import fitted, parse
from search.engine import (
    FACET_FIELDS,
    MAX_PER_PAGE,
    SORTS,
    PageQuery,
    PageResults,
    Query,
    SearchEngine,
    SearchResults,
)
from search.partial import compendia_first, districts_named, interleaved, most_words, topped_without

MAX_QUERY_LENGTH = 500
PAGES_PER_SCREEN = 20


@dataclass(frozen=True)
class CatalogueSearch:
    """What the search page shows: results, the publications behind the hits, facet names."""

    results: SearchResults
    summaries: dict[str, PublicationSummary]  # by the hit's publication id
    office_names: dict[str, dict[str, str]]  # office code -> {"id": ..., "en": ...}
    staff: bool  # the actor may search closed text (and may choose the public's view)
    closed_text: bool  # this search did


@dataclass(frozen=True)
class InsideSearch:
    """The pages of one publication holding the words."""

    publication: PublicationSummary
    results: PageResults | None  # None before any words are typed
    page: int
    per_page: int


def search_publications(
    engine: SearchEngine,
    text: str,
    *,
    filters: Mapping[str, Sequence[str]] | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 10,
    within_publication: int | None = None,
    closed_text: bool = False,
    prefer_office: str = "",
) -> SearchResults:
    """Search the catalogue by words, filters and identifiers, one page of results at a time.

    `prefer_office` (the site's office) puts that office's publication first of two equally
    relevant ones. A query that no publication answers whole, and that no correction answers, is
    answered without its odd word, saying which ("poverty rate" where the catalogue says
    "persentase penduduk miskin": the publications on poverty; `search.partial`).
    """
    glossary = search_glossary()
    text = fitted(glossary.named_places(_clean(text)), glossary.words)
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
        closed_text=closed_text,
        quiet=glossary.place_words,
        known=glossary.words,
        prefer_office=prefer_office,
        partial=within_publication is None,
    )
    clauses = parse(text)  # once for the three steps after the engine's answer
    found = most_words(query, clauses, engine.search(query), engine.search)
    found = topped_without(query, clauses, found, engine.search)
    found = districts_named(query, clauses, interleaved(query, clauses, found))
    return compendia_first(query, clauses, found)


def search_catalogue(
    uow: UnitOfWork,
    engine: SearchEngine,
    actor: Actor | None,
    text: str,
    *,
    today: dt.date,
    filters: Mapping[str, Sequence[str]] | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 10,
    within_publication: int | None = None,
    public_view: bool = False,
    prefer_office: str = "",
) -> CatalogueSearch:
    """Search as the search page does: staff also search closed text unless they ask for the public's view."""
    staff = may_search_closed_text(as_read(uow, actor))
    closed_text = staff and not public_view
    results = search_publications(
        engine,
        text,
        filters=filters,
        sort=sort,
        page=page,
        per_page=per_page,
        within_publication=within_publication,
        closed_text=closed_text,
        prefer_office=prefer_office,
    )
    found = summaries_of(
        uow, [int(h.publication_id) for h in results.hits if h.publication_id.isdigit()], today=today
    )
    return CatalogueSearch(
        results=results,
        summaries={str(pid): summary for pid, summary in found.items()},
        office_names=offices.office_names(uow),
        staff=staff,
        closed_text=closed_text,
    )


def search_inside(
    uow: UnitOfWork,
    engine: SearchEngine,
    actor: Actor | None,
    publication_id: int,
    text: str,
    *,
    today: dt.date,
    page: int = 1,
    at_terminal: bool = False,
) -> InsideSearch:
    """Return the pages of a publication holding the words; refuse whoever may not read it, saying why.

    `at_terminal`: a walk-in visitor at a library terminal (the caller has checked it).
    """
    fresh = as_read(uow, actor)
    publication = seen_publication(uow, publication_id, fresh, at_terminal=at_terminal)
    level = publication.effective_access(today)
    if at_terminal:
        refusal = terminal_read_refusal(level, publication.embargo_until)
    else:
        refusal = read_refusal(fresh, level, publication.embargo_until)
    if refusal is not None:
        raise refusal
    summary = summaries_of(uow, [publication_id], today=today)[publication_id]
    text = _clean(text)
    page = max(page, 1)
    if not text:
        return InsideSearch(summary, None, page, PAGES_PER_SCREEN)
    # Whoever may read the pages may search them: a librarian reads closed ones too.
    query = PageQuery(str(publication_id), text, closed_text=True, page=page, per_page=PAGES_PER_SCREEN)
    return InsideSearch(summary, engine.search_pages(query), page, PAGES_PER_SCREEN)


def _clean(text: str) -> str:
    """Return the words typed with their spaces tidied; refuse a search too long to be one."""
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidInput(N_("The search is too long; use at most %(n)s characters."), n=MAX_QUERY_LENGTH)
    return text
