"""Benchmark whether the forgotten-password form's answer time tells who has an account (issue 15).

    python -m benchmarks.reset_timing                          # 200 requests per address; SQLite, then Redis
    python -m benchmarks.reset_timing --requests 50 --setups sqlite
    python -m benchmarks.reset_timing --smtp-delay-ms 50       # a mail relay across a network

Starts a real site as `benchmarks.service` does (`pustaka serve`, the SQLite queue consumed inside
it; then PostgreSQL + Redis with `pustaka worker` processes), its mail going to an SMTP server
(aiosmtpd) this script runs on loopback, which can answer slowly as a relay elsewhere does. One
browser asks for a reset link for a reader's address, another for an address without an account
(of the same length), turn about, N times each after a few unmeasured ones. It prints the median
and p95 answer time of each and their ratio (known / unknown, the stranger's being the baseline):
when the request sent the email itself, issue 15 measured 27.7 ms against 4.7 ms; the job sends
it now, so the ratio should be close to 1.0. Then it waits for the emails (one per request for
the reader) and prints how long after its answer each arrived, paired in order.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402

from benchmarks._http import Browser, ClientError  # noqa: E402
from benchmarks._rounds import percentile  # noqa: E402
from benchmarks._site import Setup, Site, free_port  # noqa: E402
from benchmarks.service import add_site_options, each_setup, prepare, start_site  # noqa: E402

WARM_UP = 10
STRANGER = "pembaca99@bench.example.org"  # as long as the reader's, pembaca01@...


class MailServer:
    """An SMTP server that takes every email after a delay and notes when each arrived."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.arrivals: list[float] = []
        self.port = free_port()
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            self.arrivals.append(time.perf_counter())
        return "250 OK"

    def __enter__(self) -> MailServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()


def ask(browser: Browser, token: str, address: str) -> float:
    """Send the forgotten-password form once; return how long the answer took, in seconds."""
    reply = browser.post_form("/lupa-sandi", {"email": address, "csrf_token": token})
    if reply.status != 303:
        raise ClientError(f"POST /lupa-sandi for {address}: {reply.status} {reply.text[:300]}")
    return reply.seconds


def run_setup(setup: Setup, args: argparse.Namespace) -> None:
    """Start one setup, time the form for both addresses, wait for the emails, and take it down."""
    print(f"\n== {setup.label} ==", flush=True)
    with MailServer(args.smtp_delay_ms / 1000) as mail:
        env = {
            "PUSTAKA_MAIL_BACKEND": "smtp",
            "PUSTAKA_SMTP_HOST": "127.0.0.1",
            "PUSTAKA_SMTP_PORT": str(mail.port),
            "PUSTAKA_RATE_LIMIT_ATTEMPTS": "1000000",  # the limit is not what is measured here
        }
        site = Site(setup, env | dict(item.split("=", 1) for item in args.env))
        try:
            [reader], _ = prepare(site, readers=1, catalogue=False)
            for line in start_site(site, args):
                print("  " + line)
            measure(site, mail, reader, args)
        finally:
            site.stop()
            site.remove(args.keep)


def measure(site: Site, mail: MailServer, reader: str, args: argparse.Namespace) -> None:
    """Alternate the two addresses, print the answer times, then the emails' arrival."""
    known, unknown = Browser(site.url), Browser(site.url)
    tokens = {reader: known.csrf_token("/lupa-sandi"), STRANGER: unknown.csrf_token("/lupa-sandi")}
    times: dict[str, list[float]] = {reader: [], STRANGER: []}
    answered: list[float] = []  # when each measured answer for the reader came back
    for number in range(WARM_UP + args.requests):
        for browser, address in ((known, reader), (unknown, STRANGER))[:: 1 if number % 2 else -1]:
            seconds = ask(browser, tokens[address], address)
            if number >= WARM_UP:
                times[address].append(seconds)
                if address == reader:
                    answered.append(time.perf_counter())
    report(times[reader], times[STRANGER])
    expected = WARM_UP + args.requests
    deadline = time.monotonic() + args.mail_timeout
    while len(mail.arrivals) < expected and time.monotonic() < deadline:
        time.sleep(0.1)
    arrivals = sorted(mail.arrivals)
    print(f"  emails received {len(arrivals)} of {expected} (none for the stranger's address)")
    delays = [arrived - sent for sent, arrived in zip(answered, arrivals[WARM_UP:], strict=False)]
    if delays:
        print(
            f"  email after the answer     median {statistics.median(delays) * 1000:8.1f} ms"
            f"   p95 {percentile(delays, 95) * 1000:8.1f} ms   max {max(delays) * 1000:8.1f} ms"
        )


def report(known: list[float], unknown: list[float]) -> None:
    """Print the median and p95 of both addresses' answer times and their ratios."""
    print(f"  {'POST /lupa-sandi':<28}{'median':>10}{'p95':>10}   (n={len(known)} each)")
    for label, values in (("address with an account", known), ("address without one", unknown)):
        median, p95 = statistics.median(values) * 1000, percentile(values, 95) * 1000
        print(f"  {label:<28}{median:7.1f} ms{p95:7.1f} ms")
    ratio = statistics.median(known) / statistics.median(unknown)
    ratio95 = percentile(known, 95) / percentile(unknown, 95)
    print(f"  {'ratio known / unknown':<28}{ratio:10.2f}{ratio95:10.2f}   (goal: close to 1.0)")


def parse_args() -> argparse.Namespace:
    """Read the options."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="measured requests per address")
    parser.add_argument("--smtp-delay-ms", type=float, default=0.0, help="the mail server's delay per email")
    parser.add_argument("--mail-timeout", type=float, default=60.0, help="seconds to wait for the emails")
    add_site_options(parser)
    parser.set_defaults(lanes="interactive", threads=4)
    return parser.parse_args()


def main() -> None:
    """Run the benchmark on each setup asked for."""
    each_setup(parse_args(), "pustaka-reset-timing-", run_setup)


if __name__ == "__main__":
    main()
