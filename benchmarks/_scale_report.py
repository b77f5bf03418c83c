"""What `benchmarks/scale.py` measured at each catalogue size, and its report."""

from __future__ import annotations

from dataclasses import dataclass, field

from benchmarks.postgres_search import percentile
from search.engine import Query

P95_GOAL_MS = 100.0


@dataclass
class Size:
    """What one catalogue size measured."""

    pages: int
    publications: int = 0
    offices: int = 0
    index_s: dict[str, float] = field(default_factory=dict)  # engine -> seconds of `pustaka reindex`
    storage_mb: dict[str, float] = field(default_factory=dict)
    latency: dict[str, list[float]] = field(default_factory=dict)  # engine -> ms per search
    totals_differ: int = 0
    queries: list[Query] = field(default_factory=list)
    counted: int = 0
    miscounted: int = 0
    loads: dict[str, tuple[float, float, float, int]] = field(default_factory=dict)  # rate, p50, p99, errors

    def per_thousand(self, engine: str) -> float:
        """Return the seconds to index 1,000 pages."""
        return self.index_s[engine] * 1000 / self.pages


def report(size: Size) -> None:
    """Print one size's search latency, counts and throughput."""
    print(f"  {len(size.queries)} new searches (ms):   p50     p95     p99")
    for engine, times in size.latency.items():
        p50, p95, p99 = (percentile(times, f) for f in (0.5, 0.95, 0.99))
        print(f"    {engine:<20}{p50:>8.1f}{p95:>8.1f}{p99:>8.1f}")
    if len(size.latency) == 2:
        pg, wh = size.latency["PostgreSQL"], size.latency["Whoosh"]
        print(
            f"    PostgreSQL / Whoosh: p50 {percentile(pg, 0.5) / percentile(wh, 0.5):.2f}x, "
            f"p95 {percentile(pg, 0.95) / percentile(wh, 0.95):.2f}x"
        )
    timed = zip(size.latency["PostgreSQL"], size.queries, strict=True)
    slowest = sorted(timed, key=lambda pair: -pair[0])[:5]
    print(
        "    slowest on PostgreSQL: " + "; ".join(f"{q.text!r} {_asked(q)}{ms:.0f} ms" for ms, q in slowest)
    )
    p95 = percentile(size.latency["PostgreSQL"], 0.95)
    print(f"    goal p95 <= {P95_GOAL_MS:.0f} ms on PostgreSQL: {'met' if p95 <= P95_GOAL_MS else 'not met'}")
    if "Whoosh" in size.latency:
        print(
            f"  totals: the engines agree on {len(size.queries) - size.totals_differ} "
            f"of {len(size.queries)} searches"
        )
    print(
        f"  PostgreSQL's total equals the publications its pages list: {size.counted - size.miscounted} "
        f"of {size.counted} searches"
    )
    print("  two web hosts, wrk on both:    pages/s  p50 ms  p99 ms  errors")
    for label, (rate, p50, p99, errors) in size.loads.items():
        print(f"    {label:<27}{rate:>8.0f}{p50:>8.1f}{p99:>8.1f}{errors:>8}")


def _asked(query: Query) -> str:
    """Return a query's filters and page as a short text (empty when it has none)."""
    parts = [f"{name}={','.join(values)}" for name, values in query.filters.items()]
    parts += [f"page {query.page}"] if query.page > 1 else []
    return f"({', '.join(parts)}) " if parts else ""


def growth(sizes: list[Size]) -> None:
    """Print how each cost grows from the first size to each next one, beside the catalogue's growth."""
    first = sizes[0]
    print(f"\nGrowth from {first.pages:,} pages (ratio of each cost to the first size's):")
    for size in sizes[1:]:
        rows = [("pages", size.pages / first.pages)]
        for engine in size.latency:
            if engine in first.latency:
                for label, fraction in (("p95", 0.95), ("p99", 0.99)):
                    ratio = percentile(size.latency[engine], fraction) / percentile(
                        first.latency[engine], fraction
                    )
                    rows.append((f"{engine} search {label}", ratio))
        for engine in size.index_s:
            if engine in first.index_s:
                rows.append(
                    (f"{engine} index time per page", size.per_thousand(engine) / first.per_thousand(engine))
                )
                rows.append((f"{engine} storage", size.storage_mb[engine] / first.storage_mb[engine]))
        for label in size.loads:
            rows.append((f"two hosts, {label}, pages/s", size.loads[label][0] / first.loads[label][0]))
        print(f"  at {size.pages:,} pages:")
        for label, ratio in rows:
            print(f"    {label:<44}{ratio:>8.2f}x")
