"""The answers an index version gave, kept for the searches asked again."""

from __future__ import annotations

import sys
from dataclasses import fields, is_dataclass

from search.engine import Hit, PageHit, PageResults, SearchResults
from search.result_cache import ResultCache, answer_weight


def counting(value: str):
    """Return a compute function for `value` and the list of its calls."""
    calls: list[str] = []

    def compute() -> str:
        calls.append(value)
        return value

    return compute, calls


def test_a_query_asked_again_of_the_same_version_is_not_computed_again():
    cache = ResultCache()
    compute, calls = counting("answer")
    assert cache.get(7, "penduduk", compute) == "answer"
    assert cache.get(7, "penduduk", compute) == "answer"
    assert calls == ["answer"]
    assert (cache.hits, cache.misses) == (1, 1)


def test_another_version_never_gets_the_answers_of_the_one_before():
    cache = ResultCache()
    cache.get(7, "penduduk", lambda: "old")
    assert cache.get(8, "penduduk", lambda: "new") == "new"
    # Back on version 7 (a thread that began before the change): computed again, not "new".
    assert cache.get(7, "penduduk", lambda: "old again") == "old again"
    # ... and not kept either: version 8's answers stay.
    assert cache.get(8, "penduduk", lambda: "computed again") == "new"
    assert cache.get(7, "penduduk", lambda: "old once more") == "old once more"


def test_the_least_recently_asked_go_first_when_full():
    cache = ResultCache(entries=2)
    cache.get(1, "a", lambda: "A")
    cache.get(1, "b", lambda: "B")
    cache.get(1, "a", lambda: "A2")  # asked again: now the most recent
    cache.get(1, "c", lambda: "C")  # full: "b" goes
    assert cache.get(1, "a", lambda: "A3") == "A"
    assert cache.get(1, "b", lambda: "B2") == "B2"


def test_clear_forgets_everything():
    cache = ResultCache()
    cache.get(1, "a", lambda: "A")
    cache.clear()
    assert cache.get(1, "a", lambda: "A2") == "A2"


def test_a_slow_search_of_an_older_version_leaves_the_newer_ones_answers_kept():
    cache = ResultCache()
    cache.get(7, "kemiskinan", lambda: "old")

    def slow_old_search() -> str:
        # While it computes, another thread brings in version 8 and keeps an answer of it.
        cache.get(8, "penduduk", lambda: "new")
        return "old answer"

    assert cache.get(7, "inflasi", slow_old_search) == "old answer"
    assert cache.get(8, "penduduk", lambda: "computed again") == "new"  # not swept away
    assert cache.get(7, "inflasi", lambda: "computed again") == "computed again"  # never kept


def test_weighed_answers_are_kept_within_their_budget_the_least_recent_going_first():
    cache = ResultCache(entries=100, weigh=len, budget=10)
    cache.get(1, "a", lambda: "xxxx")
    cache.get(1, "b", lambda: "yyyy")
    cache.get(1, "a", lambda: "recomputed")  # asked again: now the most recent
    cache.get(1, "c", lambda: "zzzz")  # 12 > 10: "b" goes, "a" stays
    assert cache.get(1, "a", lambda: "A2") == "xxxx"
    assert cache.get(1, "b", lambda: "B2") == "B2"
    # An answer heavier than the whole budget is returned but not kept, and pushes nothing out.
    assert cache.get(1, "huge", lambda: "h" * 11) == "h" * 11
    assert cache.get(1, "huge", lambda: "H" * 11) == "H" * 11  # computed again: it was not kept
    assert cache.get(1, "c", lambda: "C2") == "zzzz"
    # A new version empties it, weights with it: ten units fit again.
    cache.get(2, "d", lambda: "d" * 10)
    assert cache.get(2, "d", lambda: "D2") == "d" * 10


def _deep_size(value: object, seen: set[int] | None = None) -> int:
    """Return the bytes of an object and everything it holds (each object once)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        size += sum(_deep_size(k, seen) + _deep_size(v, seen) for k, v in value.items())
    elif isinstance(value, list | tuple):
        size += sum(_deep_size(item, seen) for item in value)
    elif is_dataclass(value):
        size += sum(_deep_size(getattr(value, f.name), seen) for f in fields(value))
    return size


def test_a_kept_answer_is_weighed_about_as_heavy_as_it_is():
    # A large catalogue's answer lists hundreds of offices in its facets: the engine's kept
    # answers are bounded in bytes, so the weight must follow what an answer really holds.
    offices = [(f"BPS Kabupaten {n:04d}", 1000 - n) for n in range(400)]
    hits = [
        Hit(f"pub-{n:07d}", 9.5, f"Statistik Daerah {n}", f"<mark>penduduk</mark> {n} " * 30, (1, 5, 9))
        for n in range(10)
    ]
    small = SearchResults(3, hits[:3], {"year": [("2024", 3)]})
    large = SearchResults(4000, hits, {"office": offices, "year": [(str(y), 10) for y in range(1990, 2025)]})
    inside = PageResults(2, [PageHit(n, f"<mark>inflasi</mark> bulan {n} " * 20) for n in (4, 7)])

    for answer in (small, large, inside):
        assert 0.6 <= answer_weight(answer) / _deep_size(answer) <= 1.6, answer
    assert answer_weight(large) > 10 * answer_weight(small)


def test_an_ordered_cache_keeps_no_answer_of_a_version_older_than_the_one_it_holds():
    # A search that read version 6 ends after another kept 7's answer: 7's answers stay, and
    # later searches of 7 are kept (a version once replaced is never kept again).
    cache = ResultCache(ordered=True)
    cache.get(7, "migrasi", lambda: "of 7")

    assert cache.get(6, "penduduk", lambda: "of 6") == "of 6"

    assert cache.get(7, "migrasi", lambda: "again") == "of 7"
    cache.get(7, "penduduk", lambda: "of 7 too")
    assert cache.get(7, "penduduk", lambda: "again") == "of 7 too"
