"""The results part of a search page, rendered once for the same inputs.

The hit list, facets and pager (`search/_results.html`) are a function of their inputs alone:
the search's words, filters, sort and page (all in the query string), the page's language and
script root, the engine's answer and the catalogue rows behind its hits. People ask the same
searches again and again; the engine keeps its answer per index version, and with it the same
answer object comes back. Rendering that part was about half of such a page's CPU time.

So the rendered part is kept by a key made of every input: the query string, the language, the
script root, whether the searcher is staff (and searched closed text), the publications'
summaries and the office names as read for this request (so a title or access level changed in
the database changes the key), and the engine's answer itself, compared by identity (a new
index version or an answer computed again is a new object: rendered again). Bounded in number,
least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Container, Hashable, Iterable, Mapping, Sequence

from flask import Flask, current_app, get_template_attribute, request, url_for
from markupsafe import Markup, escape

from library.catalogue.read_models import PublicationSummary
from library.catalogue.search import CatalogueSearch
from library.models import AccessLevel
from search.engine import Hit
from webapp.i18n import lang_attribute
from webapp.search.labels import Labels

ENTRIES = 256  # ~20 kB each at most
FACET_VALUES = 12  # the values shown of each facet, the most frequent first


class RenderedResults:
    """Rendered results parts by their inputs, shared by a web process's threads."""

    def __init__(self, entries: int = ENTRIES) -> None:
        self._entries = entries
        self._kept: OrderedDict[Hashable, tuple[object, Markup]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, answer: object, render: Callable[[], str]) -> Markup:
        """Return the part rendered for this key and this very answer, rendering it if not kept."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept[0] is answer:
                self._kept.move_to_end(key)
                self.hits += 1
                return kept[1]
            self.misses += 1
        html = Markup(render())
        with self._lock:
            self._kept[key] = (answer, html)
            self._kept.move_to_end(key)
            while len(self._kept) > self._entries:
                self._kept.popitem(last=False)
        return html


def results_html(
    found: CatalogueSearch, locale: str, unreadable: Mapping[str, str], render: Callable[[], str]
) -> Markup:
    """Return the results part of the search page for this request's search, rendered at most once.

    `unreadable`: the hits this viewer may not read, whose page links say so (see `hit_rows`).
    """
    key = (
        request.script_root,
        request.query_string,
        locale,
        found.staff,
        found.closed_text,
        tuple(sorted(unreadable.items())),
        tuple(sorted(found.summaries.items())),
        _names_key(found.office_names),
    )
    return _kept(current_app).get(key, found.results, render)


_last_names: tuple[object, tuple] = (None, ())


def _names_key(office_names: Mapping[str, Mapping[str, str]]) -> tuple:
    """Return the office names as a key, made again only for another object (they are kept)."""
    global _last_names
    kept_names, key = _last_names
    if office_names is not kept_names:
        made = tuple(sorted((code, tuple(sorted(names.items()))) for code, names in office_names.items()))
        # The names are read again every so often: the same names keep the same key object, so
        # the kept parts share one (400 offices: 16 kB a key, 4 MB for 256 parts each their own).
        key = key if made == key else made
        _last_names = (office_names, key)
    return key


def facet_boxes(
    name: str, counts: Sequence[tuple[str, int]], chosen: Container[str], labels: Labels
) -> Markup:
    """Return one facet's checkboxes, each value named and counted, ticked if chosen.

    Twelve values a facet, six facets: in the template loop, each box was a call through
    Jinja's context and a handful of escapes; one join does them all.
    """
    field = escape(name)
    return Markup("\n").join(
        Markup(
            f'<label><input type="checkbox" name="{field}" value="{escape(value)}" '
            f"{'checked' if value in chosen else ''}> {escape(labels.facet(name, value))}"
            f' <span class="count">({escape(n)})</span></label>'
        )
        for value, n in counts[:FACET_VALUES]
    )


def page_links(reader_url: str, pages: Iterable[int]) -> Markup:
    """Return a hit's page numbers, each a link into the reader, comma-separated.

    A hit found on thirty pages made the template escape ninety values; one join does it.
    """
    url = escape(reader_url)
    # Page numbers are whole numbers (int() says so): nothing in them to escape.
    return Markup(", ".join([f'<a href="{url}?halaman={n}">{n}</a>' for n in map(int, pages)]))


SENTINEL = 987_654_321  # a publication number no catalogue reaches: found in a built address, replaced


SIGN_IN, REFUSED = "sign-in", "refused"  # why a hit's pages are not linked for this viewer


def hit_rows(
    hits: Sequence[Hit],
    summaries: Mapping[str, PublicationSummary],
    labels: Labels,
    inside_query: str,
    words: tuple[str, str, str, str, str],
    unreadable: Mapping[str, str] | None = None,
) -> Markup:
    """Return the hit list's items: cover, title, year, office, access, snippet and page links.

    Each hit was a pass through the template with four `url_for` and a dozen escapes; here each
    endpoint's address is built once and the publication's number put in. `words` are "Found on
    pages", "search in this publication", "sign in to read these pages", "why you cannot read
    them here" and "Lacks" (before the words a hit lacks, `Hit.missing`), translated once. A hit
    in `unreadable` lists its pages unlinked (the reader would refuse this viewer), then a link
    saying where it leads: to sign in (SIGN_IN), or to the publication's page, which says why not
    (REFUSED).
    """
    endpoints = ("catalogue.detail", "catalogue.cover", "reader.read", "search.inside")
    detail, cover, reader, inside = (_address(endpoint) for endpoint in endpoints)
    found_on, search_inside = escape(words[0]), escape(words[1])
    unreadable = unreadable or {}
    rows = []
    for hit in hits:
        number = int(hit.publication_id)
        s = summaries.get(hit.publication_id)
        detail_url = escape(detail % number)
        picture = (
            f'<img src="{escape(cover % number)}" alt="" width="64" height="90" loading="lazy">'
            if s and s.thumbnail_sha256
            else '<span class="nocover"></span>'
        )
        row = [
            f'<li class="hit">\n<a class="hit-cover" href="{detail_url}" tabindex="-1" aria-hidden="true">'
            f'\n{picture}\n</a>\n<div class="hit-body">\n<a class="hit-title" href="{detail_url}"'
            f"{lang_attribute(s.language) if s else ''}>{escape(hit.title)}</a>"
        ]
        if s:
            year = f'<span class="year">{escape(s.year)}</span> · ' if s.year else ""
            row.append(f'\n<p class="hit-meta">{year}{escape(s.office_name)} {_access(s, labels)}</p>')
        if hit.snippet_html:
            row.append(f'\n<p class="snippet">{hit.snippet_html}</p>')
        if hit.missing:
            row.append(f'\n<p class="missing">{escape(words[4])}: <s>{escape(" ".join(hit.missing))}</s></p>')
        if hit.pages and hit.publication_id in unreadable:
            row.append(
                _unlinked_pages(hit.pages, unreadable[hit.publication_id], reader % number, detail_url, words)
            )
        elif hit.pages:
            links = page_links(reader % number, hit.pages)
            within = escape(inside % number + inside_query)
            row.append(
                f'\n<p class="found-on">{found_on}\n{links}\n· <a href="{within}">{search_inside}</a>\n</p>'
            )
        row.append("\n</div>\n</li>")
        rows.append("".join(row))
    return Markup("\n".join(rows))


def _unlinked_pages(
    pages: Sequence[int], why: str, reader_url: str, detail_url: str, words: tuple[str, str, str, str, str]
) -> str:
    """Return a hit's page numbers as plain text, and the one link this viewer can follow."""
    numbers = ", ".join(str(int(n)) for n in pages)
    if why == SIGN_IN:
        target = url_for("accounts.login", next=f"{reader_url}?halaman={int(pages[0])}")
        label = words[2]
    else:
        target, label = detail_url, words[3]
    link = f'<a href="{escape(target)}">{escape(label)}</a>'
    return f'\n<p class="found-on">{escape(words[0])}\n{numbers}\n· {link}\n</p>'


def _address(endpoint: str) -> str:
    """Return an endpoint's address for a publication as a %-template of its number."""
    built = url_for(endpoint, publication_id=SENTINEL)
    return built.replace("%", "%%").replace(str(SENTINEL), "%d")


def _access(summary: PublicationSummary, labels: Labels) -> Markup:
    """Return a hit's access badge (an embargo with its date, as the shared macro draws it)."""
    if summary.embargo_until and summary.access_level == AccessLevel.EMBARGOED:
        badge = get_template_attribute("_macros.html", "access_badge")
        return Markup(badge(summary.access_level, summary.embargo_until))
    value = summary.access_level.value
    return Markup(f'<span class="badge badge-{escape(value)}">{escape(labels.access(value))}</span>')


def query_of(url: str) -> str:
    """Return a built URL's query string with its "?" (empty if it has none).

    Built once per results part with the search's words, and put after each hit's own path, the
    "search in this publication" links cost no URL building with words that differ every search.
    """
    at = url.find("?")
    return url[at:] if at >= 0 else ""


def _kept(app: Flask) -> RenderedResults:
    kept = app.extensions.get("search-results-html")
    if kept is None:
        kept = app.extensions.setdefault("search-results-html", RenderedResults())
    return kept
