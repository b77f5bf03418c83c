"""Benchmark a visitor's page while hundreds of idle (or trickling) connections are held open.

    python -m benchmarks.idle_connections [--idle 500] [--setups sqlite] [--keep]

Starts `pustaka serve` on a fresh instance and has a visitor open the home page, first alone
(the baseline, measured in the same run), then while `--idle` TCP connections are held open to
the server: half never send a byte, half send a request's first line and then one header byte
every few seconds (slowloris). Before, waitress stopped accepting at 100 connections per process
and closed idle ones only after 120 s: every new visitor waited two minutes. Printed: the
visitor's p50 and worst page time with the connections held beside the baseline, and how many
of the held connections the server closed. Goal: every visitor page answered, the worst within 1 s.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._http import Browser  # noqa: E402
from benchmarks._report import ratio, verdict  # noqa: E402
from benchmarks._rounds import percentile  # noqa: E402
from benchmarks._site import Setup, Site  # noqa: E402
from benchmarks.service import add_site_options, each_setup, prepare, start_site  # noqa: E402

GOAL_S = 1.0
PAGES = 40  # the visitor's page loads in each phase


def visitor_pages(site: Site, count: int) -> list[float]:
    """Open the home page `count` times as a new visitor each time (a new connection); return the times."""
    times = []
    for _ in range(count):
        browser = Browser(site.url, timeout=180)
        try:
            reply = browser.get("/")
            if reply.status != 200:
                raise RuntimeError(f"the visitor's home page answered {reply.status}")
            times.append(reply.seconds)
        finally:
            browser.close()
    return times


def hold(site: Site, count: int, stop: threading.Event) -> list[socket.socket]:
    """Open `count` connections: half silent, half trickling a request a byte at a time."""
    conns = []
    for n in range(count):
        conn = socket.create_connection(("127.0.0.1", site.port), timeout=5)
        if n % 2:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        conns.append(conn)

    def trickle() -> None:
        while not stop.wait(3):
            for conn in conns[1::2]:
                try:
                    conn.sendall(b"a")
                except OSError:
                    pass

    threading.Thread(target=trickle, daemon=True).start()
    return conns


def closed_by_server(conns: list[socket.socket]) -> int:
    """Count the held connections the server has closed."""
    closed = 0
    for conn in conns:
        conn.setblocking(False)
        try:
            closed += conn.recv(1) == b""
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    return closed


def run_setup(setup: Setup, args: argparse.Namespace) -> None:
    """Start one setup, measure the visitor alone and beside the held connections, and take it down."""
    site = Site(setup, dict(item.split("=", 1) for item in args.env))
    print(f"\n== {setup.label} ==", flush=True)
    try:
        prepare(site, 0, False)
        for command in start_site(site, args):
            print("  " + command)
        visitor_pages(site, 5)  # warm
        quiet = visitor_pages(site, PAGES)
        stop = threading.Event()
        conns = hold(site, args.idle, stop)
        try:
            busy = visitor_pages(site, PAGES)
            closed = closed_by_server(conns)
        finally:
            stop.set()
            for conn in conns:
                conn.close()
        p50, worst, base = percentile(busy, 50), max(busy), percentile(quiet, 50)
        print(
            f"  visitor's home page beside {args.idle} held connections: p50 {p50 * 1000:.0f} ms "
            f"(alone {base * 1000:.0f} ms, {ratio(p50, base)}), worst {worst:.2f} s "
            f"(alone {max(quiet):.2f} s); the server closed {closed} of them"
        )
        print(f"  goal (every page answered, the worst within {GOAL_S:.0f} s): {verdict(worst <= GOAL_S)}")
    finally:
        site.stop()
        site.remove(args.keep)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--idle", type=int, default=500, help="connections held open")
    add_site_options(parser)
    each_setup(parser.parse_args(), "pustaka-idle-", run_setup)


if __name__ == "__main__":
    main()
