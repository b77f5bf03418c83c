"""Benchmark the hostile set through a real server: its memory, and the readers' latency meanwhile.

    python -m benchmarks.hostile [--readers 10] [--pages 20] [--keep]

Starts `pustaka serve` on a fresh SQLite instance (its queue inside it; ingest in batch
children) with a librarian and `--readers` readers, takes in an ordinary 50-page publication
through the desk, then sends the hostile set as the audit did, each file through the desk's
upload (ingest), the reader (its first page picture, when it was taken in) and the desk's trace
form. The files are made here, not kept in the repository:
- poster.pdf: one page of 14,400 points square in a few hundred bytes (3.6 Gpx at 300 dpi);
- huge.png: a 17,000 x 17,000 colour PNG of about 1 MB (289 Mpx, under the 300 Mpx limit);
- many.pdf: 100,000 pages (16 MB);
- bomb.png: a 20,000 x 20,000 PNG (400 Mpx, past the limit);
- damaged.pdf: a PDF cut short.
Printed: time, status and the peak resident memory of `serve` alone and with the processes it
started, per step; the readers' page picture p50/p95 warm, quiet (the baseline measured in the
same run), while hostile traces, renders and a page scraper run, and after the set, with the
ratios; what the scraper was answered (the page quota's 429s).
Goals: `serve` under 500 MB through the set; a page picture p95 <= 150 ms warm, ten readers.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402

from benchmarks._common import OUT, publication  # noqa: E402
from benchmarks._http import Browser, ClientError  # noqa: E402
from benchmarks._measured import require_succeeded  # noqa: E402
from benchmarks._report import ratio  # noqa: E402
from benchmarks._rounds import (  # noqa: E402
    MANY_PAGES,
    Phase,
    job_status,
    measured,
    percentile,
    publish,
    publish_draft,
    read_pages,
    upload,
)
from benchmarks._site import ProcessWatch, Site, sqlite_setup  # noqa: E402
from benchmarks.service import LIBRARIAN, PASSWORD, prepare, sign_in_all  # noqa: E402

HOSTILE = OUT / "hostile"
SERVE_GOAL_MB, P95_GOAL_MS = 500, 150


@dataclass
class Step:
    """One hostile file through one path."""

    file: str
    path: str
    seconds: float
    outcome: str
    web_mb: float  # the largest web process (the requests are served there)
    tree_mb: float  # serve and every process it started: web, jobs, render workers, ingest children


# -- the hostile files -------------------------------------------------------------------------
def _raw_pdf(pages: int, side: int, content: bytes) -> bytes:
    """Write a PDF by hand: `pages` pages of `side` points square sharing one content stream."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Count {pages} /Kids [{kids}] >>".encode())
    objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    font = 4 + pages
    page = (
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {side} {side}] /Contents 3 0 R "
        f"/Resources << /Font << /F1 {font} 0 R >> >> >>"
    ).encode()
    objects += [page] * pages
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    body, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, item in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + item + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(body)


def hostile_files() -> dict[str, Path]:
    """Make the hostile set once (kept in benchmarks/out/hostile) and return it by name."""
    HOSTILE.mkdir(parents=True, exist_ok=True)
    makers: dict[str, Callable[[Path], None]] = {
        "poster.pdf": lambda p: p.write_bytes(
            _raw_pdf(1, 14_400, b"BT /F1 400 Tf 100 7000 Td (Poster) Tj ET")
        ),
        "huge.png": lambda p: Image.new("RGB", (17_000, 17_000), (250, 240, 200)).save(p),
        "many.pdf": lambda p: p.write_bytes(
            _raw_pdf(100_000, 595, b"BT /F1 12 Tf 72 720 Td (Halaman) Tj ET")
        ),
        "bomb.png": lambda p: Image.new("1", (20_000, 20_000), 1).save(p),
        "damaged.pdf": lambda p: p.write_bytes(
            _raw_pdf(3, 595, b"BT /F1 12 Tf 72 720 Td (Rusak) Tj ET")[:400]
        ),
    }
    files = {}
    for name, make in makers.items():
        path = HOSTILE / name
        if not path.exists():
            Image.MAX_IMAGE_PIXELS = None  # making the bomb is not opening one
            make(path)
        files[name] = path
    return files


