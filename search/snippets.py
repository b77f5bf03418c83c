"""Which pages a hit lists, and the highlighted snippet shown for it (shared by engines)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Mapping, Sequence, Set
from functools import lru_cache
from html import escape
from itertools import chain, compress, count
from operator import not_

from search.analysis import STOPWORDS, TOKEN_PATTERN, is_english, stem_for, tokens
from search.querying import Resolved

SNIPPET_WORDS = 30
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
_SKIP = 64  # tokens passed over by one match of _SKIPPING on the way to a snippet's window
# `_SKIP` tokens with what precedes each: greedy, each repetition takes the very token `TOKEN_PATTERN`
# would (a run of word characters never starts inside a token). Used only where that many follow,
# so the greedy path matches at once and nothing is backtracked.
_SKIPPING = re.compile(rf"(?:\W*{TOKEN_PATTERN.pattern}){{{_SKIP}}}")
# Pages whose words `highlight` keeps read: a snippet's page is most often one shown before (a
# catalogue's common pages), and reading its words was half of a snippet's cost. A page of
# 1 kB keeps about 15 kB; 256 pages held 86 % of the snippets of 2,000 new searches on the demo
# (512: 96 %, 7.8 MB).
PAGES_KEPT = 256


def choose_pages(
    page_hits: Mapping[int, Set[int]], clause_count: int, cap: int
) -> tuple[tuple[int, ...], int | None]:
    """Return the pages to list and the page the snippet comes from.

    `page_hits` maps a page number to the indexes of the clauses found there. Pages
    where every clause matched are listed; if no page has them all (the words are
    spread over pages, or some matched only the title), every page with any of them
    is. The snippet comes from the first page holding the most clauses.
    """
    if not page_hits:
        return (), None
    complete = [page for page, hits in page_hits.items() if len(hits) == clause_count]
    listed = tuple(sorted(complete or page_hits)[:cap])
    best = min(page_hits, key=lambda page: (-len(page_hits[page]), page))
    return listed, best


def choose_clause_pages(per_clause: Sequence[Set[int]], cap: int) -> tuple[tuple[int, ...], int | None]:
    """Return what `choose_pages` does, from the pages each clause was found on (one set a clause).

    The same choice in set operations: a word on every page of a long publication no longer
    costs a Python step per page and clause.
    """
    found = [pages for pages in per_clause if pages]
    if not found:
        return (), None
    complete = set(found[0]).intersection(*found[1:]) if len(found) == len(per_clause) else set()
    if complete:
        return tuple(sorted(complete)[:cap]), min(complete)
    anywhere = set().union(*found)
    if len(found) == 1:
        return tuple(sorted(anywhere)[:cap]), min(anywhere)
    counts = Counter(chain.from_iterable(found))
    most = max(counts.values())
    return tuple(sorted(anywhere)[:cap]), min(page for page, count in counts.items() if count == most)


def pages_screen(numbers: Sequence[int], page: int, per_page: int) -> Sequence[int]:
    """Return the page numbers shown on one screen of a search inside a publication."""
    return numbers[(page - 1) * per_page : page * per_page]


def marked_spans(
    found: list[tuple[str, int, int]], resolved: Sequence[Resolved], language: str
) -> list[tuple[int, int]]:
    """Return the (start, end) character spans of the tokens the query matched."""
    stem = stem_for(language)
    english = is_english(language)
    marked: set[int] = set()
    for item in resolved:
        if item.sequence:
            marked.update(_sequence_starts([word for word, _, _ in found], item.sequence))
            continue
        stems = item.stems_en if english else item.stems_id
        exact = item.exact
        for index, (word, _, _) in enumerate(found):
            if word in exact or (stems and word.isalpha() and stem(word) in stems):
                marked.add(index)
    return [(found[i][1], found[i][2]) for i in sorted(marked)]


def highlight(text: str, resolved: Sequence[Resolved], language: str) -> str:
    """Return an HTML-escaped excerpt of the text with the matched words in <mark>.

    The page's words are read by the regular expression alone (C), and their places only for
    the words of the snippet's window: tokenising a whole page word by word in Python was a
    search page's largest single cost after scoring. What does not depend on the query (the
    page's words, their stems) is kept for the last `PAGES_KEPT` pages. The excerpt is
    `highlight_tokens`'s.
    """
    page = _words_of(text)
    if page is None:  # a letter whose lower case is longer ("İ"): places would shift
        return highlight_tokens(text, resolved, language)
    words, kept = page.words, page.kept
    if not words:
        return escape(text.strip()[:200])
    marked = sorted(_marked(page, resolved, language))
    first, last = _window_of(len(words), marked)
    places = _places(page.lowered, kept[first], kept[last])  # of every token, stopwords too
    start = places[kept[first]][0] if first else 0
    end = places[kept[last]][1] if last < len(words) - 1 else len(text)
    return _excerpt(text, start, end, [places[kept[index]] for index in marked if first <= index <= last])


class _PageWords:
    """A page's words as `highlight` reads them: the same for every query."""

    __slots__ = ("distinct", "kept", "lowered", "stemmed", "words")

    def __init__(self, lowered: str) -> None:
        everything = TOKEN_PATTERN.findall(lowered)
        # Each step below iterates in C (map, compress, set operations): a page has hundreds of words.
        keep = list(map(not_, map(STOPWORDS.__contains__, everything)))
        self.lowered = lowered
        self.kept = list(compress(range(len(everything)), keep))  # each word's place among all tokens
        self.words = list(compress(everything, keep))  # the words, stopwords left out
        self.distinct = set(self.words)
        # By stem function: the page's alphabetic words and their stems, made when first asked.
        self.stemmed: dict[Callable[[str], str], tuple[list[str], list[str]]] = {}

    def stems(self, stem: Callable[[str], str]) -> tuple[list[str], list[str]]:
        """Return the page's distinct alphabetic words and each one's stem."""
        found = self.stemmed.get(stem)
        if found is None:
            alphabetic = list(filter(str.isalpha, self.distinct))
            found = self.stemmed[stem] = (alphabetic, list(map(stem, alphabetic)))
        return found


