"""Benchmark anonymous bursts at the public forms: no 500, no stalled site, no more than the limit.

    python -m benchmarks.burst [--requests 200] [--forms NAMES] [--setups sqlite,redis] [--keep]

Starts `pustaka serve` on a fresh instance (SQLite; and PostgreSQL + Redis with `pustaka
worker` processes when they are reachable) and, for each public form, opens it in `--requests`
browsers of one client address (each with its own session and CSRF token, as a script would),
then sends every form at once: the complaint form, the guest book, registration, the password
reset request, and the search page. Meanwhile a visitor from another address keeps opening the
home page. Printed per form: the answers by status, how many were taken (rows in the database
for complaints, visits and accounts; answers that were not refused for the others) against the
limit, the slowest answer of the burst, and the visitor's home page p50/max during the burst
beside the same page measured quiet just before (the baseline, in the same run).
Goals: no 5xx, at most the limit taken, the visitor never waits more than 2 s.
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from benchmarks._http import Browser, ClientError, Reply, form_value  # noqa: E402
from benchmarks._report import ratio, verdict  # noqa: E402
from benchmarks._rounds import percentile  # noqa: E402
from benchmarks._site import Setup, Site  # noqa: E402
from benchmarks.service import LIBRARIAN, add_site_options, each_setup, prepare, start_site  # noqa: E402
from library.accounts.ratelimit import ACTION_LIMITS, COMPLAINT, GUEST_BOOK  # noqa: E402
from library.db import make_engine  # noqa: E402
from library.frontoffice.guest_book import FASTEST_BY_HAND  # noqa: E402
from library.models import Complaint, User, Visit  # noqa: E402
from library.settings import Settings  # noqa: E402

WAIT_GOAL_S = 2.0
_OPTION = re.compile(r'<select[^>]*name="service"[^>]*>.*?<option[^>]*value="([^"]+)"', re.S)
ENTRY = {"sex": "female", "age_band": "17_25", "education": "bachelor", "occupation": "student"}
ENTRY |= {"institution": "Universitas Lampung", "phone": "", "email": "", "website": ""}
ENTRY |= {"purpose": "Mencari data kemiskinan", "services": "library"}


@dataclass
class Form:
    """One public form: where it is, what a filled one sends, and how many may be taken at once."""

    name: str
    path: str
    fields: Callable[[int, str], dict[str, str]]  # (browser's index, the page as opened) -> fields
    limit: int | None  # None: no limit to check (search)
    count: Callable[[Site], int] | None = None  # rows taken, from the database
    post: bool = True
    wait_before: float = 0.0  # seconds a person takes to fill it in (the guest book checks)


@dataclass
class Burst:
    """What one burst got back, and what the visitor meanwhile saw."""

    statuses: Counter[int] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    quiet: list[float] = field(default_factory=list)  # the visitor's home page before the burst
    during: list[float] = field(default_factory=list)  # ... and during it
    taken: int = 0


def _rows(model: type, where: object = None) -> Callable[[Site], int]:
    """Return a count of a table's rows in the site's database."""

    def count(site: Site) -> int:
        engine = make_engine(Settings.from_env(site.env()).sqlalchemy_url)
        try:
            with engine.connect() as conn:
                query = select(func.count()).select_from(model)
                return int(conn.scalar(query if where is None else query.where(where)) or 0)
        finally:
            engine.dispose()

    return count


def forms(settings: Settings) -> list[Form]:
    """Return the public forms, each with its fields and limit."""

    def complaint(index: int, page: str) -> dict[str, str]:
        service = _OPTION.search(page)
        return {
            "name": f"Warga {index}", "email": f"warga{index}@example.org", "phone": "",
            "service": service.group(1) if service else "", "subject": "Pelayanan lambat",
            "body": "Saya menunggu lama di loket tanpa kejelasan.", "website": "",
        }  # fmt: skip

    def guest_book(index: int, page: str) -> dict[str, str]:
        return {**ENTRY, "name": f"Tamu {index}", "started": form_value(page, "started") or ""}

    def register(index: int, _page: str) -> dict[str, str]:
        return {
            "name": f"Pendaftar {index}", "email": f"daftar{index}@example.org",
            "password": "kata-sandi-panjang-42", "confirm_password": "kata-sandi-panjang-42",
            "institution": "Universitas Lampung", "occupation": "student", "consent": "y",
        }  # fmt: skip

    def reset(_index: int, _page: str) -> dict[str, str]:
        return {"email": LIBRARIAN}

    account_limit = settings.rate_limit_attempts
    return [
        Form("complaint", "/pengaduan", complaint, ACTION_LIMITS[COMPLAINT].attempts, _rows(Complaint)),
        Form(
            "guest book",
            "/buku-tamu",
            guest_book,
            ACTION_LIMITS[GUEST_BOOK].attempts,
            _rows(Visit),
            wait_before=FASTEST_BY_HAND.total_seconds() + 0.5,
        ),  # fmt: skip
        Form("registration", "/daftar", register, account_limit, _rows(User, User.email.like("daftar%"))),
        Form("password reset", "/lupa-sandi", reset, account_limit),
        Form("search", "/cari/?q=kemiskinan+lampung", lambda _i, _p: {}, None, post=False),
    ]


def visitor(site: Site, out: list[float], stop: threading.Event) -> None:
    """Open the home page again and again from another address until told to stop."""
    browser = Browser(site.url, timeout=120, headers={"X-Forwarded-For": "198.51.100.200"})
    while not stop.is_set():
        reply = browser.get("/")
        out.append(reply.seconds)
        if reply.status != 200:
            raise ClientError(f"the visitor's home page: {reply.status}")
    browser.close()


def burst(site: Site, form: Form, requests: int, address: str) -> Burst:
    """Open the form in `requests` browsers of one address, then send them all at once."""
    result = Burst()
    browsers = [Browser(site.url, timeout=120, headers={"X-Forwarded-For": address}) for _ in range(requests)]
    pages = []
    for browser in browsers:  # one after another: opening is not the burst
        pages.append(browser.get(form.path).text)
        browser.close()  # the session stays in its cookies; the burst opens its own connections
    filled = []
    for index, page in enumerate(pages):
        fields = form.fields(index, page)
        token = form_value(page, "csrf_token")
        if form.post and token is None:
            raise ClientError(f"{form.path}: no CSRF token")
        filled.append({**fields, "csrf_token": token or ""} if form.post else {})
    time.sleep(form.wait_before)
    before = form.count(site) if form.count else 0
    stop = threading.Event()
    quiet = threading.Thread(target=visitor, args=(site, result.quiet, stop))
    quiet.start()
    time.sleep(2)  # the quiet baseline: the visitor alone
    stop.set()
    quiet.join()
    stop.clear()
    watching = threading.Thread(target=visitor, args=(site, result.during, stop))
    barrier = threading.Barrier(requests + 1)
    lock = threading.Lock()

    def send(index: int) -> None:
        barrier.wait()
        try:
            browser = browsers[index]
            reply: Reply = (
                browser.post_form(form.path, filled[index]) if form.post else browser.get(form.path)
            )
            with lock:
                result.statuses[reply.status] += 1
                result.seconds.append(reply.seconds)
        except (OSError, ClientError) as exc:
            with lock:
                result.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            browsers[index].close()

    senders = [threading.Thread(target=send, args=(i,)) for i in range(requests)]
    for sender in senders:
        sender.start()
    watching.start()
    barrier.wait()
    for sender in senders:
        sender.join()
    stop.set()
    watching.join()
    if form.count:
        result.taken = form.count(site) - before
    else:  # answered without a refusal (429) or an error
        result.taken = sum(n for status, n in result.statuses.items() if status < 400)
    return result


def report(form: Form, result: Burst) -> bool:
    """Print one form's burst; return whether it met the goals."""
    errors = sum(n for status, n in result.statuses.items() if status >= 500) + len(result.errors)
    worst_wait = max(result.during, default=float("nan"))
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(result.statuses.items()))
    within = form.limit is None or result.taken <= form.limit
    ok = errors == 0 and within and worst_wait <= WAIT_GOAL_S
    limit = "no limit" if form.limit is None else f"limit {form.limit}"
    failed = f"; {len(result.errors)} failed" if result.errors else ""
    during, quiet = percentile(result.during, 50), percentile(result.quiet, 50)
    print(f"  {form.name:<15} {statuses}{failed}")
    print(
        f"  {'':<15} taken {result.taken} ({limit}); slowest answer {max(result.seconds, default=0):.2f} s; "
        f"visitor's home page p50 {during * 1000:.0f} ms "
        f"(quiet {quiet * 1000:.0f} ms, {ratio(during, quiet)}), "
        f"max {worst_wait:.2f} s (quiet {max(result.quiet, default=0):.2f} s) -> {verdict(ok)}"
    )
    for line in result.errors[:3]:
        print(f"  {'':<15} {line}")
    return ok


def run_setup(setup: Setup, args: argparse.Namespace) -> None:
    """Prepare and start one setup, burst every form, and take it down."""
    site = Site(setup, {"PUSTAKA_PROXY_COUNT": "1", **dict(item.split("=", 1) for item in args.env)})
    print(f"\n== {setup.label} ==", flush=True)
    try:
        prepare(site, 0, False)
        for command in start_site(site, args):
            print("  " + command)
        settings = Settings.from_env(site.env())
        print(f"  {args.requests} requests at once per form, each from one address:", flush=True)
        results = []
        for number, form in enumerate(forms(settings), start=1):
            if args.forms and form.name not in args.forms.split(","):
                continue
            results.append(report(form, burst(site, form, args.requests, f"203.0.113.{number}")))
        print(f"  goals (no 5xx, at most the limit taken, the visitor within {WAIT_GOAL_S:.0f} s): "
              f"{verdict(all(results))}")  # fmt: skip
    finally:
        site.stop()
        site.remove(args.keep)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200, help="requests sent at once per form")
    parser.add_argument("--forms", default="", help="only these forms, e.g. 'registration,search'")
    add_site_options(parser)
    each_setup(parser.parse_args(), "pustaka-burst-", run_setup)


if __name__ == "__main__":
    main()
