"""The answers of the latest index version to the searches asked most recently, shared by a process's threads.

People search for the same words (the reports' top terms are a short list), and an index
version never changes: its answer to a query is the same until the next version. A search
page asked again is served from here in microseconds instead of scoring, snippets and facets
(milliseconds). A new version empties the cache; entries are bounded in number (least
recently used go first). What is stored is shared: callers must not change it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")
ENTRIES = 1024


class ResultCache:
    """Answers of one index version, by query."""

    def __init__(self, entries: int = ENTRIES) -> None:
        self._entries = entries
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._version: Hashable = None
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, version: Hashable, key: Hashable, compute: Callable[[], T]) -> T:
        """Return the answer of this index version to the key's query, computing it if not kept."""
        with self._lock:
            if version == self._version and key in self._values:
                self._values.move_to_end(key)
                self.hits += 1
                return self._values[key]  # type: ignore[return-value]
            self.misses += 1
        value = compute()  # outside the lock: other searches go on meanwhile
        with self._lock:
            if version != self._version:
                # Another version (the latest, or briefly a thread's older one): its answers
                # replace every other's, so no answer outlives its version here.
                self._values.clear()
                self._version = version
            self._values[key] = value
            while len(self._values) > self._entries:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every answer (the index was written by this process)."""
        with self._lock:
            self._values.clear()
            self._version = None


def index_version(searcher) -> tuple:  # noqa: ANN001 (a Whoosh searcher: untyped)
    """Return what identifies the index version a Whoosh searcher reads.

    Its generation, and its segments' names: an index made anew in the same folder counts
    its generations from 0 again, but in segments of other (random) names.
    """
    segments = (sub.reader().segment() for sub, _ in searcher.leaf_searchers())
    names = (segment.segment_id() for segment in segments if segment is not None)
    return (searcher.reader().generation(), *names)
