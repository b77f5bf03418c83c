"""The search interface: values in, values out, whatever engine sits behind it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol, runtime_checkable

FACET_FIELDS = ("year", "subject", "office", "publication_type", "language", "access_level")
SORTS = ("relevance", "newest")
MAX_PER_PAGE = 100
# A hit in a results list shows a handful of pages; a search inside one publication
# is the reader's table of contents for the words, so it may list many more.
PAGE_CAP = 20
WITHIN_PAGE_CAP = 1000
# A publication of the office whose site is searched (`Query.prefer_office`) weighs this much
# more: of two equally relevant editions, the office's own comes first.
OWN_OFFICE = 1.05
# A publication of a year the query names ("statistik pendidikan 2022") weighs this much more: a
# year in a query asks for that edition, not for any text that mentions the year.
YEAR_NAMED = 1.25
# A publication about a part of its office's area (a district: its Katalog BPS ends in a 7-digit
# area code, `is_part_of_area`) weighs this much: beside an equally relevant publication about
# the whole regency or city ("Kota Metro Dalam Angka" against "Kecamatan Metro Utara Dalam Angka"),
# the whole comes first. Typing the district's name still finds its own publication first.
PART_OF_AREA = 0.85
PART_OF_AREA_PATTERN = (
    r"[0-9]{7}\.[0-9]{7}"  # a Katalog BPS number with a district's code (any engine's regex)
)


def is_part_of_area(katalog_bps: str) -> bool:
    """Tell whether a Katalog BPS number names a district's edition (a 7-digit area code appended)."""
    return re.fullmatch(PART_OF_AREA_PATTERN, katalog_bps.strip()) is not None


class SearchError(Exception):
    """Base class of the errors a search engine raises."""


class IndexLockedError(SearchError):
    """Another writer holds the index; only one may write at a time."""


@dataclass(frozen=True)
class PageText:
    """The extracted text of one page of a publication (pages count from 1)."""

    number: int
    text: str


@dataclass(frozen=True)
class PublicationDoc:
    """Everything the engine indexes about one publication."""

    publication_id: str
    title: str
    fingerprint: str
    alternative_title: str = ""
    abstract: str = ""
    subject: str = ""
    office_code: str = ""
    office_name: str = ""
    publication_type: str = ""
    language: str = "id"
    year: int | None = None
    katalog_bps: str = ""
    nomor_publikasi: str = ""
    issn: str = ""
    isbn: str = ""
    access_level: str = ""
    release_date: date | None = None
    pages: tuple[PageText, ...] = ()
    # The glossary's and the places' other names for it (`search.glossary.Terms`): Indonesian
    # forms and English forms, at title weight and at the abstract's weight.
    title_terms: str = ""
    title_terms_en: str = ""
    meta_terms: str = ""
    meta_terms_en: str = ""
    # Restricted and embargoed publications: their pages are searched only by queries
    # with closed_text (staff); other queries match them by title and metadata alone.
    pages_closed: bool = False

    def facet_values(self) -> dict[str, str]:
        """Return this publication's value for each facet (empty when unknown)."""
        return {
            "year": str(self.year) if self.year is not None else "",
            "subject": self.subject,
            "office": self.office_code,
            "publication_type": self.publication_type,
            "language": self.language,
            "access_level": self.access_level,
        }

    def newest_key(self) -> int:
        """Return the sort key for "newest": release date, else 1 January of the year."""
        if self.release_date is not None:
            return self.release_date.toordinal()
        if self.year is not None:
            return date(self.year, 1, 1).toordinal()
        return 0