@lru_cache(maxsize=PAGES_KEPT)
def _words_of(text: str) -> _PageWords | None:
    lowered = text.lower()
    return _PageWords(lowered) if len(lowered) == len(text) else None


def _excerpt(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """Return text[start:end] escaped, with the spans in <mark> and "…" where the text goes on."""
    parts = ["… " if start > 0 and text[:start].strip() else ""]
    cursor = start
    for span_start, span_end in spans:
        parts.append(escape(text[cursor:span_start]))
        parts.append(MARK_OPEN + escape(text[span_start:span_end]) + MARK_CLOSE)
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    if text[end:].strip():
        parts.append(" …")
    return " ".join("".join(parts).split())


def _marked(page: _PageWords, resolved: Sequence[Resolved], language: str) -> set[int]:
    """Return the indexes of the page's words the query matched (as `marked_spans` does)."""
    stem = stem_for(language)
    english = is_english(language)
    words = page.words
    matching: set[str] = set()
    marked: set[int] = set()
    for item in resolved:
        if item.sequence:
            marked.update(_sequence_starts(words, item.sequence))
            continue
        matching |= page.distinct & item.exact
        stems = item.stems_en if english else item.stems_id
        if stems:
            alphabetic, stemmed = page.stems(stem)
            matching.update(compress(alphabetic, map(stems.__contains__, stemmed)))
    if matching:
        marked.update(compress(count(), map(matching.__contains__, words)))
    return marked


def _sequence_starts(words: list[str], sequence: tuple[str, ...]) -> set[int]:
    """Return the indexes of the words of each run of `words` equal to the sequence."""
    size = len(sequence)
    hits: set[int] = set()
    head = sequence[0]
    for start in compress(count(), map(head.__eq__, words)):
        if tuple(words[start : start + size]) == sequence:
            hits.update(range(start, start + size))
    return hits


def _window_of(size: int, marked: list[int]) -> tuple[int, int]:
    """Return the first and last word of the window holding the most marks (as `_window`)."""
    if size <= SNIPPET_WORDS or not marked:
        return 0, min(size, SNIPPET_WORDS) - 1
    best_first, best_count = 0, -1
    for index in marked:  # sorted: the marks within a window are a slice, found by bisection
        first = max(0, min(index - 5, size - SNIPPET_WORDS))
        within = bisect_left(marked, first + SNIPPET_WORDS) - bisect_left(marked, first)
        if within > best_count:
            best_first, best_count = first, within
    return best_first, best_first + SNIPPET_WORDS - 1


def _places(lowered: str, first: int, last: int) -> dict[int, tuple[int, int]]:
    """Return the (start, end) of tokens `first` to `last` (counting every token) of the text."""
    position, passed = 0, 0
    while first - passed >= _SKIP:
        found = _SKIPPING.match(lowered, position)
        if found is None:  # cannot happen while that many tokens follow; read them one by one
            break
        position, passed = found.end(), passed + _SKIP
    places: dict[int, tuple[int, int]] = {}
    for index, match in enumerate(TOKEN_PATTERN.finditer(lowered, position), start=passed):
        if index >= first:
            places[index] = match.span()
            if index == last:
                break
    return places


def highlight_tokens(text: str, resolved: Sequence[Resolved], language: str) -> str:
    """Return the excerpt `highlight` does, tokenising the whole text word by word (any text)."""
    all_tokens = list(tokens(text))
    spans = marked_spans(all_tokens, resolved, language)
    if not all_tokens:
        return escape(text.strip()[:200])
    first, last = _window(all_tokens, spans)
    # From the very start or to the very end, keep the punctuation around the words.
    start = all_tokens[first][1] if first else 0
    end = all_tokens[last][2] if last < len(all_tokens) - 1 else len(text)
    return _excerpt(text, start, end, [(a, b) for a, b in spans if a >= start and b <= end])


def _window(all_tokens: list[tuple[str, int, int]], spans: list[tuple[int, int]]) -> tuple[int, int]:
    """Return the first and last token index of the window holding the most marks."""
    if len(all_tokens) <= SNIPPET_WORDS or not spans:
        return 0, min(len(all_tokens), SNIPPET_WORDS) - 1
    index_of = {start: index for index, (_, start, _) in enumerate(all_tokens)}
    marked = {index_of[span_start] for span_start, _ in spans}
    best_first, best_count = 0, -1
    for index in sorted(marked):
        # Open the window a few words before a mark so the reader sees some context.
        first = max(0, min(index - 5, len(all_tokens) - SNIPPET_WORDS))
        count = sum(1 for m in marked if first <= m < first + SNIPPET_WORDS)
        if count > best_count:
            best_first, best_count = first, count
    return best_first, best_first + SNIPPET_WORDS - 1
