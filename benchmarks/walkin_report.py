"""The walk-in benchmark's report: each round's figures, the ratios between them, and the goals."""

from __future__ import annotations

from benchmarks._gateway import PhoneTally
from benchmarks._report import line, quantiles, report_cpu, report_failures, verdict
from benchmarks._rounds import Round, percentile

SCAN_P99, LIBRARY_MINUTES, CALL_SECONDS = 60.0, 5, 2.0


def report(rounds: dict[str, Round], visitors: int, phones: PhoneTally | None) -> None:
    """Print every figure of one setup, unloaded against loaded, and the goals."""
    print(f"  {'':<40}{'unloaded':>13}{'loaded':>13}{'ratio':>12}")

    def both(phase: str, kind: str = "") -> tuple[list[float], list[float]]:
        u, lo = (r.phases[phase] for r in (rounds["unloaded"], rounds["loaded"]))
        return (u.kinds.get(kind, []), lo.kinds.get(kind, [])) if kind else (u.seconds, lo.seconds)

    def served(starts: list[float]) -> float:
        return sum(1 for s in starts if s <= LIBRARY_MINUTES * 60) / visitors

    quantiles("guest book, POST to ticket page", *both("guest book"), (50, 95, 100), "ms")
    quantiles("board data.json", *both("front office", "board data"), (50, 95), "ms")
    quantiles("visitor status page", *both("front office", "status page"), (50, 95), "ms")
    quantiles("a spoken clip (first fetch)", *both("front office", "clip"), (50, 95), "ms")
    quantiles("call pressed to a phone with its clips", *both("front office", "call to board"), (50, 95), "s")
    quantiles(
        "call pressed to the gateway's message", *both("front office", "call to gateway"), (50, 95, 100), "s"
    )
    quantiles("console page", *both("front office", "console page"), (50, 95), "ms")
    quantiles("guest book to service start", *both("front office"), (50, 99, 100), "s")
    quantiles("  of which regular visitors", *both("front office", "regular start"), (50, 99, 100), "s")
    quantiles("  of which priority visitors", *both("front office", "priority start"), (50, 99, 100), "s")
    line(f"started within {LIBRARY_MINUTES} min", *map(served, both("front office")), "%", 100)
    quantiles("scan for a visitor, upload to ready", *both("scans"), (50, 99, 100), "s")
    report_failures(rounds)
    scan, loaded = rounds["loaded"].scan, rounds["loaded"].phases
    assert scan is not None
    shares = ", ".join(f"{name} {scan.covered(phase):.0%}" for name, phase in loaded.items())
    state = scan.status or f"still running, {scan.pages_done} pages OCR'd"
    print(f"  the {scan.pages}-page OCR scan ({state}) ran during: {shares}")
    report_cpu(rounds)
    scans = both("scans")[1]
    p99 = percentile(scans, 99) if scans and not loaded["scans"].failures else float("inf")
    print("  goals:")
    print(
        f"    scan for a visitor ready p99 <= {SCAN_P99:.0f} s under load: {p99:.1f} s  "
        f"{verdict(p99 <= SCAN_P99)}"
    )
    for name, tickets, starts in zip(rounds, both("guest book"), both("front office"), strict=True):
        share, met = served(starts), served(starts) == 1 and len(tickets) == visitors
        print(
            f"    {name}: {len(tickets)} of {visitors} visitors got a ticket P-xxx, {share:.0%} served "
            f"within {LIBRARY_MINUTES} min of the guest book  {verdict(met)}"
        )
    for name, regular in zip(rounds, both("front office", "regular start"), strict=True):
        share = sum(1 for s in regular if s <= LIBRARY_MINUTES * 60) / max(1, len(regular))
        print(
            f"    {name}: {share:.0%} of {len(regular)} regular visitors served within {LIBRARY_MINUTES} min "
            f"with priority visitors called first  {verdict(share == 1 and bool(regular))}"
        )
    kiosk, board = (
        percentile(both(*p)[1], 95) * 1000 for p in (("guest book",), ("front office", "board data"))
    )
    print(f"    (no target) loaded: guest book p95 {kiosk:.0f} ms, board data p95 {board:.0f} ms")
    report_board(both("front office", "call to board")[1], both("front office", "clip bytes")[1])
    if phones is not None:
        report_phones(phones, both("front office", "call to gateway"), both("front office", "two ahead"))


def report_board(reach: list[float], sizes: list[float]) -> None:
    """Print the board leg's goal: a call on a phone asking as a board does, with its clips."""
    worst = percentile(reach, 95) if reach else float("inf")  # phones ask each --board-poll, as a board
    print(
        f"    a call on a board (asking as often as it does) with its clips within {CALL_SECONDS:.0f} s "
        f"under load: p95 {worst:.2f} s (clips {sum(sizes) / max(1, len(sizes)) / 1000:.0f} KB each)  "
        f"{verdict(worst <= CALL_SECONDS)}"
    )


def report_phones(
    phones: PhoneTally, called: tuple[list[float], list[float]], ahead: tuple[list[float], ...]
) -> None:
    """Print the gateway leg's goal and what became of every message of the run."""
    worst = percentile(called[1], 95) if called[1] else float("inf")
    top = max(called[1], default=float("inf"))
    print(
        f"    a call's message taken by the phone gateway within {CALL_SECONDS:.0f} s under load: "
        f"p95 {worst:.2f} s, max {top:.2f} s  {verdict(worst <= CALL_SECONDS)}"
    )
    got, site = phones.received, phones.site
    print(
        f"    (no target) the gateway took {sum(got.values())} messages: {got.get('called', 0)} called, "
        f"{got.get('two_ahead', 0)} two ahead ({len(ahead[0])} unloaded, {len(ahead[1])} loaded), "
        f"{got.get('scan_ready', 0)} scan ready; at most {phones.busiest} to one number"
    )
    bad = site.get("failed", 0) + site.get("held", 0) + site.get("queued", 0)
    print(
        f"    every message sent, none failed or held (the site's /metrics): {site.get('sent', 0)} sent, "
        f"{site.get('failed', 0)} failed, {site.get('held', 0)} held, {site.get('queued', 0)} still queued  "
        f"{verdict(bad == 0 and site.get('sent') == sum(got.values()))}"
    )


# -- the command ---------------------------------------------------------------------------------
