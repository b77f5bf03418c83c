"""Benchmark serving search pages: CPU per page, pages per second, p99 and memory, against Flask's ceiling.

    python -m benchmarks.serving [--seconds 15] [--connections 50] [--rounds 3] [--keep]
    python -m benchmarks.serving --pages 100000     # a large catalogue instead of the demo
    python -m benchmarks.serving --instance DIR --rounds 0 --memory-minutes 10
                                  # a catalogue kept by --keep served again: memory only

Starts `pustaka serve` as the README says (fresh SQLite instance, demo catalogue, its default
processes and threads; with --pages, a catalogue of that many generated pages in the database,
indexed by `pustaka reindex`, served with --no-demo) and, beside it, the baseline
(`benchmarks/_plain_site.py`): Flask on waitress served the same way, with a trivial route and
a template page of the search page's size. wrk (Debian's package) drives each target at
--connections for --seconds after a warm-up:
- trivial route and template page (baselines),
- `/cari/` with no query,
- a reader's search: a mix of words, phrases, a typo, facets and second pages, asked again and
  again as people ask for the common words (the engine keeps its answers to those);
- the same searches by a signed-in librarian;
- both again with 3,000 different searches, more than the engine keeps: each one is new (the
  warm-up asks 3,000 others, so none of the timed ones is answered from what the engine kept);
- what people type, all new: the judged queries of `search_judgments.toml` (English, places,
  abbreviations, periods, typos) with filters, pages and a misspelt word, half timed, half warm-up.
Targets are driven in --rounds interleaved rounds. Printed per target, its median round:
requests/s, p50/p99, errors, the web processes' CPU time per request (from /proc, so the
server's own cost, not the client's), the ratios to the trivial route, and the largest web
process's resident memory after the run. Then `pustaka serve` is started again on the same
instance, and the time to its first search page is printed, from the launch and from the
start of its web process.
With --memory-minutes, a librarian's new searches then load it that long while each web
process's resident memory is read every half second (peak, last minute, 8 s after).
Goals (issue 27): <= 4 ms CPU per search page on the demo, <= 8 ms at 100,000 pages; >= 300
pages/s with p99 <= 200 ms; a web process under 300 MB after 10 minutes of search load.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._http import Browser  # noqa: E402
from benchmarks._measured import require_answered, require_indexed  # noqa: E402
from benchmarks._search_paths import judged_paths, new_search_paths, search_paths  # noqa: E402
from benchmarks._site import (  # noqa: E402
    _TICKS,
    ROOT,
    Site,
    _parents,
    _program,
    _stat_fields,
    descendants,
    free_port,
    sqlite_setup,
    status_kb,
)
from benchmarks._wrk import cpu_ticks, percentile_ms, wrk_script

PASSWORD = "kata-sandi-uji-123"
IN_MEMORY_PAGES = 200_000  # a larger catalogue is generated as it is written, not held in memory


@dataclass
class Load:
    """What one wrk run measured."""

    label: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_ms: float  # web processes' CPU time per request
    rss_mb: float  # the largest web process after the run

    @property
    def rate(self) -> float:
        """Return the pages answered a second: a refused request is not a page."""
        return (self.requests - self.errors) / self.seconds


def web_pids(root: int, plain: bool) -> list[int]:
    """Return the web processes under a server's root process."""
    found = descendants(root, _parents())
    return found if plain else [pid for pid in found if _program(pid).startswith("pustaka web")]


