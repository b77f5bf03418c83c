"""Benchmark the online reader's page pictures: CPU per page, and latency with ten readers at once.

    python benchmarks/reader.py [--readers 10] [--pages 30] [--threads 16] [--repeats 9]

Takes a 60-page born-digital demo publication into a fresh instance and prints:
1. the encodings measured on marked pages (a text page, a colour cover, a scan): CPU and size;
2. the CPU of one page on the old path (render, draw the mark afresh, encode WEBP method 4: no
   cache, as before) and on the new one (cached render, the mark drawn once and laid over, JPEG),
   and laying the mark and encoding against the way they were done before (`_reader_old_lay.py`);
3. p50/p95 of a page picture through a real waitress server with `--readers` readers reading
   at once, each reading `--pages` pages one after another: the old path, the new one with an
   empty cache and again with it warm, with the server's CPU per page, and the ratios.
Goal: p95 <= 150 ms for a page picture with ten readers at once.
"""

from __future__ import annotations

import argparse
import http.client
import io
import logging
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402
import waitress  # noqa: E402
from PIL import Image  # noqa: E402

import catalog_data  # noqa: E402
from benchmarks._demo_instance import demo_instance  # noqa: E402
from benchmarks._reader_load import PASSWORD, Reader, Run, free_port, print_runs, read_together  # noqa: E402
from benchmarks._reader_old_lay import old_lay_mark  # noqa: E402
from benchmarks._reader_old_path import old_draw_reader_mark, old_page_image, old_render_page  # noqa: E402
from library.accounts.users import check_create_user  # noqa: E402
from library.catalogue import reading  # noqa: E402
from library.catalogue.page_cache import PageCache  # noqa: E402
from library.catalogue.page_pictures import FORMAT, QUALITY, PagePictures  # noqa: E402
from library.ledger.deliveries import deliverable_file
from library.models import Publication, Role  # noqa: E402
from library.permissions import SYSTEM  # noqa: E402
from library.settings import Settings  # noqa: E402
from library.uow import UnitOfWork  # noqa: E402
from runtime.root import Runtime  # noqa: E402
from watermark.pictures.image import encode_jpeg, encode_picture, page_sizes, render_plain_page  # noqa: E402
from watermark.pictures.mark_overlay import reader_mark  # noqa: E402
from watermark.pictures.pages import pack, render_packed, unpack, without_colour  # noqa: E402
from webapp import create_app  # noqa: E402

BOOK = "metro-dalam-angka-2024"  # 60 born-digital pages, open to any registered reader
SCAN = "metro-direktori-pasar-2019"  # four scanned pages (rendered here, not taken in)
MARK = "Dibaca oleh Ni Luh Putu Ayu Wulandari <a***@g***.com> · BPS Kota Metro · 5 Maret 2025 14.05 WIB"
ENCODINGS: list[tuple[str, dict[str, object]]] = [
    ("JPEG q70", {"format": "JPEG", "quality": 70}),
    ("JPEG q80 Pillow", {"format": "JPEG", "quality": 80}),
    ("JPEG q90", {"format": "JPEG", "quality": 90}),
    ("JPEG q80 optimize", {"format": "JPEG", "quality": 80, "optimize": True}),
    ("JPEG q80 progressive", {"format": "JPEG", "quality": 80, "progressive": True}),
    ("WEBP q80 method 0", {"format": "WEBP", "quality": 80, "method": 0}),
    ("WEBP q80 method 2", {"format": "WEBP", "quality": 80, "method": 2}),
    ("WEBP q80 method 4 (old)", {"format": "WEBP", "quality": 80, "method": 4}),
    ("PNG", {"format": "PNG"}),
]


# -- the instance -------------------------------------------------------------------------------
def build_instance(root: Path, readers: int) -> tuple[int, Path]:
    """Take the demo book into a fresh instance, add the readers; return its id and file."""
    engine, factory, store = demo_instance(root, [BOOK])
    with UnitOfWork(factory) as uow:
        publication = uow.session.query(Publication).filter_by(key=BOOK).one()
        sha256 = deliverable_file(uow, publication.id).sha256
        publication_id = publication.id
        for number in range(readers):
            check_create_user(
                uow,
                SYSTEM,
                email=f"pembaca{number}@example.id",
                name=f"Pembaca Nomor {number}",
                roles=[Role.READER],
                password=PASSWORD,
                email_verified=True,
                now=datetime.now(timezone.utc),
            )
        uow.commit()
    engine.dispose()
    return publication_id, store.path_for(sha256)


