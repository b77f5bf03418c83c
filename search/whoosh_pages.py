"""Find on which pages of a hit each clause matched, from the positions Whoosh stores."""

from __future__ import annotations

import pickle
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import accumulate

from search.querying import Resolved
from search.whoosh_schema import PAGE_BITS, PAGE_FIELDS, STEM_MARK

PageHits = dict[int, dict[int, int]]  # page number -> {clause index: occurrences}


def locate(searcher, docnums: Iterable[int], resolved: list[Resolved]) -> dict[int, PageHits]:
    """Return, for each document number, the clause hits per page of its body text."""
    leaves = searcher.leaf_searchers()
    offsets = [offset for _, offset in leaves]
    by_leaf: dict[int, list[int]] = defaultdict(list)
    for docnum in docnums:
        by_leaf[bisect_right(offsets, docnum) - 1].append(docnum)
    located: dict[int, PageHits] = {}
    for leaf, wanted in by_leaf.items():
        subsearcher, offset = leaves[leaf]
        local = sorted(docnum - offset for docnum in wanted)
        for docnum, pages in _locate_in_leaf(subsearcher.reader(), local, resolved).items():
            located[docnum + offset] = pages
    return located


def _locate_in_leaf(reader, docnums: list[int], resolved: list[Resolved]) -> dict[int, PageHits]:
    hits: dict[int, PageHits] = {docnum: {} for docnum in docnums}
    for index, item in enumerate(resolved):
        if item.sequence:
            found = _phrase_positions(reader, docnums, item.sequence)
        else:
            terms = []
            for field, stems in zip(PAGE_FIELDS, (item.stems_id, item.stems_en)):
                # A stem is where a word with that stem was, or the word itself.
                words = set(item.exact) | set(stems)
                terms += [(field, w) for w in words] + [(field, STEM_MARK + s) for s in stems]
            found = _positions(reader, docnums, terms)
        for docnum, positions in found.items():
            pages = hits[docnum]
            for page, count in Counter(p >> PAGE_BITS for p in positions).items():
                pages.setdefault(page, {})[index] = count
    return hits


def _positions(reader, docnums: list[int], terms: list[tuple[str, str]]) -> dict[int, set[int]]:
    """Return, per document, the positions where any of the terms occur."""
    found: dict[int, set[int]] = defaultdict(set)
    for field, text in terms:
        if (field, text) not in reader:
            continue
        matcher = reader.postings(field, text)
        # Document numbers ascend, so one matcher per term skips forward through them.
        for docnum in docnums:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                found[docnum].update(_decode_positions(matcher.value()))
    return found


def _phrase_positions(reader, docnums: list[int], words: tuple[str, ...]) -> dict[int, set[int]]:
    """Return, per document, the positions where the words follow each other."""
    per_word = [
        _positions(reader, docnums, [(field, w) for field in PAGE_FIELDS]) for w in words
    ]
    found = {}
    for docnum in docnums:
        starts = set(per_word[0].get(docnum, ()))
        for shift, positions in enumerate(per_word[1:], 1):
            starts &= {p - shift for p in positions.get(docnum, ())}
        if starts:
            found[docnum] = starts
    return found


def _decode_positions(value: bytes) -> Iterable[int]:
    """Return the positions of a Whoosh `Positions` posting value."""
    # Same format as whoosh.formats.Positions.decode_positions (a length, then pickled
    # deltas), summed in C rather than in a Python loop: big publications have
    # thousands of positions per word.
    if not value.endswith(b"."):
        value += b"."
    return accumulate(pickle.loads(value[4:]))