def drive(
    label: str,
    url: str,
    paths: list[str],
    pids: list[int],
    args,
    cookie: str = "",
    warm: list[str] | None = None,
) -> Load:
    """Warm up, then load the paths with wrk and read the web processes' CPU time around it.

    `warm` are the paths of the warm-up when they must differ from the timed ones: new searches
    warmed up with themselves would be answered from the engine's kept answers when timed.
    """
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    warming = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(wrk_script(paths, cookie))
    warming.write_text(wrk_script(warm or paths, cookie))
    base = ["wrk", "-t2", f"-c{args.connections}", "--latency", "-s", str(script), url]
    warm_up = ["wrk", "-t2", f"-c{args.connections}", "-d3s", "-s", str(warming), url]
    subprocess.run(warm_up, capture_output=True, check=True)
    warming.unlink()
    before = cpu_ticks(pids)
    started = time.perf_counter()
    report = subprocess.run(
        [*base[:3], f"-d{args.seconds}s", *base[3:]], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - started
    ticks = cpu_ticks(pids) - before
    script.unlink()
    out = report.stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    wrk_seconds = (
        float(re.search(r"requests in ([\d.]+)s", out).group(1)) if "requests in" in out else seconds
    )
    require_answered(label, requests, errors)
    return Load(
        label,
        requests,
        wrk_seconds,
        percentile_ms(out, "50%"),
        percentile_ms(out, "99%"),
        errors,
        ticks * 1000 / _TICKS / max(requests, 1),
        max(status_kb(pid, "VmRSS") for pid in pids) / 1024,
    )


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


def _wait(check, what: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(0.2)


def quiet_jobs(root: int, settle: float = 3.0) -> None:
    """Wait until the job process has used no CPU for `settle` seconds (the demo's OCR is done)."""
    jobs = [pid for pid in descendants(root, _parents()) if _program(pid) == "pustaka jobs"]
    last, still_since = -1, time.monotonic()
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        parents = _parents()
        now = sum(cpu_ticks([pid, *descendants(pid, parents)]) for pid in jobs)
        if now != last:
            last, still_since = now, time.monotonic()
        elif time.monotonic() - still_since >= settle:
            return
        time.sleep(0.5)


def started(pid: int) -> float:
    """Return when a process started, in seconds on CLOCK_BOOTTIME (to a clock tick).

    /proc counts a process's start in ticks since the machine booted, as CLOCK_BOOTTIME does.
    (The boot's wall-clock time in /proc/stat is whole seconds: a start reckoned from it was up to
    a second early, and the first answer measured from it up to a second late.)
    """
    return int(_stat_fields(pid)[19]) / _TICKS


def first_answer(site: Site, serve: list[str]) -> tuple[float, float]:
    """Restart `pustaka serve` on the set-up instance; return the seconds to the first search page
    answered from the launch and from the start of its first web process."""
    site.stop()
    launched = time.clock_gettime(time.CLOCK_BOOTTIME)
    url = site.url + search_paths()[0]
    site.start("serve-again", serve, lambda: True, 120)
    while not _answers(url):  # asked at once: the request waits in the socket's queue, not refused
        time.sleep(0.01)
    answered = time.clock_gettime(time.CLOCK_BOOTTIME)
    webs = web_pids(site.processes["serve-again"].pid, plain=False)
    return answered - launched, answered - min(started(pid) for pid in webs)


def large_catalogue(site: Site, pages: int) -> list[str]:
    """Fill the site's fresh instance with a generated catalogue and index it; return its new searches."""
    from benchmarks._large_catalogue import searched_texts, seed, seed_many
    from library.settings import Settings

    site.cli("db", "upgrade")
    started = time.perf_counter()
    settings = Settings.from_env(site.env())
    if pages > IN_MEMORY_PAGES:  # generated as it is written, across many offices (as benchmarks.scale)
        made = seed_many(settings, pages, pages // 50, max(6, min(500, pages // 2500)))
        count, publications, texts = made.pages, made.publications, made.texts
    else:
        corpus = seed(settings, pages)
        count, publications, texts = corpus.pages, len(corpus.docs), searched_texts(corpus)
    took = time.perf_counter() - started
    print(f"Seeded {count:,} pages in {publications:,} publications ({took:.0f} s).")
    started = time.perf_counter()
    site.cli("reindex")
    took = time.perf_counter() - started
    require_indexed(site.env(), publications)
    print(f"pustaka reindex: {took:.0f} s ({count / took:.0f} pages/s).")
    return new_search_paths(texts=texts)


LIBRARIAN = ("users", "create", "--email", "pustakawan@example.test", "--name", "Pustakawan")
LIBRARIAN += ("--role", "librarian", "--password", PASSWORD)


def kept_catalogue(site: Site) -> list[str]:
    """Return the new searches of a kept instance's catalogue (made of its publications' titles)."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(site.setup.instance / "pustaka.sqlite3")) as db:
        titles = [title for (title,) in db.execute("SELECT title FROM publication")]
    print(f"Serving the kept instance {site.setup.instance} ({len(titles):,} publications).")
    return new_search_paths(texts=titles)


def report(loads: list[Load], cpu_goal: float) -> None:
    trivial = loads[0]
    print(
        f"\n{'target':<28}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'CPU ms/req':>12}"
        f"{'x trivial':>11}{'web RSS MB':>12}"
    )
    for load in loads:
        print(
            f"{load.label:<28}{load.rate:>8.0f}{load.p50_ms:>9.1f}{load.p99_ms:>9.1f}{load.errors:>8}"
            f"{load.cpu_ms:>12.2f}{load.cpu_ms / trivial.cpu_ms:>11.1f}{load.rss_mb:>12.0f}"
        )
    searches = [load for load in loads if "search" in load.label]
    print(
        f"\nGoals (issue 27): CPU <= {cpu_goal:g} ms per search page (4 on the demo, 8 at 100,000 pages); "
        ">= 300 pages/s with p99 <= 200 ms."
    )
    for load in searches:
        cpu = load.cpu_ms <= cpu_goal and not load.errors
        pace = load.rate >= 300 and load.p99_ms <= 200 and not load.errors
        verdict = {True: "met", False: "not met"}
        print(f"  {load.label}: CPU {verdict[cpu]}, rate and p99 {verdict[pace]}")


def main() -> None:
    """Serve the search pages and the baseline, drive each with wrk, and print the report."""
    args = _arguments()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (Debian: apt-get install wrk)")
    reused = args.instance is not None
    instance = args.instance or Path(tempfile.mkdtemp(prefix="pustaka-serving-"))
    site = Site(sqlite_setup(instance), {"PUSTAKA_PROXY_COUNT": "1"})  # visitors' own addresses: `wrk_script`
    plain_port = free_port()
    plain = subprocess.Popen(
        [sys.executable, "-m", "benchmarks._plain_site", "--port", str(plain_port), "--page-kb", "20"],
        cwd=ROOT,
        start_new_session=True,
    )
    plain_url = f"http://127.0.0.1:{plain_port}"
    try:
        new_paths = _catalogue(site, args, reused)
        large = args.pages or reused
        serve = ["serve", "--port", str(site.port), *(["--no-demo"] if large else [])]
        site.start("serve", serve, site.answers, timeout=300)
        if not reused:  # a kept instance has its librarian already
            site.cli(*LIBRARIAN)
        quiet_jobs(site.processes["serve"].pid)
        _wait(lambda: _answers(plain_url + "/"), "the baseline site answering")
        size = len(urllib.request.urlopen(site.url + search_paths()[0]).read()) / 1024
        template = len(urllib.request.urlopen(plain_url + "/page").read()) / 1024
        print(f"A search page is {size:.0f} kB; the template page {template:.0f} kB.")
        targets = _targets(site, plain_url, plain.pid, new_paths)
        loads = _rounds(targets, args)
        if loads:
            report(loads, 4 if not large else 8)
        if args.memory_minutes:
            from benchmarks._serving_memory import memory_under_load

            label, url, paths, pids, with_cookie, _ = targets[4]
            memory_under_load(label, url, paths, pids, args, with_cookie)
        from_launch, from_web = first_answer(site, serve)
        print(
            f"\nFirst search page answered {from_launch:.2f} s after `pustaka serve` was started, "
            f"{from_web:.2f} s after its web process started (goal: <= 1 s)."
        )
    finally:
        plain.terminate()
        site.stop()
        site.remove(args.keep or reused)


def _arguments() -> argparse.Namespace:
    """Return the command line's arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each target; the median is shown")
    parser.add_argument("--keep", action="store_true", help="keep the instance folder")
    parser.add_argument(
        "--instance", type=Path, help="serve an instance folder kept by --keep (its catalogue as it is)"
    )
    parser.add_argument("--pages", type=int, default=0, help="serve a generated catalogue, not the demo")
    parser.add_argument(
        "--memory-minutes", type=float, default=0, help="then a librarian's new searches, memory read"
    )
    return parser.parse_args()


def _catalogue(site: Site, args: argparse.Namespace, reused: bool) -> list[str]:
    """Make the catalogue served (the kept one, a generated one or the demo); return its new searches."""
    if reused:
        return kept_catalogue(site)
    if args.pages:
        return large_catalogue(site, args.pages)
    print("Starting pustaka serve on the demo catalogue ...")
    return new_search_paths()


def _targets(site: Site, plain_url: str, plain_pid: int, new_paths: list[str]) -> list[tuple]:
    """Return what wrk drives: label, site, paths, web processes measured, cookie, the warm-up's paths."""
    # The warm-ups of the new searches ask other new searches: the timed ones are new when asked.
    warm_new = [p for p in new_search_paths(len(new_paths), seed=28) if p not in set(new_paths)]
    judged, warm_judged = judged_paths()
    librarian = Browser(site.url)
    librarian.sign_in("pustakawan@example.test", PASSWORD)
    librarian.get("/cari/")  # as a browser does: the welcome shown, the session's cookie as it stays
    cookie = "; ".join(f"{k}={v}" for k, v in librarian.cookies.items())
    pustaka = web_pids(site.processes["serve"].pid, plain=False)
    baseline = web_pids(plain_pid, plain=True)
    return [
        ("trivial route", plain_url, ["/"], baseline, ""),
        ("template page", plain_url, ["/page"], baseline, ""),
        ("/cari/ (no query)", site.url, ["/cari/"], pustaka, ""),
        ("reader's search", site.url, search_paths(), pustaka, ""),
        ("librarian's search", site.url, search_paths(), pustaka, cookie),
        ("reader's search, all new", site.url, new_paths, pustaka, "", warm_new),
        ("librarian's search, all new", site.url, new_paths, pustaka, cookie, warm_new),
        ("people's queries, all new", site.url, judged, pustaka, "", warm_judged),
    ]


def _rounds(targets: list[tuple], args: argparse.Namespace) -> list[Load]:
    """Drive every target in interleaved rounds; return each target's median round (by CPU)."""
    runs: dict[str, list[Load]] = {}
    for round_number in range(1, args.rounds + 1):  # interleaved: a slow moment hits every target
        print(f"Round {round_number} of {args.rounds} ...")
        for label, url, paths, pids, with_cookie, *warm in targets:
            load = drive(label, url, paths, pids, args, with_cookie, warm[0] if warm else None)
            runs.setdefault(label, []).append(load)
    return [sorted(found, key=lambda load: load.cpu_ms)[len(found) // 2] for found in runs.values()]


if __name__ == "__main__":
    main()
