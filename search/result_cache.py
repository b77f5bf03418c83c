"""The answers of the latest index version to the searches asked most recently, shared by a process's threads.

People search for the same words (the reports' top terms are a short list), and an index
version never changes: its answer to a query is the same until the next version. A search
page asked again is served from here in microseconds instead of scoring, snippets and facets
(milliseconds). A new version empties the cache; entries are bounded in number (least
recently used go first), and, when the cache is given a `weigh` of its answers, in their
total weight too (a term's scores weigh their postings: a common word's are thousands). What is
stored is shared: callers must not change it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from typing import TypeVar

from search.engine import Query

T = TypeVar("T")
ENTRIES = 1024
# Kept answers' bytes, as `answer_weight` reckons them: a large catalogue's answer lists every
# office and year in its facets (57 kB at 400 offices), so 1,024 of them held 58 MB a process.
ANSWERS_KEPT = 16 * 2**20


class ResultCache:
    """Answers of one index version, by query."""

    def __init__(
        self,
        entries: int = ENTRIES,
        weigh: Callable[[object], int] | None = None,
        budget: int = 0,
        ordered: bool = False,
    ) -> None:
        self._entries = entries
        # Versions that are numbers, each newer one higher (PostgreSQL's): an answer of a lower
        # version than the kept one's, worked out by a search that began before it, is not kept.
        self._ordered = ordered
        self._weigh, self._budget = weigh, budget
        self._weights: dict[Hashable, int] = {}
        self._weight = 0  # of every answer kept, when weighed
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._version: Hashable = None
        self._changes = 0  # how many times the kept version changed
        self._retired: deque[Hashable] = deque(maxlen=16)  # the versions replaced, latest last
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
            began = self._changes
        value = compute()  # outside the lock: other searches go on meanwhile
        with self._lock:
            if version != self._version:
                kept = self._version
                older = self._ordered and kept is not None and version < kept  # type: ignore[operator]
                if older or self._changes != began or version in self._retired:
                    # Another version came in while this one was computed (most likely a newer
                    # one), or this one was replaced before: a thread still reading an older
                    # version must not sweep away the newer one's answers. Not kept.
                    return value
                # A version newer than the kept one: its answers replace every other's, so no
                # answer outlives its version here.
                self._forget()
                self._retired.append(self._version)
                self._version = version
                self._changes += 1
            self._keep(key, value)
        return value

    def _keep(self, key: Hashable, value: object) -> None:
        if self._weigh is None:
            self._values[key] = value
            while len(self._values) > self._entries:
                self._values.popitem(last=False)
            return
        weight = self._weigh(value)
        if weight > self._budget:
            return  # it would push out everything else: computed again when asked again
        self._weight += weight - self._weights.get(key, 0)
        self._values[key], self._weights[key] = value, weight
        self._values.move_to_end(key)
        while len(self._values) > self._entries or self._weight > self._budget:
            oldest, _ = self._values.popitem(last=False)
            self._weight -= self._weights.pop(oldest)

    def _forget(self) -> None:
        self._values.clear()
        self._weights.clear()
        self._weight = 0

    def clear(self) -> None:
        """Forget every answer (the index was written by this process)."""
        with self._lock:
            self._forget()
            self._version = None
            self._retired.clear()


def query_key(query: Query) -> tuple:
    """Return what identifies a query's answer (its filters as a sorted tuple: hashable)."""
    filters = tuple(sorted((name, tuple(values)) for name, values in query.filters.items()))
    where = (query.within_publication, query.sort, query.page, query.per_page, query.closed_text)
    return (
        query.text,
        filters,
        *where,
        query.quiet,
        query.known,
        query.prefer_office,
        query.partial,
        query.most,
    )


def answer_weight(answer: object) -> int:
    """Return about how many bytes a kept answer holds (a search's or a search inside's).

    Measured on answers of a million-page catalogue (Python objects, deep): about 110 bytes a
    facet value, under 1 kB a hit with its snippet and pages.
    """
    facets = getattr(answer, "facets", None) or {}
    listed = getattr(answer, "hits", None) or getattr(answer, "pages", None) or ()
    return 256 + 120 * sum(len(values) for values in facets.values()) + 1024 * len(listed)
