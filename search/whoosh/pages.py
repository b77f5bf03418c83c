"""Find on which pages of a hit each clause matched, from the positions Whoosh stores.

A page field's posting block holds the positions of up to a hundred publications, compressed
and pickled together: reading one hit's pages decodes all of them, and the blocks of the same
common words are read again search after search. Decoded blocks are kept (`KeptBlocks`, a few
MB shared by an engine's threads), so a new search mostly reads blocks an earlier one decoded.
"""

from __future__ import annotations

import pickle
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from itertools import accumulate

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import WrappingMatcher

from search.analysis import stem_english, stem_indonesian
from search.querying import Resolved
from search.result_cache import ResultCache
from search.whoosh.schema import GROUP_PAGE_FIELDS, STEM_MARK, is_shingleable, shingles

ClausePages = list[set[int]]  # for each clause, in order, the pages it was found on
Block = tuple[Sequence[int], Sequence[bytes]]  # a posting block's document numbers and values
STEMMERS = (stem_indonesian, stem_english)  # of each pair of page fields, as indexed
BLOCKS_KEPT = 6 * 1024 * 1024  # bytes of decoded page-field blocks kept per engine


def _block_weight(block: object) -> int:
    """Return about what a decoded block holds in memory, in bytes."""
    if not isinstance(block, tuple):
        return 1
    ids, values = block
    return 100 + 8 * len(ids) + sum(40 + len(value) for value in values if value)


class KeptBlocks:
    """Decoded posting blocks of an index version's page fields, shared by an engine's threads."""

    def __init__(self, budget: int = BLOCKS_KEPT) -> None:
        self._blocks = ResultCache(entries=100_000, weigh=_block_weight, budget=budget)

    def reader(self, version: Hashable, segment: Hashable) -> Callable[[W3LeafMatcher], Block]:
        """Return how to read a matcher's current block of this segment: kept, or decoded and kept."""

        def read(matcher: W3LeafMatcher) -> Block:
            # A block's place in the segment's postings file names it: segments never change.
            return self._blocks.get(version, (segment, matcher._dataoffset), lambda: _decoded(matcher))

        return read


def _decoded(matcher: W3LeafMatcher) -> Block:
    if matcher._ids is None:
        matcher._read_ids()
    if matcher._values is None:
        matcher._read_values()
    return matcher._ids, matcher._values


def locate(
    searcher,
    docnums: Iterable[int],
    resolved: list[Resolved],
    groups: Iterable[str] = ("body",),
    kept: KeptBlocks | None = None,
    version: Hashable = None,
) -> dict[int, ClausePages]:
    """Return, for each document number, the pages of its body text each clause was found on.

    `groups` are the body groups read: "body", and for staff also the closed pages. With
    `kept`, blocks are read through it (for the index `version`).
    """
    pairs = [GROUP_PAGE_FIELDS[group] for group in groups if group in GROUP_PAGE_FIELDS]
    leaves = searcher.leaf_searchers()
    offsets = [offset for _, offset in leaves]
    by_leaf: dict[int, list[int]] = defaultdict(list)
    for docnum in docnums:
        by_leaf[bisect_right(offsets, docnum) - 1].append(docnum)
    located: dict[int, ClausePages] = {}
    for leaf, wanted in by_leaf.items():
        subsearcher, offset = leaves[leaf]
        local = sorted(docnum - offset for docnum in wanted)
        reader = subsearcher.reader()
        read = kept.reader(version, reader.segment().segment_id()) if kept and reader.segment() else _decoded
        for docnum, pages in _locate_in_leaf(_Leaf(reader, read), local, resolved, pairs).items():
            located[docnum + offset] = pages
    return located


class _Leaf:
    """A segment's reader, and how its posting blocks are read."""

    def __init__(self, reader, read: Callable[[W3LeafMatcher], Block]) -> None:
        self.reader, self.read = reader, read


