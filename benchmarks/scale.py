"""Benchmark search at scale on PostgreSQL beside Whoosh: latency, exact counts, indexing, storage, two hosts.

    python -m benchmarks.scale                                  # 100,000 and 1,000,000 pages
    python -m benchmarks.scale --pages 10000 50000 --publications 200 1000
    python -m benchmarks.scale --quick                          # a few hundred pages, end to end

For each size, a catalogue of generated Indonesian statistical pages (benchmarks/_large_catalogue.py:
about one publication per 50 pages, one office per 50 publications) is written into a schema of
its own in PostgreSQL, migrated by `pustaka db upgrade`, and
- `pustaka reindex` indexes it in PostgreSQL (PUSTAKA_SEARCH_ENGINE auto), and, up to
  --whoosh-up-to pages, again into Whoosh in another instance folder on the same database:
  seconds per 1,000 pages for each (reading the rows included, and the command's start, about
  2 s), and the storage (each search table's relation size with its indexes and TOAST; the
  Whoosh folder's bytes).
Then, with every size in place:
- a set of new searches (words, pairs, three words, prefixes, typos, a year or language
  filter, second pages: made of the first size's titles and table titles, as the serving
  benchmark makes them) runs on every size and engine, each search on all of them in turn, so
  that the machine's other work weighs on each alike: p50/p95/p99 (goal at 1M pages: p95 <=
  100 ms). Whoosh's kept answers are emptied before each search so both work every answer out;
- counts: each search's totals on both engines agree, and PostgreSQL's total equals a direct
  count: the publications listed by reading its answer page after page to its end (the first
  --counted searches finding at most 5,000 publications);
- for each size, two web hosts (`pustaka serve --web-only --processes 1` in instance folders of
  their own, on the schema, a Redis database of their own and one shared files/secrets folder)
  are loaded with wrk, one wrk per host at once, half the connections each: the reader's common
  searches, then the new ones; pages per second (both hosts together), p50/p99 (the worse host's).
With several sizes, each cost's growth from the first size is printed beside the growth of the
catalogue. The schemas, the Redis databases and the folders are removed at the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from benchmarks._large_catalogue import seed_many  # noqa: E402
from benchmarks._measured import require_answered, require_indexed  # noqa: E402
from benchmarks._scale_report import Size, growth, report  # noqa: E402
from benchmarks._search_paths import new_search_paths, search_paths  # noqa: E402
from benchmarks._site import (  # noqa: E402
    POSTGRES_URL,
    REDIS_URL,
    Setup,
    Site,
    SiteError,
    postgres_redis_setup,
)
from benchmarks._wrk import percentile_ms, wrk_script  # noqa: E402
from benchmarks.postgres_search import worked_out  # noqa: E402
from library.db import make_engine  # noqa: E402
from library.settings import Settings  # noqa: E402
from search.engine import MAX_PER_PAGE, Query  # noqa: E402
from search.postgres.engine import PostgresSearchEngine  # noqa: E402
from search.whoosh.engine import WhooshSearchEngine  # noqa: E402

COUNTED_UP_TO = 5_000  # publications: larger answers are not read page by page


def query_of(path: str) -> Query:
    """Return the engine query a search page's path asks for (words, year, language, page)."""
    asked = parse_qs(urlsplit(path).query)
    filters = {name: tuple(asked[name]) for name in ("year", "language") if name in asked}
    return Query(asked.get("q", [""])[0], filters=filters, page=int(asked.get("halaman", ["1"])[0]))


def reindex(site: Site) -> float:
    """Run `pustaka reindex` on a site's instance; return its seconds."""
    started = time.perf_counter()
    site.cli("reindex")
    return time.perf_counter() - started


def postgres_storage(database_url: str) -> dict[str, float]:
    """Return the megabytes of each search table (fts_*) in the schema, its indexes and TOAST included."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                    "WHERE c.relkind = 'r' AND c.relnamespace = CAST(current_schema() AS regnamespace) "
                    "AND c.relname LIKE 'fts\\_%' ORDER BY 2 DESC"
                )
            )
            return {name: size / 1e6 for name, size in rows}
    finally:
        engine.dispose()


def folder_mb(folder: Path) -> float:
    """Return the megabytes of the files in a folder."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def time_searches(engines: dict[str, object], queries: list[Query]) -> dict[str, list[float]]:
    """Run each query on every engine in turn (after one warm-up search each); return ms per engine."""
    timings: dict[str, list[float]] = {name: [] for name in engines}
    for search in engines.values():
        search(Query("penduduk"))  # type: ignore[operator]
    for query in queries:
        for name, search in engines.items():
            started = time.perf_counter()
            search(query)  # type: ignore[operator]
            timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def listed(postgres: PostgresSearchEngine, query: Query) -> int:
    """Return how many publications reading the query's answer page after page, to its end, lists."""
    found: set[str] = set()
    page = 1
    while True:
        hits = postgres.search(dataclasses.replace(query, page=page, per_page=MAX_PER_PAGE)).hits
        found |= {hit.publication_id for hit in hits}
        if len(hits) < MAX_PER_PAGE or page > COUNTED_UP_TO // MAX_PER_PAGE:  # past any counted total
            return len(found)
        page += 1


