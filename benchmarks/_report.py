"""The service benchmark's report: each figure unloaded against loaded, the memory, and the goals."""

from __future__ import annotations

import os

from benchmarks._rounds import KINDS, Phase, Round, percentile
from benchmarks._site import ProcessWatch

COPY_P99, SEARCH_RATE, SEARCH_P99, OCR_RATIO, PAGE_P95 = 5.0, 300.0, 0.200, 0.8, 0.150


def ratio(loaded: float, unloaded: float) -> str:
    """Return loaded/unloaded as text."""
    if not (unloaded > 0) or loaded != loaded:
        return "-"
    return f"{loaded / unloaded:.2f}x"


def line(label: str, unloaded: float, loaded: float, unit: str, scale: float = 1.0) -> None:
    """Print one figure of both rounds and their ratio."""
    digits = 0 if unit == "ms" else 2 if scale == 1.0 and unit == "s" else 1
    cells = [f"{value * scale:.{digits}f} {unit}" if value == value else "-" for value in (unloaded, loaded)]
    print(f"  {label:<40}{cells[0]:>13}{cells[1]:>13}{ratio(loaded, unloaded):>12}")


def quantiles(label: str, unloaded: list[float], loaded: list[float], qs: tuple[int, ...], unit: str) -> None:
    """Print some percentiles (100: the maximum) of both rounds' latencies; ms are taken from seconds."""
    for q in qs:
        a, b = (max(x, default=float("nan")) if q == 100 else percentile(x, q) for x in (unloaded, loaded))
        line(f"{label} {'max' if q == 100 else f'p{q}'}", a, b, unit, 1000 if unit == "ms" else 1.0)


def report_latencies(unloaded: Round, loaded: Round) -> None:
    """Print copies, page images and search pages, unloaded against loaded."""
    print(f"  {'':<40}{'unloaded':>13}{'loaded':>13}{'ratio':>12}")
    a, b = unloaded.phases["copies"], loaded.phases["copies"]
    for q in (50, 99):
        line(f"copy ready p{q}", percentile(a.seconds, q), percentile(b.seconds, q), "s")
    for kind in KINDS:
        ka, kb = a.kinds.get(kind, []), b.kinds.get(kind, [])
        line(f"  {kind}, p50", percentile(ka, 50), percentile(kb, 50), "s")
        line(f"  {kind}, max", max(ka, default=float("nan")), max(kb, default=float("nan")), "s")
    a, b = unloaded.phases["page images"], loaded.phases["page images"]
    for q in (50, 95, 99):
        line(f"page image p{q}", percentile(a.seconds, q), percentile(b.seconds, q), "ms", 1000)
    line("page images per second", a.rate, b.rate, "/s")
    a, b = unloaded.phases["search"], loaded.phases["search"]
    line("search pages per second", a.rate, b.rate, "/s")
    for q in (50, 95, 99):
        line(f"search page p{q}", percentile(a.seconds, q), percentile(b.seconds, q), "ms", 1000)


def report_failures(rounds: dict[str, Round]) -> None:
    """Print how many requests failed in each phase of each round, and the first failure."""
    for name, rnd in rounds.items():
        for phase_name, phase in rnd.phases.items():
            if phase.failures:
                print(f"  FAILED in {name} {phase_name}: {len(phase.failures)}, e.g. {phase.failures[0]}")


def report_cpu(rounds: dict[str, Round]) -> None:
    """Print the CPU cores each process, this client and other work used in each phase and round."""
    for name, rnd in rounds.items():
        parts = [*((f"{name} {phase_name}", phase) for phase_name, phase in rnd.phases.items())]
        for label, phase in [*parts, (f"{name}, whole round", rnd.whole)]:
            used = ", ".join(f"{role} {cores:.2f}" for role, cores in phase.cores.items())
            print(f"  CPU cores, {label} ({phase.wall:.1f} s): {used}")


def report_scan(rounds: dict[str, Round]) -> None:
    """Print the scan's OCR throughput alone and under load, and how much of each phase it covered."""
    alone, loaded = rounds["scan alone"].scan, rounds["loaded"].scan
    assert alone is not None and loaded is not None
    print(
        f"  OCR of the {alone.pages}-page scan (upload to ready): alone {alone.pages_per_second:.2f} pages/s "
        f"({alone.status}), loaded {loaded.pages_per_second:.2f} pages/s ({loaded.status}): "
        f"{ratio(loaded.pages_per_second, alone.pages_per_second)}"
    )
    shares = ", ".join(
        f"{name} {loaded.covered(phase):.0%}" for name, phase in rounds["loaded"].phases.items()
    )
    print(f"  share of each loaded phase run while the scan was being taken in: {shares}")


