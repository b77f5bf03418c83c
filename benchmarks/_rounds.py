"""The service benchmark's rounds: what the librarian and the readers do over HTTP, and the figures.

Each phase runs its clients in threads that start their measured part at once and records
the latency of every answer that succeeded, what failed, and the CPU each process used.
"""

from __future__ import annotations

import http.client
import json
import resource
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

from benchmarks._http import Browser, ClientError, form_value
from benchmarks._site import ProcessWatch, machine_busy_seconds

QUERIES = (
    "penduduk",
    "produksi padi",
    "inflasi",
    "tenaga kerja kota metro",
    "indeks harga konsumen",
    "pengangguran terbuka",
    "penduduk miskin lampung",
    "jumlah sekolah",
)
USE = "Tabel penduduk menurut kecamatan untuk penelitian migrasi."
KINDS = ("3 pages of 50", "whole 4-page", "whole 50-page")
FEW_PAGES, MANY_PAGES, PAGE_RANGE = 4, 50, "10-12"


# -- figures -----------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile (0-100) of the values, interpolated; NaN for none."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[round(q * 10) - 1]


@dataclass
class Phase:
    """One measured phase: the latencies of what succeeded, what failed, when, and the CPU used."""

    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    kinds: dict[str, list[float]] = field(default_factory=dict)
    start: float = 0.0
    end: float = 0.0
    cores: dict[str, float] = field(default_factory=dict)

    @property
    def wall(self) -> float:
        """Return how long the phase took."""
        return self.end - self.start

    @property
    def rate(self) -> float:
        """Return successes per second."""
        return len(self.seconds) / self.wall if self.wall else 0.0


@dataclass
class Scan:
    """A scan the librarian uploaded, followed on its job's progress poll."""

    pages: int
    queued: float = 0.0
    underway: float | None = None
    finished: float | None = None
    status: str = ""
    pages_done: int = 0  # at the last look

    @property
    def pages_per_second(self) -> float:
        """Return the pages taken in per second, from the upload to the job's end."""
        return self.pages / (self.finished - self.queued) if self.finished else float("nan")

    def covered(self, phase: Phase) -> float:
        """Return the share of a phase that ran while the scan was being taken in."""
        end = self.finished or time.perf_counter()
        inside = max(0.0, min(end, phase.end) - max(self.queued, phase.start))
        return inside / phase.wall if phase.wall else 0.0


@dataclass
class Round:
    """The phases of one round, the scan taken in during it if any, and the round measured whole."""

    phases: dict[str, Phase] = field(default_factory=dict)
    scan: Scan | None = None
    whole: Phase = field(default_factory=Phase)


def upload(librarian: Browser, path: Path, title: str) -> int:
    """Upload a file at the desk as an open publication; return its ingest job's number."""
    token = librarian.csrf_token("/meja/ingest/baru")
    fields = {"csrf_token": token, "title": title, "access_level": "open", "language": "id"}
    reply = librarian.post_files("/meja/ingest/baru", fields, "berkas", path.name, path.read_bytes())
    if reply.status != 303:
        raise ClientError(f"uploading {path.name}: {reply.status} {reply.text[:300]}")
    return int(urlsplit(reply.location).path.rstrip("/").rsplit("/", 1)[1])


def job_status(librarian: Browser, job_id: int) -> dict[str, object]:
    """Return the desk's progress poll of an ingest job."""
    reply = librarian.get(f"/meja/ingest/{job_id}/status.json")
    if reply.status != 200:
        raise ClientError(f"ingest job {job_id}: {reply.status}")
    body: dict[str, object] = json.loads(reply.body)
    return body


def publish(librarian: Browser, path: Path, title: str, timeout: float = 600) -> int:
    """Upload a publication at the desk, wait until it is taken in and publish it; return its number."""
    job_id = upload(librarian, path, title)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = job_status(librarian, job_id)
        if body["finished"]:
            if body["status"] != "ready" or not body["publication_id"]:
                raise ClientError(f"{title}: ingest ended {body['status']}")
            publication_id = int(str(body["publication_id"]))
            publish_draft(librarian, publication_id)
            return publication_id
        time.sleep(0.3)
    raise ClientError(f"{title}: not ready after {timeout:.0f} s")