# -- the steps ---------------------------------------------------------------------------------
def take_in(librarian: Browser, path: Path, timeout: float = 900) -> tuple[str, int | None]:
    """Upload a file at the desk and wait for its job to end; return its outcome and publication."""
    try:
        job_id = upload(librarian, path, f"Berkas uji {path.name}")
    except ClientError as exc:
        status = str(exc).split(":", 1)[-1].split()[:1]
        return f"refused at upload ({' '.join(status)})", None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = job_status(librarian, job_id)
        if body["finished"]:
            publication_id = body.get("publication_id")
            return str(body["status"]), int(str(publication_id)) if publication_id else None
        time.sleep(0.5)
    return "still running", None


def read_first_page(reader: Browser, publication_id: int) -> str:
    """Ask for the first page picture as the reader page does (again while 503); return the outcome."""
    reader.get(f"/baca/{publication_id}?halaman=1")
    for _ in range(120):
        reply = reader.get(f"/baca/{publication_id}/halaman/1.jpg")
        if reply.status != 503:
            return f"{reply.status} {reply.content_type.split(';')[0]} {len(reply.body) // 1024} KB"
        time.sleep(0.7)
    return "still 503"


def trace(librarian: Browser, path: Path) -> str:
    """Send a file to the desk's trace form; return the status and the size of the answer."""
    token = librarian.csrf_token("/meja/lacak")
    reply = librarian.post_files("/meja/lacak", {"csrf_token": token}, "berkas", path.name, path.read_bytes())
    return f"{reply.status}"


def step(watch: ProcessWatch, file: str, path: str, action: Callable[[], str]) -> Step:
    """Run one step in a phase of its own and note its time and serve's peak memory."""
    watch.phase = f"{file} {path}"
    watch.sample()
    began = time.perf_counter()
    outcome = action()
    seconds = time.perf_counter() - began
    watch.sample()
    peaks = watch.peaks.get(watch.phase, {})
    return Step(file, path, seconds, outcome, web_mb(peaks), peaks.get("serve +children", 0) / 1024)


def web_mb(peaks: dict[str, int]) -> float:
    """Return the largest web process's peak in a phase (`pustaka serve` names its children)."""
    return (
        max((kb for label, kb in peaks.items() if label.startswith("serve > pustaka web")), default=0) / 1024
    )


def scrape(reader: Browser, publication_id: int, stop: threading.Event, answers: dict[int, int]) -> None:
    """Ask for page pictures back to back, as a script taking a whole publication would."""
    page = 0
    while not stop.is_set():
        page = page % MANY_PAGES + 1
        reply = reader.get(f"/baca/{publication_id}/halaman/{page}.jpg")
        answers[reply.status] = answers.get(reply.status, 0) + 1


# -- the run -----------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> None:
    """Set the site up, run the set and the reader phases, print the figures."""
    instance = Path(tempfile.mkdtemp(prefix="pustaka-hostile-")) / "instance"
    files = hostile_files()
    site = Site(sqlite_setup(instance), {})
    try:
        emails, _ = prepare(site, args.readers + 1, catalogue=False)
        serve = ["serve", "--host", "127.0.0.1", "--port", str(site.port), "--no-demo"]
        site.start("serve", serve, site.answers)
        watch = ProcessWatch({"serve": site.processes["serve"].pid}, interval=0.1)
        watch.start()
        librarian = Browser(site.url)
        librarian.sign_in(LIBRARIAN, PASSWORD)
        ordinary = publish(librarian, publication(MANY_PAGES), "Berkas uji biasa")
        people = sign_in_all(site.url, emails)
        readers, scraper = people[: args.readers], people[-1]
        watch.phase = "idle"
        watch.sample()
        idle_mb = web_mb(watch.peaks["idle"])
        measured(watch, read_pages(readers, ordinary, args.pages, 0.0))  # renders every page once: warm
        quiet = measured(watch, read_pages(readers, ordinary, args.pages, args.reading))
        steps, taken = [], {}
        for name, path in files.items():
            outcome: list[int | None] = [None]

            def ingest(path: Path = path, outcome: list[int | None] = outcome) -> str:
                status, outcome[0] = take_in(librarian, path)
                if outcome[0] is not None and status == "ready":
                    try:
                        publish_draft(librarian, outcome[0])  # a draft answers readers 404
                    except ClientError as exc:
                        outcome[0] = None
                        return f"ready, not published ({exc})"
                return status

            steps.append(step(watch, name, "ingest", ingest))
            if outcome[0] is not None:
                taken[name] = outcome[0]
                steps.append(
                    step(watch, name, "reader", lambda pid=outcome[0]: read_first_page(readers[0], pid))
                )
            steps.append(step(watch, name, "trace", lambda path=path: trace(librarian, path)))
        during, scraped = busy_phase(watch, readers, scraper, librarian, ordinary, files, taken, args)
        watch.phase = "after"
        after = measured(watch, read_pages(readers, ordinary, args.pages, args.reading))
        watch.sample()
        watch.stop()
        reads = {"quiet": quiet, "during": during, "after": after}
        for name, phase in reads.items():
            require_succeeded(f"page images, {name}", len(phase.seconds), len(phase.failures))
        report(steps, idle_mb, watch, reads, scraped)
    finally:
        site.stop()
        site.remove(args.keep)


