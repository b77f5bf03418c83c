"""Resolved clauses as term plans over the Whoosh fields, and the index vocabulary."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import NamedTuple, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from search.analysis import stem_english, stem_indonesian
from search.querying import QUIET, Resolved, is_quiet, proximity, quiet_pair
from search.result_cache import ResultCache
from search.typing_slips import swaps
from search.whoosh.schema import (
    BODY_GROUPS,
    CLOSED_GROUP,
    GROUP_PAGE_FIELDS,
    in_body_exact,
    is_shingleable,
    shingles,
    text_groups,
)

T = TypeVar("T")

# Titles beat abstracts and subjects, which beat page text; within each, the word as
# typed adds to its stem, so exact words rank first; an identifier beats everything.
# Closed pages (staff queries only) weigh as open ones.
EXACT_BOOST = {"title": 3.0, "meta": 1.0, "body": 0.6, CLOSED_GROUP: 0.6}
STEM_BOOST = {"title": 3.0, "meta": 1.0, "body": 0.6, CLOSED_GROUP: 0.6}
PHRASE_BOOST = {"title": 6.0, "meta": 2.0, "body": 1.2, CLOSED_GROUP: 1.2}
IDENTIFIER_BOOST = 50.0


class TermRef(NamedTuple):
    """One term in one field, with the weight of a match on it.

    A named tuple: the scores cache hashes and compares tens of them a search, which a
    tuple does in C (a frozen dataclass's Python `__hash__` and `__eq__` cost a tenth of a search).
    """

    field: str
    text: str
    boost: float = 1.0


Alternative = tuple[TermRef, ...]  # every term must occur in the publication
ClausePlan = list[Alternative]  # a clause matches when any alternative does


def plan(
    resolved: list[Resolved], closed_text: bool = False, quiet: frozenset[str] = frozenset()
) -> list[ClausePlan]:
    """Return, for each clause, the alternatives that satisfy it (closed pages for staff).

    A clause of place names only (`is_quiet`) weighs QUIET of what it would.
    """
    groups = text_groups(closed_text)
    plans = []
    for item in resolved:
        clause = _clause(item, groups)
        if is_quiet(item, quiet):
            clause = [tuple(TermRef(r.field, r.text, r.boost * QUIET) for r in alt) for alt in clause]
        plans.append(clause)
    return plans


def _clause(item: Resolved, groups: tuple[str, ...]) -> ClausePlan:
    alternatives = _phrase(item.sequence, groups) if item.sequence else _words(item, groups)
    if item.clause.kind == "identifier":
        alternatives += [(TermRef("identifiers", v, IDENTIFIER_BOOST),) for v in item.clause.identifiers]
    return alternatives


def _words(item: Resolved, groups: tuple[str, ...]) -> ClausePlan:
    alternatives: ClausePlan = []
    for word in sorted(item.exact):
        if not in_body_exact(word):  # a long figure or code: only the pages fields have it
            for group in BODY_GROUPS:
                if group in groups:
                    boost = EXACT_BOOST[group]
                    alternatives += [(TermRef(f, word, boost),) for f in GROUP_PAGE_FIELDS[group]]
    for group in groups:
        alternatives += [(TermRef(f"{group}_exact", w, EXACT_BOOST[group]),) for w in sorted(item.exact)]
        alternatives += [(TermRef(f"{group}_id", s, STEM_BOOST[group]),) for s in sorted(item.stems_id)]
        alternatives += [(TermRef(f"{group}_en", s, STEM_BOOST[group]),) for s in sorted(item.stems_en)]
    return alternatives


def _phrase(words: tuple[str, ...], groups: tuple[str, ...]) -> ClausePlan:
    """Return one alternative per text group: the phrase's sequences all occur there."""
    # Runs of words that sequences are indexed for are looked up as sequences; other
    # words (numbers) only have to occur, so such phrases match a little loosely.
    runs: list[list[str]] = [[]]
    for word in words:
        if is_shingleable(word):
            runs[-1].append(word)
        else:
            runs += [[word], []]
    alternatives: ClausePlan = []
    for group in groups:
        terms = []
        indonesian, english = GROUP_PAGE_FIELDS.get(group, ("", ""))
        for run in runs:
            if len(run) >= 2:
                terms += [TermRef(f"{group}_shingles", s, PHRASE_BOOST[group]) for s in shingles(run)]
            elif run and group in BODY_GROUPS and not in_body_exact(run[0]):
                terms.append(TermRef(indonesian, run[0], EXACT_BOOST[group]))
            elif run:
                terms.append(TermRef(f"{group}_exact", run[0], EXACT_BOOST[group]))
        alternatives.append(tuple(terms))
        if indonesian and any(ref.field == indonesian for ref in terms):  # the same in English ones
            alternatives.append(tuple(_in_field(ref, indonesian, english) for ref in terms))
    return alternatives


def _in_field(ref: TermRef, old: str, new: str) -> TermRef:
    return TermRef(new, ref.text, ref.boost) if ref.field == old else ref


def bonus_plan(resolved: list[Resolved], quiet: frozenset[str] = frozenset()) -> list[Alternative]:
    """Return the sequences of typed words side by side in titles and abstracts (`proximity`)."""
    return [
        (TermRef(f"{group}_shingles", pair, PHRASE_BOOST[group] * (QUIET if quiet_pair(pair, quiet) else 1)),)
        for pair in proximity(resolved)
        for group in ("title", "meta")
    ]


class IndexVocabulary:
    """The words of a Whoosh index, for prefixes, typos and suggestions.

    A public query's vocabulary leaves out the closed pages' words: a correction or a
    typo's neighbour must never come from text the person may not search.
    """

    def __init__(
        self, reader, closed_text: bool = False, memo: ResultCache | None = None, version: Hashable = None
    ) -> None:
        self._reader = reader
        # Lookups kept for the index `version` (in `memo`, shared by the engine's threads):
        # people's words recur, and a typo's neighbours cost milliseconds to find.
        self._memo, self._version = memo, version
        self._closed = closed_text
        groups = text_groups(closed_text)
        self._exact = tuple(f"{group}_exact" for group in groups)
        self._indonesian = tuple(f"{group}_id" for group in groups)
        self._english = tuple(f"{group}_en" for group in groups)

    def _kept(self, key: tuple, compute: Callable[[], T]) -> T:
        if self._memo is None:
            return compute()
        return self._memo.get(self._version, (self._closed, *key), compute)

    def doc_frequency(self, word: str) -> int:
        """Return in how many publications the exact word occurs (at least)."""
        return self._kept(("df", word), lambda: max(self._reader.doc_frequency(f, word) for f in self._exact))

    def stem_known(self, word: str) -> bool:
        """Return whether any publication has a word with this word's stem."""
        return self._kept(("stem", word), lambda: self._stem_known(word))

    def _stem_known(self, word: str) -> bool:
        reader = self._reader
        return any((f, stem_indonesian(word)) in reader for f in self._indonesian) or any(
            (f, stem_english(word)) in reader for f in self._english
        )

    def prefixed(self, prefix: str, limit: int) -> list[str]:
        """Return up to `limit` words starting with prefix, most frequent first (shared: do not change it)."""
        return self._kept(("prefix", prefix, limit), lambda: self._prefixed(prefix, limit))

    def _prefixed(self, prefix: str, limit: int) -> list[str]:
        frequency: dict[str, int] = {}
        for field in self._exact:
            for btext, info in self._reader.iter_prefix(field, prefix):
                word = btext.decode("utf-8")
                frequency[word] = max(frequency.get(word, 0), info.doc_frequency())
        return sorted(frequency, key=lambda w: (-frequency[w], w))[:limit]

    def near(self, word: str, maxdist: int) -> list[tuple[str, int]]:
        """Return (word, doc frequency) within maxdist edits, sharing the first letter (shared: keep it)."""
        return self._kept(("near", word, maxdist), lambda: self._near(word, maxdist))

    def _near(self, word: str, maxdist: int) -> list[tuple[str, int]]:
        # The words sharing its first letter, compared in C (rapidfuzz): a fraction of a
        # millisecond where Whoosh's Levenshtein automaton took ~3 ms to build and walk. A swap
        # of neighbours is one slip but two Levenshtein edits: looked for within two.
        slips = swaps(word)
        found: dict[str, int] = {}
        for match, distance, _ in process.extract(
            word,
            self.spellings(word[:1]),
            scorer=Levenshtein.distance,
            score_cutoff=max(maxdist, 2),
            limit=None,
        ):
            if distance <= maxdist or match in slips:
                frequency = self.doc_frequency(match)
                if frequency:  # 0: only in deleted documents, not yet merged away
                    found[match] = frequency
        return list(found.items())

    def spellings(self, letter: str) -> tuple[str, ...]:
        """Return the words of the exact fields starting with `letter` (shared: do not change it).

        Read once per index version from each segment's term index; the letter's words are all a
        typo's neighbours can be (they share its first letter), so the list costs what the
        vocabulary's words do (tens of bytes each) and only for letters people misspell.
        """
        return self._kept(("spellings", letter), lambda: self._spellings(letter))

    def _spellings(self, letter: str) -> tuple[str, ...]:
        words: set[bytes] = set()
        for leaf, _ in self._reader.leaf_readers():
            for field in self._exact:
                if field in leaf.indexed_field_names():
                    words.update(leaf.expand_prefix(field, letter))
        return tuple(sorted(w.decode("utf-8") for w in words))