def publish_draft(librarian: Browser, publication_id: int) -> None:
    """Publish a draft as the librarian does on its edit page: readers cannot see a draft (404)."""
    page = librarian.get(f"/meja/publikasi/{publication_id}/ubah")
    version, token = (form_value(page.text, name) for name in ("terbitkan-version", "csrf_token"))
    if page.status != 200 or version is None or token is None:
        raise ClientError(f"publication {publication_id}: no publish form on its edit page ({page.status})")
    fields = {"csrf_token": token, "terbitkan-version": version}
    reply = librarian.post_form(f"/meja/publikasi/{publication_id}/terbitkan", fields)
    if reply.status != 303:
        raise ClientError(f"publishing publication {publication_id}: {reply.status} {reply.text[:300]}")


class ScanWatch(threading.Thread):
    """Upload a scan and follow its ingest on the desk's progress poll until it ends."""

    def __init__(self, librarian: Browser, path: Path, pages: int, title: str, timeout: float) -> None:
        super().__init__(name="scan-watch", daemon=True)
        self.scan = Scan(pages)
        self.job_id = upload(librarian, path, title)
        self.scan.queued = time.perf_counter()
        self.librarian, self.timeout = librarian, timeout
        self.underway = threading.Event()
        self.start()

    def run(self) -> None:
        """Poll twice a second; note when OCR is under way and when the job ends."""
        try:
            while time.perf_counter() - self.scan.queued < self.timeout:
                body = job_status(self.librarian, self.job_id)
                now, self.scan.pages_done = time.perf_counter(), int(str(body["pages_done"] or 0))
                if self.scan.underway is None and body["status"] == "processing" and body["pages_done"]:
                    self.scan.underway = now
                    self.underway.set()
                if body["finished"]:
                    self.scan.finished, self.scan.status = now, str(body["status"])
                    return
                time.sleep(0.5)
            self.scan.status = "timed out"
        except (ClientError, OSError, http.client.HTTPException) as exc:
            self.scan.status = f"no progress poll: {exc}"
        finally:
            self.underway.set()


# -- the phases ----------------------------------------------------------------------------------
def measured(watch: ProcessWatch, action: Callable[[Phase], None]) -> Phase:
    """Run a phase, noting its time and the CPU cores used meanwhile by each process, by this client
    and by everything else on the machine (other work skews what a shared machine measures)."""
    roles = list(watch.roots)
    before = {role: watch.cpu_seconds(role) for role in roles}
    own, machine = _own_cpu(), machine_busy_seconds()
    phase = Phase(start=time.perf_counter())
    action(phase)
    phase.end = time.perf_counter()
    for role in roles:
        phase.cores[role] = (watch.cpu_seconds(role) - before[role]) / phase.wall
    phase.cores["this client"] = (_own_cpu() - own) / phase.wall
    busy = (machine_busy_seconds() - machine) / phase.wall
    phase.cores["other work"] = max(busy - sum(phase.cores.values()), 0.0)
    return phase