def busy_phase(
    watch: ProcessWatch,
    readers: list[Browser],
    scraper: Browser,
    librarian: Browser,
    ordinary: int,
    files: dict[str, Path],
    taken: dict[str, int],
    args: argparse.Namespace,
) -> tuple[Phase, dict[int, int]]:
    """Read while the poster and the 100,000 pages are traced, the poster drawn and a scraper runs."""
    stop, answers = threading.Event(), dict[int, int]()

    def hostile_load() -> None:
        while not stop.is_set():
            for name in ("poster.pdf", "many.pdf"):
                if not stop.is_set():
                    trace(librarian, files[name])
            if "poster.pdf" in taken and not stop.is_set():
                read_first_page(librarian, taken["poster.pdf"])

    watch.phase = "during"
    others = [
        threading.Thread(target=hostile_load, daemon=True),
        threading.Thread(target=scrape, args=(scraper, ordinary, stop, answers), daemon=True),
    ]
    for thread in others:
        thread.start()
    try:
        during = measured(watch, read_pages(readers, ordinary, args.pages, args.reading))
    finally:
        stop.set()
        for thread in others:
            thread.join(timeout=300)
    return during, answers


def report(
    steps: list[Step], idle_mb: float, watch: ProcessWatch, phases: dict[str, Phase], scraped: dict[int, int]
) -> None:
    """Print the steps, the memory and the readers' latency against the quiet baseline."""
    print("\n== The hostile set through `pustaka serve` (SQLite) ==")
    print(f"{'file':<13}{'path':<8}{'seconds':>9}  {'web MB':>8}{'all MB':>8}  outcome")
    for s in steps:
        print(f"{s.file:<13}{s.path:<8}{s.seconds:>9.1f}  {s.web_mb:>8.0f}{s.tree_mb:>8.0f}  {s.outcome}")
    print("(web: the largest web process; all: serve with every process it started, at its peak)")
    peak = max(web_mb(p) for p in watch.peaks.values())
    end = web_mb(watch.peaks.get("after", {}))
    programs: dict[str, int] = {}
    for peaks in watch.peaks.values():
        for label, kb in peaks.items():
            if label.startswith("serve > "):
                programs[label[8:]] = max(programs.get(label[8:], 0), kb)
    print(
        "Peak by program: " + ", ".join(f"{name} {kb / 1024:.0f} MB" for name, kb in sorted(programs.items()))
    )
    grown = ratio(peak, idle_mb)
    print(f"\nWeb process RSS: idle {idle_mb:.0f} MB, peak {peak:.0f} MB ({grown}), after {end:.0f} MB")
    quiet = phases["quiet"]
    print("\nPage pictures, warm, ten readers (ms):      p50     p95   vs quiet p95  failures")
    base = percentile(quiet.seconds, 95) * 1000
    for name, phase in phases.items():
        p50, p95 = percentile(phase.seconds, 50) * 1000, percentile(phase.seconds, 95) * 1000
        print(f"  {name:<40}{p50:>7.0f} {p95:>7.0f}   {ratio(p95, base):>11}  {len(phase.failures)}")
    print(f"\nScraper (pages back to back): {dict(sorted(scraped.items()))} (429: past the page quota)")
    worst = max(percentile(p.seconds, 95) for p in phases.values()) * 1000
    kept = "met" if peak < SERVE_GOAL_MB else "MISSED"
    print(f"\nGoal web process < {SERVE_GOAL_MB} MB: {kept} ({peak:.0f} MB)")
    verdict = "met" if worst <= P95_GOAL_MS else "MISSED"
    print(f"Goal p95 <= {P95_GOAL_MS} ms: {verdict} (worst phase {worst:.0f} ms)")
    print(f"(load average at the end {os.getloadavg()[0]:.2f})")


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=10, help="readers reading at once")
    parser.add_argument("--pages", type=int, default=20, help="pages each reader reads per phase")
    parser.add_argument("--reading", type=float, default=1.0, help="seconds a reader spends on a page")
    parser.add_argument("--keep", action="store_true", help="keep the instance folder")
    args = parser.parse_args()
    run(args)


if __name__ == "__main__":
    main()
