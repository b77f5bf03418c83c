"""The page-range copy case of benchmarks/stamp.py: old path against new, in one run.

    python benchmarks/stamp.py --copies [--copy-pages 2 50] [--repeats 9]

What is measured and why is told in benchmarks/stamp.py's docstring.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pikepdf

from benchmarks._common import OUT, publication
from library.filestore import FileStore
from library.ledger.page_ink import ink_path, load_ink, measure_stored
from watermark import Mark, new_delivery_id, stamp_pdf, stamp_pdf_bytes

SECRET = b"benchmark-secret"
ROOT = Path(__file__).resolve().parent.parent
DEMO_KEY = "metro-dalam-angka-2024"  # the demo catalogue's 60-page born-digital publication

# A first copy in a fresh process (a worker that just started): imports, font parsing and all.
_FRESH = """
import sys, time
start = time.process_time()
sys.path.insert(0, {root!r})
from datetime import UTC, datetime
from watermark import Mark, new_delivery_id, stamp_pdf_bytes
from watermark.ink.inkmap import InkMap
mark = Mark(delivery_id=new_delivery_id(), recipient_name="Ni Luh Putu Ayu Wulandari",
            recipient_email="ayu@example.id", office_name="BPS Kota Metro",
            request_number="PST/2025/0042", delivered_at=datetime.now(UTC))
ink = InkMap.from_bytes(open({kept!r}, "rb").read())
stamp_pdf_bytes({source!r}, mark, b"s", pages=tuple(range(1, {pages} + 1)), ink=ink)
print(time.process_time() - start)
"""


def _mark() -> Mark:
    return Mark(
        delivery_id=new_delivery_id(),
        recipient_name="Ni Luh Putu Ayu Wulandari",
        recipient_email="ayu.wulandari@gmail.com",
        office_name="BPS Kota Metro",
        request_number="PST/2025/0042",
        delivered_at=datetime.now(UTC),
    )


def demo_publication() -> Path:
    """Return the demo catalogue's 60-page publication as the generator makes it, cached."""
    import catalog_data
    from catalog_data.pdfgen import render_publication

    path = OUT / f"{DEMO_KEY}.pdf"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        record = next(r for r in catalog_data.load_demo_catalogue() if r.key == DEMO_KEY)
        path.write_bytes(render_publication(record))
    return path


def old_copy(store: FileStore, source: Path, pages: tuple[int, ...]) -> str:
    """The path before: the pages saved to a file, that file stamped to another, then stored."""
    part, stamped = store.root / "tmp" / "part.pdf", store.root / "tmp" / "stamped.pdf"
    with pikepdf.open(source) as pdf, pikepdf.new() as out:
        for number in pages:
            out.pages.append(pdf.pages[number - 1])
        out.save(part)
    stamp_pdf(part, stamped, _mark(), SECRET)
    stored = store.put_file(stamped)
    part.unlink()
    stamped.unlink()
    return stored.sha256


def new_copy(store: FileStore, sha256: str, pages: tuple[int, ...]) -> str:
    """The path now: the kept ink read, the pages taken and stamped in one pass, the file written once."""
    ink = load_ink(store, sha256)
    data, _ = stamp_pdf_bytes(store.path_for(sha256), _mark(), SECRET, pages=pages, ink=ink)
    return store.put_bytes(data).sha256


def _measure(action: Callable[[], object]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    return time.process_time() - cpu, time.perf_counter() - wall


def _fresh_cpu(store: FileStore, sha256: str, pages: int) -> float:
    source, kept = store.path_for(sha256), ink_path(store, sha256)
    code = _FRESH.format(root=str(ROOT), source=str(source), kept=str(kept), pages=pages)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main(copy_pages: list[int], repeats: int) -> None:
    """Print CPU and wall of both paths for each source and page count, with old/new ratios."""
    sources = {"demo 60 p.": demo_publication(), "500 p.": publication(500)}
    worst_small = 0.0
    with tempfile.TemporaryDirectory(prefix="pustaka-copies-") as tmp:
        store = FileStore(Path(tmp) / "files")
        (store.root / "tmp").mkdir(parents=True)
        stored = {label: store.put_file(source).sha256 for label, source in sources.items()}
        for label, sha256 in stored.items():  # as ingest does, once
            cpu, wall = _measure(lambda: measure_stored(store, sha256))  # noqa: B023
            print(f"{label}: its pages' ink measured once in {cpu:.3f} s CPU ({wall:.3f} s wall)")
        print(
            f"{'source':>10} {'pages':>5} {'old cpu':>8} {'new cpu':>8} {'old/new':>7} "
            f"{'old wall':>8} {'new wall':>8} {'old/new':>7}"
        )
        for label, source in sources.items():
            sha256 = stored[label]
            for count in copy_pages:
                pages = tuple(range(1, count + 1))
                old_copy(store, source, pages), new_copy(store, sha256, pages)  # warm both paths
                old, new = [], []
                for _ in range(repeats):  # alternate, so both meet the same machine load
                    old.append(_measure(lambda: old_copy(store, source, pages)))  # noqa: B023
                    new.append(_measure(lambda: new_copy(store, sha256, pages)))  # noqa: B023
                o_cpu, o_wall = (statistics.median(x) for x in zip(*old, strict=True))
                n_cpu, n_wall = (statistics.median(x) for x in zip(*new, strict=True))
                if count <= 5:
                    worst_small = max(worst_small, n_cpu)
                print(
                    f"{label:>10} {count:>5} {o_cpu:8.4f} {n_cpu:8.4f} {o_cpu / n_cpu:7.2f} "
                    f"{o_wall:8.4f} {n_wall:8.4f} {o_wall / n_wall:7.2f}"
                )
        print(f"(seconds, median of {repeats} alternating runs; old/new > 1 means the new path is cheaper)")
        demo = stored["demo 60 p."]
        fresh = {
            count: statistics.median(_fresh_cpu(store, demo, count) for _ in range(3)) for count in copy_pages
        }
    for count, seconds in fresh.items():
        print(f"first copy of {count} pages in a fresh process: {seconds:.3f} s CPU (imports included)")
    few = [count for count in copy_pages if count <= 5]
    if few:
        worst = max(worst_small, *(fresh[count] for count in few))
        print(
            f"a copy of a few pages, worst CPU {worst:.3f} s (target well under 1 s; "
            f"here < 0.5 s): {'ok' if worst < 0.5 else 'MISSED'}"
        )