@dataclass(frozen=True)
class Query:
    """A search request: words, filters (facet -> accepted values), sort and page."""

    text: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    within_publication: str | None = None
    sort: Literal["relevance", "newest"] = "relevance"
    page: int = 1
    per_page: int = 10
    closed_text: bool = False  # also search the closed pages (staff only: the library decides)
    # Words of place names: a clause made only of them must match but weighs little (`QUIET`).
    quiet: frozenset[str] = frozenset()
    # Words never corrected into others (`search.glossary.Glossary.words`): no misspelling of
    # another word, though the index may hold none of them.
    known: frozenset[str] = frozenset()
    prefer_office: str = ""  # the BPS code of the site's office: its publications win ties
    # When no publication holds every clause (and no correction finds any), answer with those
    # holding all but one typed piece's, naming it (`search.partial`, `SearchResults.left_out`);
    # when fewer than a page do, list those lacking one piece after them (`Hit.missing`).
    partial: bool = False
    # When not even those holding all but two pieces are found (`search.partial.most_words`),
    # answer with the publications holding the most typed pieces, naming those they lack
    # (`search.partial.fewest_left_out`).
    most: bool = False

    def __post_init__(self) -> None:
        unknown = set(self.filters) - set(FACET_FIELDS)
        if unknown:
            raise ValueError(f"unknown filter(s) {sorted(unknown)}; use {FACET_FIELDS}")
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {SORTS}, not {self.sort!r}")
        if self.page < 1:
            raise ValueError("page counts from 1")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}")

    @property
    def page_cap(self) -> int:
        """Return how many page numbers a hit may list for this query."""
        return WITHIN_PAGE_CAP if self.within_publication else PAGE_CAP


@dataclass(frozen=True)
class Hit:
    """One publication found: its score, a highlighted snippet and where the words are."""

    publication_id: str
    score: float
    title: str
    snippet_html: str
    pages: tuple[int, ...]
    # The words (as typed) this publication lacks: it follows those holding every word, as fewer
    # than a page of them did (`search.partial.topped_up`).
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchResults:
    """One page of results, facet counts over all of them, and a correction if none."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None = None
    # What the results are for when a typed word was unknown and matched its near neighbours
    # ("kemiskinn" -> "kemiskinan"): what the search is counted under in the reports.
    corrected: str | None = None
    # No publication holds every word (`Query.partial`): these are the best answers without the
    # word(s) named here, as typed.
    left_out: tuple[str, ...] = ()
    # How many of `total` lack one typed piece (`Hit.missing`): they follow the publications holding
    # every word, of which fewer than a page were found (`search.partial.topped_up`).
    fewer_words: int = 0


@dataclass(frozen=True)
class PageQuery:
    """A search inside one publication: which of its pages hold the words."""

    publication_id: str
    text: str
    closed_text: bool = False
    page: int = 1
    per_page: int = 20

    def __post_init__(self) -> None:
        if self.page < 1:
            raise ValueError("page counts from 1")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}")


@dataclass(frozen=True)
class PageHit:
    """One page of a publication holding the words, with a highlighted snippet."""

    number: int
    snippet_html: str


@dataclass(frozen=True)
class PageResults:
    """One screen of the pages found inside a publication, and a correction if none."""

    total: int
    pages: list[PageHit]
    suggestion: str | None = None


@runtime_checkable
class SearchEngine(Protocol):
    """What the library needs from a full-text engine over its publications."""

    def index(self, docs: Iterable[PublicationDoc]) -> None:
        """Add the publications, replacing any already indexed with the same id."""

    def delete(self, publication_ids: Iterable[str]) -> None:
        """Remove the publications; unknown ids are ignored."""

    def rebuild(self, docs: Iterable[PublicationDoc]) -> None:
        """Replace everything indexed by these publications at once (searches see the old index till then)."""

    def search(self, query: Query) -> SearchResults:
        """Return the publications matching the query."""

    def search_pages(self, query: PageQuery) -> PageResults:
        """Return the pages of one publication that hold the words, in page order."""

    def ids(self) -> set[str]:
        """Return the ids of every indexed publication."""

    def fingerprints(self) -> dict[str, str]:
        """Return each indexed publication's fingerprint, to compare with the database."""

    def clear(self) -> None:
        """Remove every publication from the index."""


def ordered_facets(counts: Mapping[str, Mapping[str, int]]) -> dict[str, list[tuple[str, int]]]:
    """Return facet counts as lists: years newest first, other facets largest first."""
    ordered = {}
    for name in FACET_FIELDS:
        pairs = [(value, n) for value, n in counts.get(name, {}).items() if value and n]
        if name == "year":
            pairs.sort(key=lambda pair: pair[0], reverse=True)
        else:
            pairs.sort(key=lambda pair: (-pair[1], pair[0]))
        ordered[name] = pairs
    return ordered


def rank_key(sort: str, score: float, newest: int, publication_id: str) -> tuple:
    """Return the sort key of a hit; ties fall back to newest, then to the id."""
    if sort == "newest":
        return (-newest, -score, publication_id)
    return (-score, -newest, publication_id)
