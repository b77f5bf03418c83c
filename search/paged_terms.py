"""The terms a paged text gives each kind of text field, worked out once per text.

A publication's text is indexed by several fields (`search.whoosh.schema`): its words, their
stems, its two- and three-word sequences, and the set of terms on each page. Whoosh would run
the text through each field's analyzer a token at a time; `PagedTerms` splits it into its
pages' words once, and each field counts what it takes from them, a distinct word at a time
where it can (a stem, whether a word is a number). The terms, counts and page lists are the
analyzers' own: a test compares them with Whoosh's token by token.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import groupby

from search.analysis import STOPWORDS, TOKEN_PATTERN

PAGE_BITS = 16  # positions are page << PAGE_BITS | word index in page
PAGE_WORDS = 1 << PAGE_BITS  # words a page keeps; the rest are not indexed
PAGE_START, PAGE_END = "\x1e", "\x1f"
STEM_MARK = "~"  # "~penduduk" on a page: a word there has the stem "penduduk"

# The last few texts split, by identity: a text is indexed by several fields of one document,
# one after another. Holding the strings keeps their ids from being reused. Per thread, as two
# engines may index at once.
_recent = threading.local()
_KEPT = 3  # a document has three texts (title, meta, body)


def is_shingleable(word: str) -> bool:
    """Return whether a word takes part in indexed word sequences (most numbers do not)."""
    # Statistical tables are full of numbers: sequences with them would be nearly all
    # unique and triple the term dictionary. Years are kept: "sensus penduduk 2020".
    return word.isalpha() or (len(word) == 4 and word.isdigit() and word[:2] in ("19", "20"))


def in_body_exact(word: str) -> bool:
    """Return whether a page word is indexed in the scored body field (long numbers are not)."""
    # Tables hold hundreds of thousands of distinct figures ("266.759"); indexing them
    # once, in the pages fields, halves the term dictionary. Years and small counts stay.
    return word.isalpha() or (word.isdigit() and len(word) <= 4)


def page_words(text: str) -> list[str]:
    """Return the lower-case non-stopwords of one page's text, in order."""
    if text.isascii():  # lower-casing ASCII first finds the same words, faster
        found = TOKEN_PATTERN.findall(text.lower())
    else:  # elsewhere lower-casing can split or join words ("İ" is two characters lower-case)
        found = [word.lower() for word in TOKEN_PATTERN.findall(text)]
    return [word for word in found if word not in STOPWORDS]


def paged_terms(value: str) -> PagedTerms:
    """Return the split of a paged value, shared by the fields that index it one after another."""
    kept = getattr(_recent, "texts", None)
    if kept is None:
        kept = _recent.texts = {}
    recent = kept.get(id(value))
    if recent is not None and recent[0] is value:
        return recent[1]
    terms = PagedTerms(value)
    if len(kept) >= _KEPT:
        kept.pop(next(iter(kept)))
    kept[id(value)] = (value, terms)
    return terms


class PagedTerms:
    """A paged value's words, page by page, and the terms each kind of field takes from them."""

    def __init__(self, value: str) -> None:
        # (page, words) for each page marker, in the value's order. Text before the first
        # marker is page 0; a page's words are numbered on from 0 up to PAGE_WORDS.
        self.pages: list[tuple[int, list[str]]] = []
        for chunk in value.split(PAGE_START):
            if PAGE_END in chunk:
                number, _, text = chunk.partition(PAGE_END)
                self.pages.append((int(number), page_words(text)[:PAGE_WORDS]))
            elif not self.pages:
                self.pages.append((0, page_words(chunk)[:PAGE_WORDS]))
            else:  # a stray start mark: the page goes on
                page, words = self.pages[-1]
                self.pages[-1] = (page, (words + page_words(chunk))[:PAGE_WORDS])
        self._words: Counter[str] | None = None
        self._sequences: list[list[str]] | None = None

    def words(self) -> Counter[str]:
        """Return how often each word occurs."""
        if self._words is None:
            self._words = Counter()
            for _, words in self.pages:
                self._words.update(words)
        return self._words

    def body_words(self) -> dict[str, int]:
        """Return how often each word the scored body field indexes occurs (`in_body_exact`)."""
        return {word: count for word, count in self.words().items() if in_body_exact(word)}

    def stems(self, stem: Callable[[str], str]) -> Counter[str]:
        """Return how often each stem occurs (numbers and codes have none)."""
        stems: Counter[str] = Counter()
        for word, count in self.words().items():
            if word.isalpha():
                stems[stem(word)] += count
        return stems

    def sequences(self) -> Counter[str]:
        """Return how often each two- and three-word sequence occurs."""
        counts: Counter[str] = Counter()
        for found in self._page_sequences():
            counts.update(found)
        return counts

    def page_sets(self, stem: Callable[[str], str]) -> dict[str, list[int]]:
        """Return the pages each term is on: each word, its marked stem and the sequences."""
        marks = {}
        for word in self.words():
            if word.isalpha() and (stemmed := stem(word)) != word:
                marks[word] = STEM_MARK + stemmed
        found: defaultdict[str, list[int]] = defaultdict(list)
        page = -1
        words_on_page: set[str] = set()
        terms: set[str] = set()
        for (number, words), sequences in zip(self.pages, self._page_sequences(), strict=True):
            if not words:
                continue
            if number != page:  # a new page (consecutive parts of one page count once)
                _add_page(found, words_on_page, terms, marks, page)
                page, words_on_page, terms = number, set(), set()
            words_on_page.update(words)
            terms.update(sequences)
        _add_page(found, words_on_page, terms, marks, page)
        return found

    def _page_sequences(self) -> list[list[str]]:
        """Return the sequences ending on each page: runs of shingleable words, two and three at a time."""
        if self._sequences is not None:
            return self._sequences
        shingleable = {word for word in self.words() if is_shingleable(word)}.__contains__
        self._sequences, last = [], None
        carried: list[str] = []
        for number, words in self.pages:
            if not words:
                self._sequences.append([])
                continue
            # A run goes on across a page break only where positions do: a page cut at
            # PAGE_WORDS words, followed by the next page number.
            if not (last is not None and last[1] == PAGE_WORDS and number == last[0] + 1):
                carried = []
            found, run = [], []
            for first, (kept, group) in enumerate(groupby(words, key=shingleable)):
                run = list(group) if kept else []
                if first == 0 and carried and kept:  # the carried words' own sequences were the page before's
                    found += _sequences(carried + run, len(carried))
                elif kept:
                    found += _sequences(run, 0)
            carried = run[-2:]
            self._sequences.append(found)
            last = (number, len(words))
        return self._sequences


def _sequences(run: list[str], skip: int) -> list[str]:
    """Return the two- and three-word sequences of a run of words that end after its first `skip` words."""
    if len(run) < 2:
        return []
    two, three = max(skip, 1), max(skip, 2)  # the index of the first word a sequence may end at
    found = [f"{a} {b}" for a, b in zip(run[two - 1 :], run[two:], strict=False)]
    found += [
        f"{a} {b} {c}" for a, b, c in zip(run[three - 2 :], run[three - 1 :], run[three:], strict=False)
    ]
    return found


def _add_page(
    found: defaultdict[str, list[int]], words: set[str], terms: set[str], marks: dict[str, str], page: int
) -> None:
    """Add a page to the page list of each of its words, their marked stems and its other terms."""
    terms.update(words, [marks[word] for word in words & marks.keys()])
    for term in terms:
        found[term].append(page)
