"""Benchmark the running service over HTTP: copies, page images and search while a scan is OCR'd.

    python -m benchmarks.service                 # a 100-page scan; SQLite, then PostgreSQL + Redis
    python -m benchmarks.service --quick         # a 24-page scan and short phases: a few minutes
    python -m benchmarks.service --setups sqlite --processes 2 --env PUSTAKA_OCR_PROCESSES=1

Starts a real site (behind one declared proxy: each search client names its own address, as
many visitors do) on a fresh instance holding the born-digital part of the demo catalogue:
`pustaka serve` (waitress, the SQLite queue consumed inside it), then, when they answer,
PostgreSQL + Redis with `pustaka worker` processes (one per lane given with --lanes). A
librarian publishes twin open publications of 4 and 50 pages through the desk's upload form;
the readers sign in. Then three rounds, over HTTP only:

  unloaded    10 readers read page images at once; search pages at 50 connections; then 20
              readers ask at once for a copy (3 pages of the 50-page publication, the whole
              4-page one or the whole 50-page one) and watch their request page until it is ready
  scan alone  the librarian uploads an N-page scan at the desk; nothing else happens
  loaded      the librarian uploads the scan's twin (the same pages, another file) and, once
              its OCR is under way, the unloaded round again on the other twin publications

It prints p50/p95/p99 of request-to-ready, of page images and of search pages, search
requests per second, the OCR pages per second of the scan, the CPU each side used, and the
peak memory of each process (and of what it started) in each round, with loaded/unloaded
ratios and the issue's goals: copy ready p99 <= 5 s under load; search >= 300 req/s with
p99 <= 200 ms; OCR under load >= 0.8x alone; page image p95 <= 150 ms for 10 readers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import update  # noqa: E402

from benchmarks._common import OUT, publication, scanned_publication  # noqa: E402
from benchmarks._http import Browser, ClientError  # noqa: E402
from benchmarks._measured import NotMeasured, require, require_answered, require_succeeded  # noqa: E402
from benchmarks._report import report, report_failures  # noqa: E402
from benchmarks._rounds import (  # noqa: E402
    FEW_PAGES,
    MANY_PAGES,
    Phase,
    Round,
    ScanWatch,
    ask_for_copies,
    measured,
    publish,
    read_pages,
    search_pages,
)
from benchmarks._site import (  # noqa: E402
    POSTGRES_URL,
    REDIS_URL,
    ProcessWatch,
    Setup,
    Site,
    SiteError,
    postgres_redis_setup,
    sqlite_setup,
    status_kb,
)
from catalog_data import DemoPublication, load_demo_catalogue, load_offices, render_demo_pdf  # noqa: E402
from cli.database import sync_offices  # noqa: E402
from cli.ingest import CollectingQueue  # noqa: E402
from library import migrate  # noqa: E402
from library.accounts.passwords import hash_password  # noqa: E402
from library.accounts.users import check_create_user  # noqa: E402
from library.catalogue.demo import load_demo  # noqa: E402
from library.catalogue.indexing import do_index_publications  # noqa: E402
from library.models import Role, User  # noqa: E402
from library.permissions import SYSTEM  # noqa: E402
from library.settings import Settings  # noqa: E402
from runtime.root import Runtime  # noqa: E402

PASSWORD = "kata-sandi-uji-123"
LIBRARIAN = "pustakawan@bench.example.org"


# -- preparing the site --------------------------------------------------------------------------
def demo_pdf(record: DemoPublication) -> bytes:
    """Return a demo publication's PDF, rendered once and kept in benchmarks/out."""
    path = OUT / "demo" / f"{record.key}.pdf"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_demo_pdf(record))
    return path.read_bytes()


def prepare(site: Site, readers: int, catalogue: bool) -> tuple[list[str], int]:
    """Make the schema, offices, readers and catalogue; the librarian as a person would (the CLI)."""
    rt = Runtime(Settings.from_env(site.env()))
    try:
        migrate.upgrade(rt.engine)
        sync_offices(rt)
        emails = create_readers(rt, readers)
        pages = load_catalogue(rt) if catalogue else 0
    finally:
        rt.close()
    site.cli(
        "users", "create", "--email", LIBRARIAN, "--name", "Pustakawan Uji", "--role", "librarian",
        "--password", PASSWORD,
    )  # fmt: skip
    return emails, pages


