"""Benchmark the walk-in front office over HTTP: guest book, board, console and scans while OCR runs.

    python -m benchmarks.walkin                          # a 100-page OCR scan; SQLite, then Redis
    python -m benchmarks.walkin --quick --setups sqlite  # a 40-page OCR scan: a few minutes

Starts a real site as `benchmarks.service` does (the same setups and processes), with
PUSTAKA_PROXY_COUNT=1 so that each visitor's phone has its own address (X-Forwarded-For), as the
guest book's limit of 20 entries per address in 10 minutes expects. A librarian and a
front-office clerk sign in; a small round warms the site up (first pages, the first stamp). Then
two rounds of new visitors, unloaded and loaded (while the librarian's N-page scan is OCR'd):

  guest book    20 visitors open the kiosk at once, fill it in for 3.5 s (a form sent within 3 s
                is refused as a program's), send it at once for the library and open their ticket
  front office  the clerk's console calls, starts and finishes each visitor in turn as fast as the
                server answers (a service starts once the gateway has the visitor's call, as the
                visitor walks up then), while every phone polls the board's data and its status
                page, and fetches the spoken clips of each new call it sees, as a board does
  scans         the librarian uploads a 3-page scan for 5 of the visitors at once and watches each
                scan's page until the visitor's stamped copy is ready

Every `--priority-every`-th visitor (5: a fifth) declares a priority group at the kiosk, so the
console calls them first by the priority rule (a regular ticket after two priority calls in a
row, or near its target); their starts are reported apart from the regular visitors'.

Every visitor types a mobile number of their own and ticks "tell me on this number"; the site's
phone channel (`--phone`: the generic HTTP gateway, or the WhatsApp Cloud API's format) points
at a gateway this benchmark runs (`benchmarks._gateway`), which notes when each message arrives.

It prints the latencies, each visitor's time from sending the guest book to the start of their
service (system time only: staff act at once), a call's time from the console's press to a
phone holding it with its clips (the board itself asks every second) and to the gateway taking
its "called" message, loaded/unloaded ratios, and the goals: a call on the board and at the
gateway within 2 s under load; every message sent, none failed or held; a scan for a visitor
ready p99 <= 60 s under load; every library visitor served within 5 minutes, the regular ones
among the priority visitors included.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import scanned_publication  # noqa: E402
from benchmarks._gateway import RecordingGateway as Gateway  # noqa: E402
from benchmarks._gateway import site_phone_figures  # noqa: E402
from benchmarks._http import Browser, ClientError, form_value  # noqa: E402
from benchmarks._rounds import Phase, Round, ScanWatch, measured, together  # noqa: E402
from benchmarks._rounds import watch_request as watch_page  # noqa: E402
from benchmarks._site import ProcessWatch, Setup, Site  # noqa: E402
from benchmarks.service import LIBRARIAN, PASSWORD, add_site_options, each_setup, prepare, start_site  # noqa: E402
from benchmarks.walkin_front_office import CONSOLE, Visitor, front_office, press  # noqa: E402
from benchmarks.walkin_report import report  # noqa: E402

CLERK = "loket@bench.example.org"
ENTRY = {"sex": "female", "age_band": "17_25", "education": "bachelor", "occupation": "student"}
ENTRY |= {"institution": "Universitas Lampung", "email": "", "website": "", "phone_consent": "y"}
ENTRY |= {"purpose": "Mencari data kemiskinan", "services": "library"}
TICKET = re.compile(r'class="ticket-code"[^>]*>\s*([A-Z]+-\d+)\s*<')


# -- the phases ----------------------------------------------------------------------------------
def sign_guest_book(visitors: list[Visitor], filling: float, out: Phase) -> None:
    """Every visitor opens the kiosk at once, fills it in, sends it at once and opens the ticket."""

    def sign(index: int, barrier: threading.Barrier) -> None:
        visitor = visitors[index]
        barrier.wait()
        form = visitor.browser.get("/buku-tamu").text
        fields = {name: form_value(form, name) or "" for name in ("csrf_token", "started")}
        time.sleep(filling)
        barrier.wait()  # a barrier starts over once passed: now they all send at once
        visitor.signed = time.perf_counter()
        sent = {**ENTRY, **fields, "name": visitor.name, "phone": visitor.phone, "priority": visitor.priority}
        reply = visitor.browser.post_form("/buku-tamu", sent)
        if reply.status != 303:
            raise ClientError(f"the guest book answered {reply.status}")
        path = urlsplit(reply.location).path
        found = TICKET.search(visitor.browser.get(path).text)
        if not found or not found.group(1).startswith("P-"):
            raise ClientError("no library ticket P-xxx on the ticket page")
        out.seconds.append(time.perf_counter() - visitor.signed)
        visitor.token, visitor.code = path.rsplit("/", 1)[1], found.group(1)

    together(len(visitors), sign, out)


def scan_for_visitors(
    librarian: Browser, visitors: list[Visitor], args: argparse.Namespace, out: Phase
) -> None:
    """The librarian uploads a scan for some visitors at once and watches each until it is ready."""
    chosen = [v for v in visitors if v.code][: args.scans]
    pdf = scanned_publication(args.visitor_pages, "visitor").read_bytes()
    desks = [librarian.tab() for _ in chosen]  # the librarian's tabs, one connection each

    def scan(index: int, barrier: threading.Barrier) -> None:
        desk, code = desks[index], chosen[index].code
        fields = {"csrf_token": desk.csrf_token("/meja/pindai"), "visit": "", "ticket": code}
        fields |= {"title": "Kota Metro Dalam Angka 2019, hlm. 10-12", "publication": ""}
        barrier.wait()
        start = time.perf_counter()
        reply = desk.post_files("/meja/pindai", fields, "berkas", f"{code}.pdf", pdf)
        if reply.status != 303:
            raise ClientError(f"scan for {code}: {reply.status}")
        ready = watch_page(desk, urlsplit(reply.location).path, start, args.poll, args.scan_timeout)
        if isinstance(ready, str):
            out.failures.append(f"scan for {code}: {ready}")
        else:
            out.seconds.append(ready)

    if chosen:
        together(len(chosen), scan, out)


# -- the rounds ----------------------------------------------------------------------------------
def one_round(
    number: int,
    site: Site,
    watch: ProcessWatch,
    staff: dict[str, Browser],
    args: argparse.Namespace,
    gateway: Gateway | None,
) -> Round:
    """Measure the guest book, the front office and the scans of new visitors, one after the other."""
    visitors = [  # each phone has its own address and each visitor their own name, in each round
        Visitor(
            Browser(site.url, headers={"X-Forwarded-For": f"10.{number}.{i // 200}.{i % 200 + 1}"}),
            name=f"Tamu {number}-{i + 1}",
            phone=f"0813 {number:04d} {i + 1:04d}",
            priority="elderly" if args.priority_every and (i + 1) % args.priority_every == 0 else "",
        )
        for i in range(args.visitors)
    ]
    phases: dict[str, Callable[[Phase], None]] = {
        "guest book": lambda out: sign_guest_book(visitors, args.filling, out),
        "front office": lambda out: front_office(visitors, staff["clerk"], args, gateway, out),
        "scans": lambda out: scan_for_visitors(staff["librarian"], visitors, args, out),
    }
    return Round(phases={name: measured(watch, phase) for name, phase in phases.items()})  # in turn


def measure(
    site: Site,
    watch: ProcessWatch,
    staff: dict[str, Browser],
    args: argparse.Namespace,
    gateway: Gateway | None,
) -> dict[str, Round]:
    """Warm up (the first pages, the job process's first stamp), then measure unloaded and loaded."""
    rounds: dict[str, Round] = {}
    warm = {"visitors": 2, "scans": 1, "board_seconds": 1.0}
    one_round(0, site, watch, staff, argparse.Namespace(**{**vars(args), **warm}), gateway)

    def unloaded(_: Phase) -> None:
        watch.phase = "unloaded"
        rounds["unloaded"] = one_round(1, site, watch, staff, args, gateway)

    def loaded(_: Phase) -> None:
        watch.phase, pages = "loaded", args.scan_pages
        path = scanned_publication(pages, "walkin")
        scan = ScanWatch(staff["librarian"].tab(), path, pages, "Pindaian OCR", pages * 30 + 300)
        scan.underway.wait()
        rounds["loaded"] = one_round(2, site, watch, staff, args, gateway)
        rounds["loaded"].scan = scan.scan

    for name, action in (("unloaded", unloaded), ("loaded", loaded)):
        rounds[name].whole = measured(watch, action)
    return rounds


# -- the report ----------------------------------------------------------------------------------


def run_setup(setup: Setup, args: argparse.Namespace) -> None:
    """Prepare, start and measure one setup, print its figures, and take it down."""
    gateway = Gateway() if args.phone != "none" else None
    phones = gateway.site_env(args.phone) if gateway else {}
    site = Site(
        setup, {"PUSTAKA_PROXY_COUNT": "1", **phones, **dict(item.split("=", 1) for item in args.env)}
    )
    watch = None
    began = time.perf_counter()
    print(f"\n== {setup.label} ==", flush=True)
    try:
        if gateway is not None:
            gateway.start()
        prepare(site, 0, False)
        site.cli("users", "create", "--email", CLERK, "--name", "Petugas Loket", "--role", "front_office",
                 "--password", PASSWORD)  # fmt: skip
        began_voice = time.perf_counter()
        site.cli("voice", "build")  # the board's clips, as scripts/run makes them
        print(f"  voice clips built in {time.perf_counter() - began_voice:.1f} s", flush=True)
        for command in start_site(site, args):
            print("  " + command)
        watch = ProcessWatch({role: process.pid for role, process in site.processes.items()})
        watch.start()
        staff = {"librarian": Browser(site.url), "clerk": Browser(site.url)}
        staff["librarian"].sign_in(LIBRARIAN, PASSWORD)
        staff["clerk"].sign_in(CLERK, PASSWORD)
        token = staff["clerk"].csrf_token(CONSOLE)
        press(staff["clerk"], "/loket", "", csrf_token=token, counter="Loket 1")
        print(f"  started, staff signed in ({time.perf_counter() - began:.0f} s); measuring...", flush=True)
        rounds = measure(site, watch, staff, args, gateway)
        watch.stop()
        tally = gateway.tally(site_phone_figures(staff["clerk"].tab())) if gateway else None
        report(rounds, args.visitors, tally)
        print(f"  ({setup.name}: {time.perf_counter() - began:.0f} s in all)")
    finally:
        if watch is not None:
            watch.stop()
        site.stop()
        site.remove(args.keep)
        if gateway is not None:
            gateway.stop()


def parse_args() -> argparse.Namespace:
    """Read the options; --quick shortens what was not given."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add = parser.add_argument
    add("--quick", action="store_true", help="a 40-page OCR scan and a shorter board phase")
    add("--scan-pages", type=int, help="pages of the scan OCR'd in the loaded round (100; quick 40)")
    add("--visitors", type=int, default=20, help="visitors signing the guest book at once")
    add("--filling", type=float, default=3.5, help="seconds a visitor spends on the form (over 3)")
    add("--board-seconds", type=float, help="least time the phones poll board and status (15; quick 5)")
    add("--board-poll", type=float, default=1.0, help="seconds between a phone's looks")
    add("--priority-every", type=int, default=5, help="every Nth visitor declares priority (0: none)")
    add("--phone", choices=("gateway", "whatsapp", "none"), default="gateway",
        help="the site's phone channel, pointed at a recording gateway here (none: no phones)")  # fmt: skip
    add("--scans", type=int, default=5, help="scans for visitors uploaded at once")
    add("--visitor-pages", type=int, default=3, help="pages of each scan for a visitor")
    add("--poll", type=float, default=0.5, help="seconds between looks at a scan's page")
    add("--scan-timeout", type=float, default=600.0)
    add_site_options(parser)
    args = parser.parse_args()
    args.scan_pages = args.scan_pages or (40 if args.quick else 100)
    args.board_seconds = args.board_seconds or (5.0 if args.quick else 15.0)
    return args


def main() -> None:
    """Measure the walk-in service in each setup asked for and print the figures."""
    args = parse_args()
    print(
        f"Walk-in benchmark: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; {args.visitors} visitors, "
        f"{args.scans} scans of {args.visitor_pages} pages for them, a {args.scan_pages}-page OCR scan"
    )
    each_setup(args, "pustaka-walkin-bench-", run_setup)


if __name__ == "__main__":
    main()
