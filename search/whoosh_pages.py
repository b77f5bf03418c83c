"""Find on which pages of a hit each clause matched, from the positions Whoosh stores."""

from __future__ import annotations

import pickle
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from itertools import accumulate

from search.querying import Resolved
from search.whoosh_schema import GROUP_PAGE_FIELDS, STEM_MARK, is_shingleable, shingles

ClausePages = list[set[int]]  # for each clause, in order, the pages it was found on


def locate(
    searcher, docnums: Iterable[int], resolved: list[Resolved], groups: Iterable[str] = ("body",)
) -> dict[int, ClausePages]:
    """Return, for each document number, the pages of its body text each clause was found on.

    `groups` are the body groups read: "body", and for staff also the closed pages.
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
        for docnum, pages in _locate_in_leaf(subsearcher.reader(), local, resolved, pairs).items():
            located[docnum + offset] = pages
    return located


def _locate_in_leaf(
    reader, docnums: list[int], resolved: list[Resolved], pairs: list[tuple[str, str]]
) -> dict[int, ClausePages]:
    hits: dict[int, ClausePages] = {docnum: [set() for _ in resolved] for docnum in docnums}
    fields = [field for pair in pairs for field in pair]
    for index, item in enumerate(resolved):
        if item.sequence:
            found = _phrase_pages(reader, docnums, item.sequence, fields)
        else:
            terms = []
            for pair in pairs:
                for field, stems in zip(pair, (item.stems_id, item.stems_en), strict=True):
                    # A stem is found where a word with that stem was, or the word itself.
                    words = set(item.exact) | set(stems)
                    terms += [(field, w) for w in words] + [(field, STEM_MARK + s) for s in stems]
            found = _pages(reader, docnums, terms)
        for docnum, pages in found.items():
            hits[docnum][index] = pages
    return hits


def _pages(reader, docnums: list[int], terms: list[tuple[str, str]]) -> dict[int, set[int]]:
    """Return, per document, the pages where any of the terms occur."""
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
                found[docnum].update(_decode_pages(matcher.value()))
    return found


def _phrase_pages(
    reader, docnums: list[int], words: tuple[str, ...], fields: list[str]
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
    per_term = [_pages(reader, docnums, [(f, term) for f in fields]) for term in needed]
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