def check_counts(
    size: Size, postgres: PostgresSearchEngine, whoosh, queries: list[Query], counted: int
) -> None:
    """Count the searches whose totals differ between engines, and those PostgreSQL's pages list otherwise.

    A search is counted page by page when it finds at most COUNTED_UP_TO publications (a
    million pages' common words find most of 20,000: 200 searches each).
    """
    for query in queries:
        total = postgres.search(query).total
        if whoosh is not None and whoosh(query).total != total:
            size.totals_differ += 1
            if size.totals_differ <= 5:
                print(
                    f"  totals differ for {query.text!r} {dict(query.filters)}: "
                    f"{total} / {whoosh(query).total}"
                )
        if size.counted < counted and total <= COUNTED_UP_TO:
            size.counted += 1
            if listed(postgres, dataclasses.replace(query, page=1)) != total:
                size.miscounted += 1
                print(f"  PostgreSQL's total {total} for {query.text!r} is not what its pages list")


def drive_hosts(
    urls: list[str], paths: list[str], seconds: int, connections: int
) -> tuple[float, float, float, int]:
    """Load every host with wrk at once (a warm-up, then the run); return rate, p50, p99, errors."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(wrk_script(paths, ""))
    each = max(1, connections // len(urls))
    try:
        outputs: list[str] = []
        for duration in (3, seconds):
            runs = [
                subprocess.Popen(
                    ["wrk", "-t1", f"-c{each}", f"-d{duration}s", "--latency", "-s", str(script), url],
                    stdout=subprocess.PIPE,
                    text=True,
                )
                for url in urls
            ]
            outputs = [run.communicate()[0] for run in runs]
    finally:
        script.unlink()
    rate = p50 = p99 = 0.0
    errors = made = 0
    for out in outputs:
        requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
        took = float(re.search(r"requests in ([\d.]+)s", out).group(1))  # type: ignore[union-attr]
        refused = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
        refused += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
        rate += (requests - refused) / took  # pages answered: a refusal is not a page
        p50, p99 = max(p50, percentile_ms(out, "50%")), max(p99, percentile_ms(out, "99%"))
        errors, made = errors + refused, made + requests
    require_answered(f"the two hosts' load on {', '.join(urls)}", made, errors)
    return rate, p50, p99, errors


@dataclass
class Catalogued:
    """One size's catalogue, seeded and indexed: where it lives, and what it measured so far."""

    size: Size
    folder: Path
    setup: Setup
    shared: dict[str, str]
    texts: list[str] = field(default_factory=list)
    whoosh: Path | None = None  # the Whoosh index's folder

    def site(self, name: str, extra: dict[str, str] | None = None) -> Site:
        """Return a site on this size's database and Redis with an instance folder of its own."""
        setup = dataclasses.replace(self.setup, instance=self.folder / name, cleanups=[])
        return Site(setup, self.shared | (extra or {}))

    def remove(self) -> None:
        """Drop the schema and the Redis database, and remove the folders."""
        self.setup.cleanup()
        shutil.rmtree(self.folder, ignore_errors=True)


