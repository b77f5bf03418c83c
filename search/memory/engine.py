"""A search engine held in memory, for tests of code that searches.

It honours the same contract as the Whoosh engine (clauses, stems, typos, filters,
facets, pages, sort, pagination, suggestions) with plain token matching and a simple
score, so callers' tests mean something without an index on disk.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from search.analysis import is_english, stem_english, stem_for, stem_indonesian, words
from search.clauses import identifier_variants, parse
from search.engine import (
    FACET_FIELDS,
    OWN_OFFICE,
    PART_OF_AREA,
    YEAR_NAMED,
    Hit,
    PageHit,
    PageQuery,
    PageResults,
    PublicationDoc,
    Query,
    SearchResults,
    is_part_of_area,
    ordered_facets,
    rank_key,
)
from search.glossary import indexed_texts
from search.partial import Omission, chosen, fewest_left_out, omissions, topped_up, window
from search.querying import QUIET, Resolved, is_quiet, proximity, quiet_pair, resolve, suggest, years
from search.snippets import choose_pages, highlight, pages_screen
from search.typing_slips import edit_distance

# Same spirit as the Whoosh field boosts: titles beat abstracts beat page text, and an
# identifier beats everything.
WEIGHTS = {"title": 6.0, "meta": 2.0, "body": 1.0}
IDENTIFIER_WEIGHT = 50.0
EXACT_BONUS = 1.5


@dataclass(frozen=True)
class _Entry:
    doc: PublicationDoc
    # field -> word lists, and for each the languages its stems are taken in
    segments: dict[str, tuple[tuple[str, ...], ...]]
    languages: dict[str, tuple[tuple[str, ...], ...]]
    pages: tuple[tuple[int, tuple[str, ...]], ...]
    identifiers: frozenset[str]
    vocabulary: frozenset[str]  # the words of the title and metadata
    page_vocabulary: frozenset[str]

    def searched_pages(self, closed_text: bool) -> tuple[tuple[int, tuple[str, ...]], ...]:
        """Return the pages a query may match: closed ones only for staff."""
        return self.pages if closed_text or not self.doc.pages_closed else ()

    def words(self, closed_text: bool) -> frozenset[str]:
        """Return the words a query's vocabulary may take from this publication."""
        if closed_text or not self.doc.pages_closed:
            return self.vocabulary | self.page_vocabulary
        return self.vocabulary