def _own_cpu() -> float:
    """Return the CPU time this process has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def together(count: int, work: Callable[[int, threading.Barrier], None], out: Phase) -> None:
    """Run `work(index, barrier)` in `count` threads that start their measured part at once.

    A client that fails is counted among the phase's failures; one failing before the start
    breaks the barrier, so the others do not wait for it forever.
    """
    barrier = threading.Barrier(count)

    def guarded(index: int) -> None:
        try:
            work(index, barrier)
        except threading.BrokenBarrierError:
            out.failures.append("did not start: another client failed first")
        except (ClientError, OSError, http.client.HTTPException) as exc:
            barrier.abort()
            out.failures.append(f"{type(exc).__name__}: {exc}")

    with ThreadPoolExecutor(count) as pool:
        list(pool.map(guarded, range(count)))


def read_pages(
    readers: list[Browser], publication_id: int, each: int, reading: float, *, lockstep: bool = False
) -> Callable[[Phase], None]:
    """Return a phase: every reader opens the reader and reads `each` page images, one after another.

    As in a browser: the reader page first (not counted among the pictures), then each picture,
    `reading` seconds apart (the time a person spends on a page; 0 asks back to back). Readers
    reading at once do not turn their pages in the same instant: their starts are spread evenly
    over one reading time, unless `lockstep` (all open the reader in one instant and turn
    together, a burst of every reader's page at each turn).
    """

    def phase(out: Phase) -> None:
        def read(index: int, barrier: threading.Barrier) -> None:
            first = index * each % MANY_PAGES + 1
            barrier.wait()
            if not lockstep:
                time.sleep(reading * index / len(readers))
            readers[index].get(f"/baca/{publication_id}?halaman={first}")
            for step in range(each):
                page = (index * each + step) % MANY_PAGES + 1
                began = time.perf_counter()
                reply = readers[index].get(f"/baca/{publication_id}/halaman/{page}.jpg")
                while reply.status == 503:  # still being rendered: asked again, as the reader's page does
                    time.sleep(0.7)
                    reply = readers[index].get(f"/baca/{publication_id}/halaman/{page}.jpg")
                if reply.status == 200 and reply.content_type.startswith("image/"):
                    out.seconds.append(time.perf_counter() - began)
                else:
                    out.failures.append(f"page {page}: {reply.status}")
                time.sleep(reading)

        together(len(readers), read, out)

    return phase


def search_pages(url: str, connections: int, seconds: float) -> Callable[[Phase], None]:
    """Return a phase: `connections` keep-alive clients ask for search pages for `seconds`.

    Each client is another visitor: it names an address of its own behind the one proxy the site
    trusts (PUSTAKA_PROXY_COUNT=1), as the site's search budget (`webapp/search/budget.py`) rightly
    refuses one address asking dozens of searches a second.
    """
    clients = [
        Browser(url, headers={"X-Forwarded-For": f"10.20.{number // 256}.{number % 256}"})
        for number in range(connections)
    ]
    for number, client in enumerate(clients):  # open the connections; not measured
        client.get("/cari/?q=" + quote_plus(QUERIES[number % len(QUERIES)]))

    def phase(out: Phase) -> None:
        stop = time.perf_counter() + seconds

        def ask(index: int, barrier: threading.Barrier) -> None:
            barrier.wait()
            number = index
            while time.perf_counter() < stop:
                number += 1
                reply = clients[index].get("/cari/?q=" + quote_plus(QUERIES[number % len(QUERIES)]))
                if time.perf_counter() > stop:
                    break  # finished after the bell: not counted
                if reply.status == 200:
                    out.seconds.append(reply.seconds)
                else:
                    out.failures.append(f"search: {reply.status}")

        together(connections, ask, out)
        for client in clients:
            client.close()

    return phase


def ask_for_copies(
    readers: list[Browser], few: int, many: int, poll: float, timeout: float
) -> Callable[[Phase], None]:
    """Return a phase: every reader sends the request form at once, then watches the request's page."""

    def phase(out: Phase) -> None:
        def ask(index: int, barrier: threading.Barrier) -> None:
            kind = KINDS[index % len(KINDS)]
            publication_id = few if kind == KINDS[1] else many
            form = f"/katalog/{publication_id}/minta"
            fields = {
                "csrf_token": readers[index].csrf_token(form),
                "scope": "pages" if kind == KINDS[0] else "whole",
                "pages": PAGE_RANGE if kind == KINDS[0] else "",
                "purpose": "research",
                "intended_use": USE,
                "agreed": "y",
            }
            barrier.wait()
            start = time.perf_counter()
            reply = readers[index].post_form(form, fields)
            if reply.status != 303:
                out.failures.append(f"{kind}: the form answered {reply.status}")
                return
            outcome = watch_request(readers[index], urlsplit(reply.location).path, start, poll, timeout)
            if isinstance(outcome, str):
                out.failures.append(f"{kind}: {outcome}")
            else:
                out.seconds.append(outcome)
                out.kinds.setdefault(kind, []).append(outcome)

        together(len(readers), ask, out)

    return phase


def watch_request(reader: Browser, path: str, start: float, poll: float, timeout: float) -> float | str:
    """Poll a request's page until the copy is ready; return the seconds since `start`, or what went wrong."""
    while time.perf_counter() - start < timeout:
        page = reader.get(path).text
        if 'class="status status-ready"' in page:
            return time.perf_counter() - start
        if 'class="status status-failed"' in page:
            return "the copy failed"
        time.sleep(poll)
    return f"not ready after {timeout:.0f} s"