def report_memory(watch: ProcessWatch, hwm: dict[str, int]) -> None:
    """Print the peak resident memory of each process, and of what it started, in each round."""
    phases = ["setup", "unloaded", "scan alone", "loaded"]
    print(f"  {'peak RSS, MB':<34}" + "".join(f"{p:>11}" for p in phases) + f"{'VmHWM':>9}")
    seen = {label for peaks in watch.peaks.values() for label in peaks}
    for role in watch.roots:
        children = sorted(label for label in seen if label.startswith(role + " > "))
        for label in (role, role + " +children", *children):
            peaks = [watch.peaks.get(p, {}).get(label, 0) / 1024 for p in phases]
            if label in children and max(peaks) < 1:
                continue  # a child seen once, already gone
            cells = "".join(f"{peak:11.0f}" for peak in peaks)
            end = f"{hwm[label] / 1024:9.0f}" if label in hwm else ""
            print(f"  {label[:34]:<34}{cells}{end}")
    print("  (setup: the sign-ins, 128 MiB of scrypt each, and publishing; +children: OCR, web processes)")


def verdict(ok: bool) -> str:
    """Return the word for a goal met or missed."""
    return "ok" if ok else "MISSED"


def report_goals(rounds: dict[str, Round], processes: int) -> None:
    """Print each goal of the issue with the figure measured and whether it is met."""
    copies = rounds["loaded"].phases["copies"]
    p99 = percentile(copies.seconds, 99) if not copies.failures else float("inf")
    print("  goals:")
    print(f"    copy ready p99 <= {COPY_P99:.0f} s under load: {p99:.1f} s  {verdict(p99 <= COPY_P99)}")
    for name in ("unloaded", "loaded"):
        search = rounds[name].phases["search"]
        rate, top = search.rate, percentile(search.seconds, 99)
        met = rate >= SEARCH_RATE and top <= SEARCH_P99 and not search.failures
        print(
            f"    search ({name}) >= {SEARCH_RATE:.0f} req/s with p99 <= {SEARCH_P99 * 1000:.0f} ms: "
            f"{rate:.0f} req/s, p99 {top * 1000:.0f} ms  {verdict(met)}; {limits(search, processes)}"
        )
    alone, loaded = rounds["scan alone"].scan, rounds["loaded"].scan
    assert alone is not None and loaded is not None
    share = loaded.pages_per_second / alone.pages_per_second
    others = [rounds[name].whole.cores.get("other work", 0.0) for name in ("scan alone", "loaded")]
    print(
        f"    OCR under load >= {OCR_RATIO}x alone: {share:.2f}x  {verdict(share >= OCR_RATIO)}; other work "
        f"on the machine: {others[0]:.2f} cores alone, {others[1]:.2f} loaded (a fair ratio needs them alike)"
    )
    for name in ("unloaded", "loaded"):
        pages = rounds[name].phases["page images"]
        p95 = percentile(pages.seconds, 95)
        print(
            f"    page image p95 <= {PAGE_P95 * 1000:.0f} ms ({name}): {p95 * 1000:.0f} ms  "
            f"{verdict(p95 <= PAGE_P95 and not pages.failures)}"
        )


def limits(search: Phase, processes: int) -> str:
    """Say what held the search pages back: full CPUs, the web process's one core (GIL), or neither."""
    cpus = os.cpu_count() or 1
    used = ", ".join(f"{role} {cores:.2f}" for role, cores in search.cores.items()) + f" of {cpus} cores"
    if sum(search.cores.values()) >= 0.85 * cpus:
        return f"{used}: the CPUs are full"
    if search.cores.get("serve", 0.0) >= 0.85 * max(processes, 1):
        return f"{used}: each web process is held to one core (the GIL)"
    return used


def report(rounds: dict[str, Round], watch: ProcessWatch, hwm: dict[str, int], processes: int) -> None:
    """Print every figure of one setup."""
    report_latencies(rounds["unloaded"], rounds["loaded"])
    report_scan(rounds)
    report_cpu(rounds)
    report_memory(watch, hwm)
    report_goals(rounds, processes)