# -- CPU of one page, in this process -----------------------------------------------------------
def cpu_ms(action: Callable[[], object], repeats: int) -> float:
    """Return the median CPU time of `action` in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def sample_pages(book: Path, scratch: Path) -> dict[str, Image.Image]:
    """Return plain renders of a text page, the colour cover and a scanned page."""
    scan = scratch / "scan.pdf"
    record = next(r for r in catalog_data.load_demo_catalogue() if r.key == SCAN)
    scan.write_bytes(catalog_data.render_demo_pdf(record))
    return {
        "text page": render_plain_page(book, 5, dpi=reading.READER_DPI),
        "cover": render_plain_page(book, 0, dpi=reading.READER_DPI),
        "scan": render_plain_page(scan, 1, dpi=reading.READER_DPI),
    }


def encoding_table(pages: dict[str, Image.Image], repeats: int) -> None:
    """Print CPU and size of each candidate encoding on each marked sample page."""
    print("\n1. Encodings of a marked page (A4 at 110 dpi): CPU ms / KB")
    names = list(pages)
    print(f"{'':24}" + "".join(f"{n:>20}" for n in names))
    marked = {}
    for name, plain in pages.items():
        page = without_colour(plain.copy())
        marked[name] = reader_mark(MARK, page.size).apply(page)
    for label, options in ENCODINGS:
        cells = []
        for name in names:

            def encode(picture: Image.Image = marked[name], options: dict[str, object] = options) -> bytes:
                """Encode the marked page with these options and return the bytes."""
                out = io.BytesIO()
                picture.save(out, **options)  # type: ignore[arg-type]
                return out.getvalue()

            cells.append(f"{cpu_ms(encode, repeats):8.1f} ms {len(encode()) / 1024:5.0f} KB")
        print(f"{label:24}" + "".join(f"{c:>20}" for c in cells))
    cells = []
    for name in names:  # the chosen one: libjpeg-turbo from the marked pixels, no picture object
        picture = marked[name]
        laid = np.asarray(picture).reshape(picture.height, picture.width, -1)

        def from_pixels(laid: npt.NDArray[np.uint8] = laid) -> bytes:
            """Encode the marked page's pixels as the reader does."""
            return encode_jpeg(laid, quality=QUALITY)

        cells.append(f"{cpu_ms(from_pixels, repeats):8.1f} ms {len(from_pixels()) / 1024:5.0f} KB")
    print(f"{'JPEG q80 pixels (chosen)':24}" + "".join(f"{c:>20}" for c in cells))
    modes = ", ".join(f"{n}: {'grey' if m.mode == 'L' else 'colour'}" for n, m in marked.items())
    print(f"(pages encoded as the new path keeps them: {modes})")