class MemorySearchEngine:
    """Keep publications in a dict and search them by token matching."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}

    def index(self, docs: Iterable[PublicationDoc]) -> None:
        """Add the publications, replacing any already indexed with the same id."""
        for doc in docs:
            segments: dict[str, tuple[tuple[str, ...], ...]] = {}
            languages: dict[str, tuple[tuple[str, ...], ...]] = {}
            for name, by_language in indexed_texts(doc).items():  # as the other engines index them
                parts = sorted({part for found in by_language.values() for part in found})
                segments[name] = tuple(tuple(words(text)) for _, text in parts)
                languages[name] = tuple(
                    tuple(lang for lang, found in by_language.items() if part in found) for part in parts
                )
            pages = tuple((p.number, tuple(words(p.text))) for p in doc.pages)
            ids = {
                v
                for value in (doc.katalog_bps, doc.nomor_publikasi, doc.issn, doc.isbn)
                for v in identifier_variants(value)
            }
            vocabulary = frozenset(w for seg in segments.values() for ws in seg for w in ws)
            page_vocabulary = frozenset(w for _, ws in pages for w in ws)
            entry = _Entry(doc, segments, languages, pages, frozenset(ids), vocabulary, page_vocabulary)
            self._entries[doc.publication_id] = entry

    def delete(self, publication_ids: Iterable[str]) -> None:
        """Remove the publications; unknown ids are ignored."""
        for publication_id in publication_ids:
            self._entries.pop(publication_id, None)

    def rebuild(self, docs: Iterable[PublicationDoc]) -> None:
        """Replace every publication by these, at once."""
        given = list(docs)
        if len({doc.publication_id for doc in given}) != len(given):
            raise ValueError("a publication given twice")
        fresh = MemorySearchEngine()
        fresh.index(given)
        self._entries = fresh._entries

    def ids(self) -> set[str]:
        """Return the ids of every indexed publication."""
        return set(self._entries)

    def fingerprints(self) -> dict[str, str]:
        """Return each indexed publication's fingerprint."""
        return {pid: entry.doc.fingerprint for pid, entry in self._entries.items()}

    def clear(self) -> None:
        """Remove every publication."""
        self._entries.clear()

    def search(self, query: Query) -> SearchResults:
        """Return the publications matching the query."""
        return self._search(query, with_suggestion=True)

    def search_pages(self, query: PageQuery) -> PageResults:
        """Return the pages of one publication that hold the words, in page order."""
        within = Query(
            text=query.text, within_publication=query.publication_id, closed_text=query.closed_text
        )
        results = self._search(within, with_suggestion=True)
        numbers = results.hits[0].pages if results.hits else ()
        entry = self._entries.get(query.publication_id)
        if entry is None or not numbers:
            return PageResults(0, [], results.suggestion)
        resolved = resolve(parse(query.text), _Vocabulary(self._entries.values(), query.closed_text))
        texts = {p.number: p.text for p in entry.doc.pages}
        pages = [
            PageHit(number, highlight(texts[number], resolved, entry.doc.language))
            for number in pages_screen(numbers, query.page, query.per_page)
        ]
        return PageResults(len(numbers), pages)

    def _search(self, query: Query, with_suggestion: bool) -> SearchResults:
        clauses = parse(query.text)
        vocabulary = _Vocabulary(self._entries.values(), query.closed_text)
        resolved = resolve(clauses, vocabulary, query.known)
        # Each publication's score for each clause (0: it lacks it), counted once for both answers.
        held = [
            (entry, _clause_scores(entry, resolved, query.closed_text, query.quiet))
            for entry in self._candidates(query)
        ]
        every = [(entry, _with_bonus(sum(s), entry, resolved, query.quiet)) for entry, s in held if all(s)]
        scored = _weighed(every, query, resolved)
        suggestion = None
        if not scored and clauses and with_suggestion:
            suggestion = suggest(clauses, vocabulary, query.known)
            fixed = replace(query, text=suggestion or "", partial=False)
            if suggestion and not self._search(fixed, False).total:
                suggestion = None  # a correction that finds nothing helps nobody
        omission = None
        if not scored and not suggestion and query.partial:  # every clause but one piece's
            ways = omissions(query.text, resolved, query.known, query.quiet)
            omission, scored = _in_part(held, ways, query)
            if omission is None and query.most:  # the publications holding the most pieces
                omission, scored = _most_held(held, ways, resolved, query)
        if omission is not None:
            resolved, clauses = omission.rest, omission.without(clauses)
        fewer = []  # too few hold every clause: those lacking one piece follow them
        if omission is None and topped_up(query, len(scored)):
            fewer = _short_of_one(held, omissions(query.text, resolved, query.known, query.quiet), query)
        facets: dict[str, Counter[str]] = {name: Counter() for name in FACET_FIELDS}
        for entry in [*(entry for entry, _ in scored), *(entry for entry, _, _ in fewer)]:
            for name, value in entry.doc.facet_values().items():
                facets[name][value] += 1
        scored.sort(key=lambda pair: _rank(query, *pair))
        start = (query.page - 1) * query.per_page
        hits = [
            _hit(entry, score, resolved, query) for entry, score in scored[start : start + query.per_page]
        ]
        fewer.sort(key=lambda found: _rank(query, found[0], found[1]))
        first, end = window(query, len(scored))
        hits += [  # each as the query without its piece shows it: its pages hold every other word
            replace(_hit(entry, score, way.rest, query), missing=way.typed)
            for entry, score, way in fewer[first:end]
        ]
        corrected = (
            suggest(clauses, vocabulary, query.known) if scored and clauses and with_suggestion else None
        )
        left_out = omission.typed if omission is not None else ()
        total = len(scored) + len(fewer)
        return SearchResults(total, hits, ordered_facets(facets), suggestion, corrected, left_out, len(fewer))

    def _candidates(self, query: Query) -> Iterable[_Entry]:
        for entry in self._entries.values():
            if query.within_publication and entry.doc.publication_id != query.within_publication:
                continue
            values = entry.doc.facet_values()
            if all(not wanted or values[name] in wanted for name, wanted in query.filters.items()):
                yield entry