def create_readers(rt: Runtime, count: int) -> list[str]:
    """Create verified readers through the use case, with one password hash for all (scrypt is slow)."""
    emails = [f"pembaca{number:02d}@bench.example.org" for number in range(1, count + 1)]
    with rt.uow() as uow:
        for number, email in enumerate(emails, start=1):
            check_create_user(
                uow,
                SYSTEM,
                email=email,
                name=f"Pembaca Uji {number}",
                roles=(Role.READER,),
                email_verified=True,
                now=rt.now(),
            )
        uow.session.execute(
            update(User).where(User.email.in_(emails)).values(password_hash=hash_password(PASSWORD))
        )
        uow.commit()
    return emails


def load_catalogue(rt: Runtime) -> int:
    """Take in the demo catalogue's born-digital publications and index them; return their pages."""
    records = [record for record in load_demo_catalogue() if not record.scanned]
    queue = CollectingQueue()
    load_demo(rt.ingest_worker(queue), load_offices(), records, demo_pdf)
    with rt.uow() as uow:
        do_index_publications(uow, rt.index(), queue.publications, rt.today())
    return sum(record.pages for record in records)


def start_site(site: Site, args: argparse.Namespace) -> list[str]:
    """Start `pustaka serve` and, with Redis, one `pustaka worker` per lane; return the command lines."""
    serve = ["serve", "--host", "127.0.0.1", "--port", str(site.port), "--threads", str(args.threads)]
    serve.append("--no-demo")
    notes = []
    if args.processes:
        if site.supports("serve", "--processes"):
            serve += ["--processes", str(args.processes)]
        else:
            notes.append(
                f"(this checkout's `pustaka serve` has no --processes: 1 process, not {args.processes})"
            )
    site.start("serve", serve, site.answers)
    lines = ["pustaka " + " ".join(serve)]
    if site.setup.redis_url:
        has_lanes = site.supports("worker", "--lane")
        if not has_lanes:
            notes.append("(this checkout's `pustaka worker` has no --lane: each worker takes every job)")
        for number, lane in enumerate(args.lanes.split(","), start=1):
            worker = ["worker", *(["--lane", lane] if has_lanes and lane != "all" else [])]
            role = f"worker-{lane}" if has_lanes else f"worker-{number}"
            site.start(role, worker, site.logged(role, "worker"))
            lines.append("pustaka " + " ".join(worker))
    return lines + notes


def add_site_options(parser: argparse.ArgumentParser) -> None:
    """Add the options of the site a benchmark starts: its setups, processes and settings."""
    add = parser.add_argument
    add("--setups", default="sqlite,redis", help="sqlite, redis (PostgreSQL + Redis), or both")
    add("--threads", type=int, default=16, help="`pustaka serve --threads`")
    add("--processes", type=int, default=0, help="`pustaka serve --processes` (0: not given)")
    add(
        "--lanes",
        default="interactive,batch",
        help="one `pustaka worker --lane L` per lane (Redis); all: no --lane",
    )
    add("--env", action="append", default=[], metavar="PUSTAKA_X=V", help="a setting for every process")
    add("--postgres-url", default=POSTGRES_URL)
    add("--redis-url", default=REDIS_URL)
    add("--keep", action="store_true", help="keep the instance folders (logs included)")


