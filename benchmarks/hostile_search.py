"""Benchmark a visitor's search page while one client fires costly searches at the site.

    python -m benchmarks.hostile_search [--hostile 50] [--setups sqlite,redis] [--keep]

Starts `pustaka serve` on a fresh instance with the demo catalogue. A hostile query (prefixes,
misspelt words, many clauses: the kind that took 1.7 s unbounded) is timed alone beside a plain
one; then `--hostile` copies of it are sent at once, again and again, from one client address
while a visitor from another address searches plain words. Printed: the hostile query's time
alone against the plain query's (the ratio: what bounding it left), the hostile answers by status
(429: refused by the client's search share), and the visitor's p50 and worst page time during
the attack beside the same page measured quiet just before. Goal: the visitor's worst under 1 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._http import Browser, ClientError  # noqa: E402
from benchmarks._report import ratio, verdict  # noqa: E402
from benchmarks._rounds import percentile  # noqa: E402
from benchmarks._site import Setup, Site  # noqa: E402
from benchmarks.service import add_site_options, each_setup, prepare, start_site  # noqa: E402

GOAL_S = 1.0
PLAIN = "/cari/?q=" + quote("penduduk lampung")
HOSTILE_WORDS = (
    "pen* ke* per* pendudk kemiskinn pertaniaan perdagangn industrii ekspr imporr inflasii "
    "pengeluarn pendapatn kesehatn pendidikn perumahn transportsi"
)


def hostile() -> str:
    """Return a hostile search, never the same twice (no cache answers it): one random misspelt word more."""
    word = "".join(random.choice("abcdeghiklmnprstu") for _ in range(9))
    return "/cari/?q=" + quote(f"{word} {HOSTILE_WORDS}")


ATTACK_SECONDS = 15.0


def timed(browser: Browser, path: str | Callable[[], str], repeats: int) -> list[float]:
    """Open a page (or each page a function gives) `repeats` times; return the times of the answers."""
    out = []
    for _ in range(repeats):
        reply = browser.get(path() if callable(path) else path)
        if reply.status != 200:
            raise ClientError(f"{path}: {reply.status}")
        out.append(reply.seconds)
    return out


def visitor(site: Site, out: list[float], stop: threading.Event) -> None:
    """Search plain words again and again as a visitor from an address of their own."""
    browser = Browser(site.url, timeout=120, headers={"X-Forwarded-For": "198.51.100.7"})
    try:
        while not stop.is_set():
            out += timed(browser, PLAIN, 1)
    finally:
        browser.close()


def attack(site: Site, count: int, statuses: Counter[int], stop: threading.Event) -> None:
    """Send `count` hostile searches at once from one address, again as each is answered."""

    def one() -> None:
        browser = Browser(site.url, timeout=120, headers={"X-Forwarded-For": "203.0.113.66"})
        try:
            while not stop.is_set():
                statuses[browser.get(hostile()).status] += 1
        except (OSError, ClientError):
            statuses[0] += 1
        finally:
            browser.close()

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run_setup(setup: Setup, args: argparse.Namespace) -> None:
    """Start one setup with the demo catalogue, time the queries, attack, and take it down."""
    site = Site(setup, {"PUSTAKA_PROXY_COUNT": "1", **dict(item.split("=", 1) for item in args.env)})
    print(f"\n== {setup.label} ==", flush=True)
    try:
        _, pages = prepare(site, 0, True)
        for command in start_site(site, args):
            print("  " + command)
        alone = Browser(site.url, timeout=120, headers={"X-Forwarded-For": "198.51.100.9"})
        timed(alone, PLAIN, 5)
        timed(alone, hostile, 2)  # warm
        plain, costly = percentile(timed(alone, PLAIN, 9), 50), percentile(timed(alone, hostile, 5), 50)
        alone.close()
        print(
            f"  {pages} pages; one hostile search alone {costly * 1000:.0f} ms, "
            f"a plain one {plain * 1000:.0f} ms ({ratio(costly, plain)})"
        )
        quiet: list[float] = []
        stop = threading.Event()
        watcher = threading.Thread(target=visitor, args=(site, quiet, stop))
        watcher.start()
        time.sleep(3)
        stop.set()
        watcher.join()
        during: list[float] = []
        statuses: Counter[int] = Counter()
        stop = threading.Event()
        watcher = threading.Thread(target=visitor, args=(site, during, stop))
        attacker = threading.Thread(target=attack, args=(site, args.hostile, statuses, stop))
        watcher.start()
        attacker.start()
        time.sleep(ATTACK_SECONDS)
        stop.set()
        attacker.join()
        watcher.join()
        p50, worst = percentile(during, 50), max(during, default=float("nan"))
        shown = ", ".join(f"{status or 'failed'}: {n}" for status, n in sorted(statuses.items()))
        print(f"  {args.hostile} hostile searches at once for {ATTACK_SECONDS:.0f} s: {shown}")
        print(
            f"  visitor's search page p50 {p50 * 1000:.0f} ms (quiet {percentile(quiet, 50) * 1000:.0f} ms, "
            f"{ratio(p50, percentile(quiet, 50))}), worst {worst:.2f} s (quiet {max(quiet):.2f} s)"
        )
        print(f"  goal (the visitor's worst within {GOAL_S:.0f} s): {verdict(worst <= GOAL_S)}")
    finally:
        site.stop()
        site.remove(args.keep)


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--hostile", type=int, default=50, help="hostile searches sent at once")
    add_site_options(parser)
    each_setup(parser.parse_args(), "pustaka-hostile-search-", run_setup)


if __name__ == "__main__":
    main()