def prepare(pages: int, publications: int, args, made: list[Catalogued]) -> None:
    """Seed one size in a schema of its own and index it with both engines (added to `made` at once)."""
    folder = Path(tempfile.mkdtemp(prefix="pustaka-scale-"))
    setup = postgres_redis_setup(folder / "admin", args.database_url, REDIS_URL)
    if isinstance(setup, str):
        shutil.rmtree(folder, ignore_errors=True)
        raise SystemExit(f"Error: {setup}")
    shared = {"PUSTAKA_FILES_DIR": str(folder / "files"), "PUSTAKA_SECRETS_DIR": str(folder / "secrets")}
    done = Catalogued(Size(pages), folder, setup, shared)
    made.append(done)
    size = done.size
    admin = done.site("admin")
    admin.cli("db", "upgrade")
    started = time.perf_counter()
    office_count = max(6, min(500, publications // 50))
    catalogue = seed_many(Settings.from_env(admin.env()), pages, publications, office_count)
    size.publications, size.offices, done.texts = catalogue.publications, catalogue.offices, catalogue.texts
    print(
        f"\n{catalogue.pages:,} pages in {catalogue.publications:,} publications of "
        f"{catalogue.offices} offices seeded in {time.perf_counter() - started:.0f} s"
    )
    size.index_s["PostgreSQL"] = reindex(admin)
    require_indexed(admin.env(), catalogue.publications, "PostgreSQL")
    tables = postgres_storage(setup.database_url)
    size.storage_mb["PostgreSQL"] = sum(tables.values())
    print("  PostgreSQL's search tables (MB): " + ", ".join(f"{n} {mb:,.1f}" for n, mb in tables.items()))
    if pages <= args.whoosh_up_to:
        whoosh_site = done.site("whoosh", {"PUSTAKA_SEARCH_ENGINE": "whoosh"})
        size.index_s["Whoosh"] = reindex(whoosh_site)
        require_indexed(whoosh_site.env(), catalogue.publications, "Whoosh")
        done.whoosh = whoosh_site.setup.instance / "search"
        size.storage_mb["Whoosh"] = folder_mb(done.whoosh)
    for engine in size.index_s:
        print(
            f"  {engine}: `pustaka reindex` {size.index_s[engine]:.1f} s "
            f"({size.per_thousand(engine):.2f} s per 1,000 pages), "
            f"storage {size.storage_mb[engine]:,.1f} MB"
        )


def search_all(made: list[Catalogued], queries: list[Query], counted: int) -> None:
    """Time the same searches on every size and engine, each search on all in turn; check the counts."""
    print(f"\nTiming {len(queries)} searches on every size and engine in turn ...")
    databases = [make_engine(done.setup.database_url) for done in made]
    postgres = [PostgresSearchEngine(database, create=False) for database in databases]
    whoosh = [WhooshSearchEngine(done.whoosh) if done.whoosh else None for done in made]
    try:
        engines: dict[object, object] = {}
        for number in range(len(made)):
            engines[(number, "PostgreSQL")] = worked_out(postgres[number])
            if whoosh[number] is not None:
                engines[(number, "Whoosh")] = worked_out(whoosh[number])
        timings = time_searches(engines, queries)
        for number, done in enumerate(made):
            done.size.queries = queries
            done.size.latency = {
                name: timings[(number, name)]
                for name in ("PostgreSQL", "Whoosh")
                if (number, name) in timings
            }
            searcher = worked_out(whoosh[number]) if whoosh[number] is not None else None
            check_counts(done.size, postgres[number], searcher, queries, counted)
    finally:
        for engine in [*postgres, *(index for index in whoosh if index is not None)]:
            engine.close()
        for database in databases:
            database.dispose()


def load_hosts(done: Catalogued, paths: list[str], args) -> None:
    """Start two web hosts on one size's catalogue and load both with wrk: common and new searches."""
    # Behind the one proxy declared, each request names a visitor's address of its own (see
    # benchmarks/_wrk.py): from one address, the site's search share would refuse most of them.
    sites = [done.site(name, {"PUSTAKA_PROXY_COUNT": "1"}) for name in ("a", "b")]
    try:
        for site in sites:
            site.start(
                "serve", ["serve", "--web-only", "--processes", "1", "--port", str(site.port)], site.answers
            )
        urls = [site.url for site in sites]
        size = done.size
        size.loads["reader's search"] = drive_hosts(urls, search_paths(), args.seconds, args.connections)
        size.loads["new searches"] = drive_hosts(urls, paths, args.seconds, args.connections)
    finally:
        for site in sites:
            site.stop()


def main() -> None:
    """Measure each size asked for, then the growth between them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[100_000, 1_000_000], help="catalogue sizes")
    parser.add_argument(
        "--publications", type=int, nargs="+", help="publications of each size (default: one per 50 pages)"
    )
    parser.add_argument("--quick", action="store_true", help="400 pages, few searches, short loads")
    parser.add_argument("--searches", type=int, default=500, help="new searches timed on each engine")
    parser.add_argument("--counted", type=int, default=50, help="searches whose totals are counted directly")
    parser.add_argument(
        "--whoosh-up-to", type=int, default=1_000_000, help="largest size indexed in Whoosh too"
    )
    parser.add_argument("--seconds", type=int, default=10, help="wrk's run on the two hosts")
    parser.add_argument("--connections", type=int, default=20, help="wrk's connections, split between hosts")
    parser.add_argument("--database-url", default=POSTGRES_URL)
    args = parser.parse_args()
    if args.quick:
        args.pages, args.searches, args.counted, args.seconds = [200, 400], 40, 10, 2
    publications = args.publications or [max(1, pages // 50) for pages in args.pages]
    if len(publications) != len(args.pages) or min(args.pages) < 1 or min(publications) < 1:
        parser.error("every size and publication count must be at least 1, one --publications per --pages")
    if any(count > pages for count, pages in zip(publications, args.pages, strict=True)):
        parser.error("a publication holds at least one page: --publications cannot pass --pages")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (Debian: apt-get install wrk)")
    made: list[Catalogued] = []
    try:
        for pages, count in zip(args.pages, publications, strict=True):
            prepare(pages, count, args, made)
        paths = new_search_paths(args.searches, texts=made[0].texts)  # the same searches on every size
        search_all(made, [query_of(path) for path in paths], args.counted)
        for done in made:
            print(f"Loading two web hosts on {done.size.pages:,} pages ...")
            load_hosts(done, paths, args)
    except SiteError as exc:
        raise SystemExit(f"Error: {exc}") from None
    finally:
        for done in made:
            done.remove()
    for done in made:
        print(
            f"\nAt {done.size.pages:,} pages ({done.size.publications:,} publications, "
            f"{done.size.offices} offices):"
        )
        report(done.size)
    if len(made) > 1:
        growth([done.size for done in made])


if __name__ == "__main__":
    main()