def _locate_in_leaf(
    leaf: _Leaf, docnums: list[int], resolved: list[Resolved], pairs: list[tuple[str, str]]
) -> dict[int, ClausePages]:
    hits: dict[int, ClausePages] = {docnum: [set() for _ in resolved] for docnum in docnums}
    fields = [field for pair in pairs for field in pair]
    for index, item in enumerate(resolved):
        if item.sequence:
            found = _phrase_pages(leaf, docnums, item.sequence, fields)
        else:
            terms = []
            for pair in pairs:
                for field, stems, stem in zip(pair, (item.stems_id, item.stems_en), STEMMERS, strict=True):
                    # A stem is found where a word with that stem was, or the word itself. A word
                    # whose stem differs is on its stem's pages (`PageTermsFilter`): not read twice.
                    words = {w for w in item.exact if not (w.isalpha() and stem(w) != w)} | set(stems)
                    terms += [(field, w) for w in words] + [(field, STEM_MARK + s) for s in stems]
            found = _pages(leaf, docnums, terms)
        for docnum, pages in found.items():
            hits[docnum][index] = pages
    return hits


def _pages(leaf: _Leaf, docnums: list[int], terms: list[tuple[str, str]]) -> dict[int, set[int]]:
    """Return, per document, the pages where any of the terms occur."""
    found: dict[int, set[int]] = defaultdict(set)
    for field, text in terms:
        if (field, text) not in leaf.reader:
            continue
        for docnum, value in _values_at(leaf, leaf.reader.postings(field, text), docnums):
            found[docnum].update(_decode_pages(value))
    return found


def _values_at(leaf: _Leaf, matcher, docnums: list[int]) -> Iterator[tuple[int, bytes]]:
    """Yield (document number, posting value) for the ascending document numbers holding the term.

    Blocks before a wanted document are passed by their highest document number, undecoded,
    and a block's numbers are searched by bisection (Whoosh's `skip_to` steps through them).
    """
    while isinstance(matcher, WrappingMatcher):  # deletions: the wanted documents are live ones
        matcher = matcher.child
    if type(matcher) is not W3LeafMatcher:
        yield from _values_by_skipping(matcher, docnums)
        return
    for docnum in docnums:
        while docnum > matcher._maxid:
            if matcher._lastblock:
                return
            matcher._next_block()
        ids, values = leaf.read(matcher)
        at = bisect_left(ids, docnum)
        if at < len(ids) and ids[at] == docnum:
            yield docnum, values[at]


def _values_by_skipping(matcher, docnums: list[int]) -> Iterator[tuple[int, bytes]]:
    """Do what `_values_at` does through Whoosh's public matcher (another codec's postings)."""
    for docnum in docnums:
        if not matcher.is_active():
            return
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                return
        if matcher.id() == docnum:
            yield docnum, matcher.value()


def _phrase_pages(
    leaf: _Leaf, docnums: list[int], words: tuple[str, ...], fields: list[str]
) -> dict[int, set[int]]:
    """Return, per document, the pages holding every sequence (and loose word) of a phrase."""
    runs: list[list[str]] = [[]]
    for word in words:
        if is_shingleable(word):
            runs[-1].append(word)
        else:
            runs += [[word], []]
    needed = [s for run in runs if len(run) >= 2 for s in shingles(run)]
    needed += [run[0] for run in runs if len(run) == 1]
    per_term = [_pages(leaf, docnums, [(f, term) for f in fields]) for term in needed]
    found = {}
    for docnum in docnums:
        pages = set.intersection(*(term.get(docnum, set()) for term in per_term))
        if pages:
            found[docnum] = pages
    return found


def _decode_pages(value: bytes) -> Iterable[int]:
    """Return the pages stored as positions in a Whoosh `Positions` posting value."""
    # Same format as whoosh.formats.Positions.decode_positions (a length, then pickled
    # deltas), summed in C rather than in a Python loop.
    if not value.endswith(b"."):
        value += b"."
    return accumulate(pickle.loads(value[4:]))
