"""What one version of the index needs at every search, built from per-segment parts.

Whoosh segments never change once written (a deletion only marks documents), so field
lengths and facet postings are computed once per segment and kept across index
versions: after the job worker indexes one publication, the next search rebuilds only
the new segment's part instead of the whole index's (hundreds of milliseconds at
300,000 pages).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import partial

import numpy as np
import numpy.typing as npt
from whoosh.matching.wrappers import WrappingMatcher

from search.engine import FACET_FIELDS, is_part_of_area
from search.whoosh.versions import index_version


class SegmentCache:
    """Values computed per segment, shared by every thread of one engine."""

    def __init__(self) -> None:
        self._values: dict[tuple[str, str, str], object] = {}
        self._lock = threading.Lock()

    def get(self, reader, kind: str, name: str, compute: Callable[[object], object]):
        """Return the value for this segment, computing it the first time."""
        key = (reader.segment().segment_id(), kind, name)
        with self._lock:
            if key in self._values:
                return self._values[key]
        value = compute(reader)  # outside the lock: two threads may both compute it once
        with self._lock:
            self._values[key] = value
        return value

    def keep_only(self, readers) -> None:
        """Forget the segments these readers do not use (merged away or deleted)."""
        alive = {reader.segment().segment_id() for reader in readers}
        with self._lock:
            for key in [key for key in self._values if key[0] not in alive]:
                del self._values[key]


class VersionParts:
    """What every thread's view of one index version computes alike, computed once per process.

    Field lengths, facet postings, sort keys and live documents cost tens of bytes per
    publication: one copy per thread (sixteen in a web process) was what made a web process
    grow with the catalogue (about 150 MB more at 1M pages than at 100k). They refer to no
    searcher or reader, so a retired version's files are unmapped whatever holds them.
    """

    def __init__(self) -> None:
        self.lengths: dict[str, npt.NDArray[np.float64]] = {}
        self.frequencies: dict[tuple[str, str], int] = {}
        self.facets: dict[str, dict[str, frozenset[int]]] | None = None
        self.newest: list[int] | None = None
        self.live: frozenset[int] | None = None
        self.parts_of_areas: frozenset[int] | None = None


class SharedParts:
    """The parts of the latest index versions, by version, shared by an engine's threads."""

    KEPT = 2  # the latest version, and the one threads still finishing a search may read

    def __init__(self) -> None:
        self._parts: OrderedDict[Hashable, VersionParts] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: Hashable) -> VersionParts:
        """Return the parts of this index version (new and empty the first time it is seen)."""
        with self._lock:
            parts = self._parts.get(version)
            if parts is None:
                parts = self._parts[version] = VersionParts()
                while len(self._parts) > self.KEPT:
                    self._parts.popitem(last=False)
            return parts


class IndexView:
    """One thread's searcher of an index version, with the version's shared lengths, facets and live docs.

    Two threads computing the same part at once both compute it (the same value): nothing waits.
    """

    def __init__(self, searcher, cache: SegmentCache, shared: SharedParts | None = None) -> None:
        self.searcher = searcher
        # An empty index has one reader with no segment (and nothing in it).
        self.leaves = [
            (sub.reader(), offset)
            for sub, offset in searcher.leaf_searchers()
            if sub.reader().segment() is not None
        ]
        self.version = index_version(searcher)
        self.stamp: int | None = None  # the index folder's time when this view was last known current
        self._cache = cache
        cache.keep_only(reader for reader, _ in self.leaves)
        self._parts = (shared or SharedParts()).get(self.version)
        # Nothing here may refer back to the view: a retired view must be freed (and its
        # segment files unmapped) when its last reference goes, not by a later garbage
        # collection.

    def doc_frequency(self, field: str, text: str) -> int:
        """Return in how many documents the term occurs (kept for the version)."""
        key = (field, text)
        frequencies = self._parts.frequencies
        frequency = frequencies.get(key)
        if frequency is None:
            if len(frequencies) >= 50_000:
                frequencies.clear()
            frequency = frequencies[key] = self.searcher.reader().doc_frequency(field, text)
        return frequency

    def field_lengths(self, field: str) -> npt.NDArray[np.float64]:
        """Return the length of the field in every document, by document number (read-only: shared)."""
        lengths = self._parts.lengths.get(field)
        if lengths is None:
            parts = [
                self._cache.get(reader, "lengths", field, partial(_lengths, field=field))
                for reader, _ in self.leaves
            ]
            lengths = np.concatenate(parts) if parts else np.zeros(0)
            lengths.flags.writeable = False
            self._parts.lengths[field] = lengths
        return lengths

    def newest(self) -> list[int]:
        """Return every document's "newest" sort key, by document number."""
        if self._parts.newest is None:
            newest: list[int] = []
            for reader, _ in self.leaves:
                newest += self._cache.get(reader, "column", "newest", _newest_keys)
            self._parts.newest = newest
        return self._parts.newest

    def facet_sets(self) -> dict[str, dict[str, frozenset[int]]]:
        """Return, per facet, the document numbers holding each value (deleted ones too)."""
        if self._parts.facets is None:
            facets: dict[str, dict[str, set[int]]] = {name: {} for name in FACET_FIELDS}
            for reader, offset in self.leaves:
                for name in FACET_FIELDS:
                    local = self._cache.get(reader, "facet", name, partial(_postings, field=name))
                    for value, docnums in local.items():
                        facets[name].setdefault(value, set()).update(d + offset for d in docnums)
            self._parts.facets = {
                name: {value: frozenset(docs) for value, docs in values.items()}
                for name, values in facets.items()
            }
        return self._parts.facets

    def parts_of_areas(self) -> frozenset[int]:
        """Return the document numbers of the publications about a district (`is_part_of_area`)."""
        if self._parts.parts_of_areas is None:
            found: set[int] = set()
            for reader, offset in self.leaves:
                local = self._cache.get(
                    reader, "area-parts", "identifiers", partial(_parts_of_areas, field="identifiers")
                )
                found.update(d + offset for d in local)
            self._parts.parts_of_areas = frozenset(found)
        return self._parts.parts_of_areas

    def live(self) -> frozenset[int]:
        """Return the document numbers of every publication not deleted."""
        if self._parts.live is None:
            self._parts.live = frozenset(self.searcher.reader().all_doc_ids())
        return self._parts.live


def _lengths(reader, field: str) -> npt.NDArray[np.float64]:
    return np.array([reader.doc_field_length(d, field, 0) for d in range(reader.doc_count_all())], np.float64)


def _newest_keys(reader) -> list[int]:
    return list(reader.column_reader("newest")) if reader.doc_count_all() else []


def _parts_of_areas(reader, field: str) -> tuple[int, ...]:
    """Return the documents whose identifiers hold a district's Katalog BPS number, deletions ignored."""
    found: set[int] = set()
    for btext in reader.lexicon(field):
        if is_part_of_area(btext.decode("utf-8")):
            found.update(_holding(reader, field, btext.decode("utf-8")))
    return tuple(sorted(found))


def _postings(reader, field: str) -> dict[str, tuple[int, ...]]:
    """Return each term of the field with the documents holding it, deletions ignored."""
    return {
        btext.decode("utf-8"): _holding(reader, field, btext.decode("utf-8"))
        for btext in reader.lexicon(field)
    }


def _holding(reader, field: str, text: str) -> tuple[int, ...]:
    """Return the documents holding the term, deletions ignored."""
    matcher = reader.postings(field, text)
    while isinstance(matcher, WrappingMatcher):  # deletions wrap postings in a filter
        matcher = matcher.child
    return tuple(matcher.all_ids())