def page_cpu(book: Path, scratch: Path, repeats: int) -> tuple[float, float]:
    """Print the CPU of one page on the old and the new path; return both in ms."""
    cache = PageCache(scratch / "cpu-cache", 64 * 2**20)
    pictures = PagePictures(cache)
    index = 5
    cache.put("book", index, reading.READER_DPI, without_colour(render_plain_page(book, index)))
    old = cpu_ms(lambda: old_page_image(book, index, MARK), repeats)
    render = cpu_ms(lambda: render_plain_page(book, index), repeats)
    old_mark = cpu_ms(lambda: old_draw_reader_mark(render_plain_page(book, index), MARK), repeats) - render
    old_encode = old - render - old_mark
    read = cpu_ms(lambda: cache.get("book", index, reading.READER_DPI), repeats)
    page = cache.get("book", index, reading.READER_DPI)
    assert page is not None
    draw = cpu_ms(lambda: reader_mark(MARK, page.size), max(3, repeats // 3))
    mark = pictures.mark(MARK, page.size)
    lay = cpu_ms(lambda: mark.lay(page), repeats)
    laid = mark.lay(page)
    encode = cpu_ms(lambda: encode_jpeg(laid, quality=QUALITY), repeats)
    old_lay = cpu_ms(lambda: old_lay_mark(mark, page), repeats)
    pillow = (
        cpu_ms(lambda: encode_picture(old_lay_mark(mark, page), FORMAT, quality=QUALITY), repeats) - old_lay
    )
    new = cpu_ms(
        lambda: pictures.picture(book, "book", index, reading.READER_DPI, MARK), repeats
    )  # a cache hit with the mark already drawn: what each page costs
    miss = cpu_ms(lambda: render_packed(str(book), index, reading.READER_DPI, None), repeats)
    packing = cpu_ms(lambda: unpack(pack(page.picture())), repeats)
    print("\n2. CPU of one page (a text page, median ms)")
    print(f"   old: render {render:5.1f} + mark {old_mark:5.1f} + WEBP {old_encode:5.1f} = {old:6.1f}")
    print(
        f"   new: read cache {read:5.1f} + lay mark {lay:5.1f} + {FORMAT.upper()} {encode:5.1f}"
        f" = {new:6.1f} (whole call)   old/new {old / new:5.1f}x"
    )
    print(
        f"   laying the mark as it was {old_lay:5.1f} (min over channels, broadcast code, whole page"
        f" judged, a picture made for Pillow) + Pillow JPEG {pillow:5.1f}: lay now/then"
        f" {old_lay / lay:5.1f}x, encode {pillow / encode:4.1f}x"
    )
    print(
        f"   new, once per reader and minute: draw the mark {draw:5.1f}; once per page, in a worker"
        f" process: render {miss:5.1f} (+ pack and check {packing:5.1f})"
    )
    pictures.close()
    return old, new


# -- through a real server (the readers who load it, and the table: benchmarks/_reader_load.py) --
def serve(instance: Path, port: int, path: str, threads: int) -> None:
    """Serve the instance with waitress until interrupted (run in a child process by `main`)."""
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a queue is what is measured
    runtime = Runtime(Settings.from_env({}, instance_dir=instance))
    if path == "old":
        reading.render_page = old_render_page  # type: ignore[assignment]
        reading.prepare_reading = lambda *args, **kwargs: None  # the old path had nothing to start
    else:
        runtime.page_pictures.warm()
    try:
        waitress.serve(create_app(runtime), host="127.0.0.1", port=port, threads=threads, ident="bench")
    except KeyboardInterrupt:
        pass
    finally:
        runtime.close()


def start_server(instance: Path, path: str, threads: int) -> tuple[subprocess.Popen[bytes], int]:
    """Start a server child on a free port and wait until it answers."""
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(instance), "--port", str(port), "--path", path]
        + ["--threads", str(threads)]
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return child, port
        except OSError:
            time.sleep(0.2)
    child.kill()
    raise SystemExit("the server did not start")


def through_server(instance: Path, publication: int, total: int, args: argparse.Namespace) -> dict[str, Run]:
    """Return the runs: the old path, then the new one with an empty cache and warm."""
    runs: dict[str, Run] = {}
    plan = [("old", ["old path (no cache)"]), ("new", ["new path, cache empty", "new path, cache warm"])]
    for path, phases in plan:
        child, port = start_server(instance, path, args.threads)
        try:
            readers = [Reader(port, n) for n in range(args.readers)]
            time.sleep(1.0)  # let the render workers finish starting
            for phase in phases:
                runs[phase] = read_together(readers, publication, args.pages, total, child.pid)
        finally:
            child.send_signal(signal.SIGINT)  # waitress stops, the render workers with it
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                print(f"(the {path} path's server had not stopped 30 s after SIGINT: killed)")
                child.kill()
                child.wait()
    return runs


def main() -> None:
    """Measure and print the encodings, the CPU of a page and the latency through a server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--pages", type=int, default=30, help="pages each reader reads per phase")
    parser.add_argument("--threads", type=int, default=16, help="waitress threads (pustaka serve: 16)")
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--path", choices=["old", "new"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.path, args.threads)
        return
    print(f"load average at the start: {_load()} on {os.cpu_count()} cores (other work skews the times)")
    with tempfile.TemporaryDirectory(prefix="pustaka-reader-bench-") as tmp:
        root = Path(tmp)
        publication, book = build_instance(root / "instance", args.readers)
        total = len(page_sizes(book))
        encoding_table(sample_pages(book, root), args.repeats)
        page_cpu(book, root, args.repeats)
        print_runs(through_server(root / "instance", publication, total, args), args)
    print(f"load average at the end: {_load()}")


def _load() -> str:
    """Return the system's load averages over 1, 5 and 15 minutes."""
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


if __name__ == "__main__":
    main()