def each_setup(
    args: argparse.Namespace, prefix: str, run: Callable[[Setup, argparse.Namespace], None]
) -> None:
    """Run one benchmark on each setup asked for, each on a fresh instance; skip those out of reach."""
    base = Path(tempfile.mkdtemp(prefix=prefix))
    failed = []
    for name in args.setups.split(","):
        instance = base / name
        if name == "sqlite":
            setup: Setup | str = sqlite_setup(instance)
        elif name == "redis":
            setup = postgres_redis_setup(instance, args.postgres_url, args.redis_url)
        else:
            raise SystemExit(f"unknown setup {name!r}: sqlite or redis")
        if isinstance(setup, str):
            print(f"\n== {name}: skipped, {setup} ==")
            continue
        try:
            run(setup, args)
        except (SiteError, ClientError, NotMeasured) as exc:
            print(f"  {name} FAILED: {exc}", flush=True)
            failed.append(name)
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    print(f"(load average at the end {os.getloadavg()[0]:.2f})")
    if failed:
        raise SystemExit(f"Not every setup was measured: {', '.join(failed)} failed (above)")


def one_round(
    name: str,
    site: Site,
    watch: ProcessWatch,
    readers: list[Browser],
    twins: tuple[int, int],
    args: argparse.Namespace,
) -> Round:
    """Measure page images, search pages and copies, one after the other."""
    few, many = twins
    watch.phase = name
    result = Round()
    result.phases["page images"] = measured(
        watch,
        read_pages(
            readers[: args.page_readers], many, args.pages_each, args.reading_seconds, lockstep=args.lockstep
        ),
    )
    result.phases["search"] = measured(watch, search_pages(site.url, args.connections, args.search_seconds))
    result.phases["copies"] = measured(
        watch, ask_for_copies(readers, few, many, args.poll, args.copy_timeout)
    )
    return result


def run_setup(setup: Setup, args: argparse.Namespace) -> None:
    """Prepare, start and measure one setup, print its figures, and take it down."""
    site = Site(setup, {"PUSTAKA_PROXY_COUNT": "1", **dict(item.split("=", 1) for item in args.env)})
    watch = None
    began = time.perf_counter()
    print(f"\n== {setup.label} ==", flush=True)
    try:
        emails, catalogue_pages = prepare(site, args.readers, args.catalogue)
        for line in start_site(site, args):
            print("  " + line)
        watch = ProcessWatch({role: process.pid for role, process in site.processes.items()})
        watch.start()
        print(f"  started in {time.perf_counter() - began:.0f} s; publishing...", flush=True)
        librarian = Browser(site.url)
        librarian.sign_in(LIBRARIAN, PASSWORD)
        twins = {edition: publish_twins(librarian, edition) for edition in ("unloaded", "loaded")}
        readers = sign_in_all(site.url, emails)
        print(
            f"  catalogue: {catalogue_pages} pages of born-digital demo publications, twins of "
            f"{FEW_PAGES} and {MANY_PAGES} pages; {len(readers)} readers signed in "
            f"({time.perf_counter() - began:.0f} s); measuring...",
            flush=True,
        )
        rounds = measure(site, watch, librarian, readers, twins, args)
        report_failures(rounds)  # what went wrong is shown even when the checks stop the run
        require_measured(rounds)
        peaks = {role: status_kb(pid, "VmHWM") for role, pid in watch.roots.items()}
        watch.stop()
        report(rounds, watch, peaks, args.processes)
        print(f"  ({setup.name}: {time.perf_counter() - began:.0f} s in all)")
    finally:
        if watch is not None:
            watch.stop()
        site.stop()
        site.remove(args.keep)


def publish_twins(librarian: Browser, edition: str) -> tuple[int, int]:
    """Publish one edition of the short and the long publication; return their numbers."""
    return (
        publish(librarian, publication(FEW_PAGES, edition=edition), f"Profil Kecamatan ({edition})"),
        publish(librarian, publication(MANY_PAGES, edition=edition), f"Statistik Daerah ({edition})"),
    )


def sign_in_all(url: str, emails: list[str]) -> list[Browser]:
    """Sign every reader in, two at a time (a sign-in costs the server a 128 MiB scrypt hash)."""
    readers = [Browser(url) for _ in emails]
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda pair: pair[0].sign_in(pair[1], PASSWORD), zip(readers, emails, strict=True)))
    return readers