def _rank(query: Query, entry: _Entry, score: float) -> tuple:
    return rank_key(query.sort, score, entry.doc.newest_key(), entry.doc.publication_id)


def _weighed(
    scored: list[tuple[_Entry, float]], query: Query, resolved: list[Resolved]
) -> list[tuple[_Entry, float]]:
    """Return the scores weighed by the site's office, a year the query names and a district."""
    named_years = years(resolved)
    weighed = []
    for entry, score in scored:
        own = query.prefer_office and entry.doc.office_code == query.prefer_office
        named = entry.doc.facet_values()["year"] in named_years
        part = is_part_of_area(entry.doc.katalog_bps)
        weight = (OWN_OFFICE if own else 1) * (YEAR_NAMED if named else 1) * (PART_OF_AREA if part else 1)
        weighed.append((entry, score * weight))
    return weighed


def _in_part(
    held: list[tuple[_Entry, list[float]]], ways: list[Omission], query: Query
) -> tuple[Omission | None, list[tuple[_Entry, float]]]:
    """Return the query without the piece whose best publication scores highest, and its answers."""
    answers = _each_way(held, ways, query)
    choice = chosen([max((score for _, score in scored), default=None) for scored in answers], ways)
    return (None, []) if choice is None else (ways[choice], answers[choice])


def _most_held(
    held: list[tuple[_Entry, list[float]]], ways: list[Omission], resolved: list[Resolved], query: Query
) -> tuple[Omission | None, list[tuple[_Entry, float]]]:
    """Return the query without the pieces the publications holding the most of them lack, and its answers."""
    found = [
        (sum(1 << k for k, way in enumerate(ways) if all(scores[i] for i in way.left_out)), sum(scores))
        for _, scores in held
    ]
    omission = fewest_left_out(resolved, ways, found)
    return (None, []) if omission is None else (omission, _each_way(held, [omission], query)[0])


def _short_of_one(
    held: list[tuple[_Entry, list[float]]], ways: list[Omission], query: Query
) -> list[tuple[_Entry, float, Omission]]:
    """Return the publications lacking one piece, whichever: each scored without it, and the piece."""
    answers = _each_way(held, ways, query)
    return [(entry, score, way) for way, found in zip(ways, answers, strict=True) for entry, score in found]


def _each_way(
    held: list[tuple[_Entry, list[float]]], ways: list[Omission], query: Query
) -> list[list[tuple[_Entry, float]]]:
    """Return, for each way of leaving one piece out, the publications lacking just it, scored without it."""
    answers = []
    for way in ways:
        short = []
        for entry, scores in held:
            kept = [score for index, score in enumerate(scores) if index not in way.left_out]
            if all(kept) and not all(scores[index] for index in way.left_out):
                short.append((entry, _with_bonus(sum(kept), entry, way.rest, query.quiet)))
        answers.append(_weighed(short, query, way.rest))
    return answers


def _clause_scores(
    entry: _Entry, resolved: list[Resolved], closed_text: bool, quiet: frozenset[str] = frozenset()
) -> list[float]:
    """Return the entry's score for each clause, 0 where it lacks the clause (place names weigh QUIET)."""
    stem = stem_for(entry.doc.language)
    found = []
    for item in resolved:
        clause_score = 0.0
        # Each form of the typed number it holds: a district's full Katalog BPS beats its base number.
        clause_score += IDENTIFIER_WEIGHT * len(entry.identifiers & set(item.clause.identifiers))
        for name, segments in entry.segments.items():
            exact, stemmed = _count_in(segments, entry.languages[name], item)
            clause_score += WEIGHTS[name] * _weight(exact, stemmed)
        pages = entry.searched_pages(closed_text)
        exact, stemmed = _count([ws for _, ws in pages], item, stem, entry.doc.language)
        clause_score += WEIGHTS["body"] * _weight(exact, stemmed)
        found.append(clause_score * (QUIET if is_quiet(item, quiet) else 1.0))
    return found


def _with_bonus(total: float, entry: _Entry, resolved: list[Resolved], quiet: frozenset[str]) -> float:
    """Return the score with what the typed words side by side in a title or the abstract add."""
    for pair in proximity(resolved):
        sequence = tuple(pair.split())
        for name, segments in entry.segments.items():
            found = sum(_has(segment, sequence) for segment in segments)
            weight = QUIET if quiet_pair(pair, quiet) else 1.0
            total += weight * WEIGHTS[name] * EXACT_BONUS * math.log1p(found)
    return total


def _has(segment: tuple[str, ...], sequence: tuple[str, ...]) -> int:
    """Return how many times a sequence of words occurs in a word list."""
    size = len(sequence)
    return sum(1 for i in range(len(segment) - size + 1) if segment[i : i + size] == sequence)


def _weight(exact: int, stemmed: int) -> float:
    return EXACT_BONUS * math.log1p(exact) + math.log1p(stemmed)


def _count(segments, item: Resolved, stem, language: str) -> tuple[int, int]:
    """Return (exact occurrences, stem-only occurrences) of a clause in word lists."""
    exact = stemmed = 0
    stems = item.stems_en if is_english(language) else item.stems_id
    for seg in segments:
        if item.sequence:
            size = len(item.sequence)
            exact += sum(1 for i in range(len(seg) - size + 1) if seg[i : i + size] == item.sequence)
            continue
        for word in seg:
            if word in item.exact:
                exact += 1
            elif stems and stem(word) in stems:
                stemmed += 1
    return exact, stemmed


def _count_in(segments, languages, item: Resolved) -> tuple[int, int]:
    """Return (exact, stem-only occurrences) of a clause in word lists, each stemmed in its languages."""
    exact = stemmed = 0
    for seg, langs in zip(segments, languages, strict=True):
        found = [_count([seg], item, stem_for(lang), lang) for lang in langs]
        exact += found[0][0] if found else 0
        stemmed += max((s for _, s in found), default=0)
    return exact, stemmed


def _hit(entry: _Entry, score: float, resolved: list[Resolved], query: Query) -> Hit:
    stem = stem_for(entry.doc.language)
    page_hits: dict[int, set[int]] = {}
    for number, page_words in entry.searched_pages(query.closed_text):
        for index, item in enumerate(resolved):
            exact, stemmed = _count([page_words], item, stem, entry.doc.language)
            if exact + stemmed:
                page_hits.setdefault(number, set()).add(index)
    pages, best = choose_pages(page_hits, len(resolved), query.page_cap)
    texts = {p.number: p.text for p in entry.doc.pages}
    source = texts[best] if best is not None else (entry.doc.abstract or entry.doc.title)
    snippet = highlight(source, resolved, entry.doc.language)
    return Hit(entry.doc.publication_id, score, entry.doc.title, snippet, pages)


class _Vocabulary:
    """The memory engine's words, for prefixes, typos and suggestions."""

    def __init__(self, entries: Iterable[_Entry], closed_text: bool) -> None:
        self._frequency: Counter[str] = Counter()
        self._stems: set[tuple[bool, str]] = set()
        for entry in entries:
            words = entry.words(closed_text)
            self._frequency.update(words)
            english = is_english(entry.doc.language)
            stem = stem_for(entry.doc.language)
            self._stems.update((english, stem(w)) for w in words)

    def doc_frequency(self, word: str) -> int:
        """Return in how many publications the exact word occurs."""
        return self._frequency[word]

    def stem_known(self, word: str) -> bool:
        """Return whether an indexed word shares this word's stem in its language."""
        return (False, stem_indonesian(word)) in self._stems or (
            True,
            stem_english(word),
        ) in self._stems

    def prefixed(self, prefix: str, limit: int) -> list[str]:
        """Return up to `limit` words starting with prefix, most frequent first."""
        found = [w for w in self._frequency if w.startswith(prefix)]
        return sorted(found, key=lambda w: (-self._frequency[w], w))[:limit]

    def near(self, word: str, maxdist: int) -> list[tuple[str, int]]:
        """Return (word, doc frequency) within maxdist edits, sharing the first letter."""
        return [
            (w, n)
            for w, n in self._frequency.items()
            if w[:1] == word[:1] and abs(len(w) - len(word)) <= maxdist and edit_distance(w, word) <= maxdist
        ]