def measure(
    site: Site,
    watch: ProcessWatch,
    librarian: Browser,
    readers: list[Browser],
    twins: dict[str, tuple[int, int]],
    args: argparse.Namespace,
) -> dict[str, Round]:
    """Run the three rounds, each measured whole too: unloaded, the scan alone, and loaded."""
    timeout, pages = args.scan_pages * 30 + 300, args.scan_pages
    rounds: dict[str, Round] = {}

    def unloaded(_: Phase) -> None:
        rounds["unloaded"] = one_round("unloaded", site, watch, readers, twins["unloaded"], args)

    def alone(_: Phase) -> None:
        watch.phase = "scan alone"
        scan = ScanWatch(librarian, scanned_publication(pages, "alone"), pages, "Pindaian A", timeout)
        scan.join()
        rounds["scan alone"] = Round(scan=scan.scan)

    def loaded(_: Phase) -> None:
        watch.phase = "loaded"
        scan = ScanWatch(librarian, scanned_publication(pages, "loaded"), pages, "Pindaian B", timeout)
        scan.underway.wait()
        rounds["loaded"] = one_round("loaded", site, watch, readers, twins["loaded"], args)
        rounds["loaded"].scan = scan.scan
        scan.join()

    for name, action in (("unloaded", unloaded), ("scan alone", alone), ("loaded", loaded)):
        whole = measured(watch, action)
        rounds[name].whole = whole
    return rounds


def require_measured(rounds: dict[str, Round]) -> None:
    """Stop unless every phase of every round answered and both scans were taken in."""
    for name, rnd in rounds.items():
        for phase_name, phase in rnd.phases.items():
            succeeded, failed = len(phase.seconds), len(phase.failures)
            if phase_name == "search":  # a refused search (429) is no search page served
                require_answered(f"{name} search", succeeded + failed, failed)
            require_succeeded(f"{name} {phase_name}", succeeded, failed)
        if rnd.scan is not None:
            require(rnd.scan.status == "ready", f"{name}: the scan ended {rnd.scan.status}, not ready")


# -- the command ---------------------------------------------------------------------------------
def parse_args() -> argparse.Namespace:
    """Read the options; --quick shortens what was not given."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 24-page scan and short phases")
    parser.add_argument("--scan-pages", type=int, help="pages of the scan OCR'd (100; quick 24)")
    parser.add_argument("--readers", type=int, default=20, help="readers asking for a copy at once")
    parser.add_argument("--page-readers", type=int, default=10, help="readers reading page images at once")
    parser.add_argument("--pages-each", type=int, help="page images each reader reads (10; quick 4)")
    parser.add_argument(
        "--reading-seconds",
        type=float,
        default=1.0,
        help="a reader's time on a page before the next picture (1.0: skimming; 0: back to back)",
    )
    parser.add_argument(
        "--lockstep",
        action="store_true",
        help="the page readers open the reader in one instant and turn their pages together "
        "(default: their starts spread over one reading time, as people's are)",
    )
    parser.add_argument("--connections", type=int, default=50, help="search clients at once")
    parser.add_argument("--search-seconds", type=float, help="length of the search phase (15; quick 5)")
    parser.add_argument("--poll", type=float, default=0.5, help="seconds between looks at a request page")
    parser.add_argument("--copy-timeout", type=float, default=900.0)
    parser.add_argument("--no-catalogue", dest="catalogue", action="store_false", help="no demo publications")
    add_site_options(parser)
    args = parser.parse_args()
    quick = args.quick
    args.scan_pages = args.scan_pages or (24 if quick else 100)
    args.pages_each = args.pages_each or (4 if quick else 10)
    args.search_seconds = args.search_seconds or (5.0 if quick else 15.0)
    return args


def main() -> None:
    """Measure the service in each setup asked for and print the figures."""
    args = parse_args()
    print(
        f"Service benchmark: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; {args.readers} readers "
        f"asking for copies, {args.page_readers} reading {args.pages_each} page images each "
        f"({args.reading_seconds:g} s a page, {'in lockstep' if args.lockstep else 'starts spread'}), "
        f"{args.connections} search connections for {args.search_seconds:.0f} s, "
        f"a {args.scan_pages}-page scan"
    )
    each_setup(args, "pustaka-service-bench-", run_setup)


if __name__ == "__main__":
    main()
