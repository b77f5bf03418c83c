"""Benchmark tracing a crop of a reader's page picture to its reading session.

    python benchmarks/crop_trace.py [--ids 24] [--crops 4] [--decoys 2000] [--seed 1] [--keep DIR]

Takes the born-digital demo book with tables into a fresh instance and records `--ids` reading
sessions of readers with random names (plus `--decoys` sessions of other readers, so a damaged
read has wrong ids to be mistaken for). For each session, `--crops` of the table regions below
are drawn at random; each one's page picture is drawn as the server draws it
(`reading.render_page` through `PagePictures`: the reader's footer, diagonal text and tiled
code, JPEG as sent); the region (700x500 pixels, shifted at random by up to 30) is cut out,
saved as PNG and traced as a librarian's trace form does (`library.ledger.tracing.trace_file`).
The regions are tables of born-digital pages and of two scanned pages (drawn through the same
functions; their sessions are recorded against the book).

Prints the share of crops traced to the right session, the share that named a WRONG session
(must be 0), the same shares among the crops holding a whole "ID …" run of a diagonal copy,
and the time per crop. `--keep DIR` keeps the crops not traced, to look at.

Figures (2 cores shared with other work, load 10-12; 24 ids x 4 regions = 96 crops, 2000 decoys):
- before (the copies read by Tesseract only, damaged reads matched to the ledger): 30.2 % traced
  right, 0 % wrong, 69.8 % none; of the 57 crops holding a whole "ID …" run, 35.1 % traced.
  Time per crop: median 20.5 s, p95 33.5 s.
- after (an invisible code of the id tiled every 192 pixels, `watermark/marks/tile_code.py`; the
  diagonal id read by its letters' shapes, `watermark/trace/diagonal_match.py`, Tesseract only when
  both fail): 100 % traced right, 0 % wrong (96 of 96; 53 of 53 holding a whole run). Time
  per crop: median 7.5 s, p95 15.2 s (most of it the OCR looking for a footer first).
- the diagonal text alone, after (`--ids 12 --seed 2`, 48 crops): 50 % traced right, 0 % wrong
  (the whole trace: 100 %; median 5.7 s, 1.8 s of CPU a crop). A crop often cuts every copy's
  "ID …" short (about 40 % hold none whole) or a table's ink hides part of it: the tiled code
  is what makes every crop traceable.

    python benchmarks/crop_trace.py --pdf [--copies 12] [--crops 4] [--full 3] [--seed 1]

measures delivered PDFs instead: the demo book and the scanned directory are taken in and
`--copies` copies delivered (`deliver_copy`, as the desk does) to random readers. For each copy,
`--crops` regions of at least a quarter of a page (each side 36-100 % of the page's) are cut
at random places of random pages rendered at 150 dpi, and each is read as it is and as a
simulated phone photo of a print (`benchmarks/_photo.py`: scale 0.85-1.15, each corner moved
up to 3 %, warm light falling off 8 %, grain, blur 0.6-1.2 px, JPEG q60). The id its tiled code
spells (`watermark.marks.print_code`) is looked up in the ledger as a trace does; the first `--full`
crops of each kind are traced whole (`trace_file`, OCR and all) too. Crops of the publications'
own pages (no code) must name nobody, and a copy's crop must never name another copy.

Figures (`--pdf`, 2 cores shared with other work):
- before (no code in a delivered copy's pages): a crop of the middle of a page, no footer, no
  QR, traced to nobody ("No mark of a known delivery was found").
- after (`--copies 16 --crops 5 --full 2 --seed 3`: 80 crops of each kind, 3 % yellow,
  convolutionally coded): 100 % traced right at 150 dpi and 100 % as phone photos, none wrong;
  80 crops of the publications' own pages named nobody; the whole trace (OCR and all) named
  the right delivery for the 2 + 2 crops it traced; reading a crop's code: median 0.42 s,
  p95 1.13 s. (`--copies 12 --crops 5 --seed 1`, the code before it was convolutionally coded:
  also 60 of 60 and 60 of 60.)
"""

from __future__ import annotations

import argparse
import io
import math
import random
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402

import catalog_data  # noqa: E402
from benchmarks._crop_common import BOOK, NOW, SCAN, Tally, random_name  # noqa: E402
from benchmarks._demo_instance import demo_instance  # noqa: E402
from library.catalogue import reading  # noqa: E402
from library.catalogue.page_cache import PageCache  # noqa: E402
from library.catalogue.page_pictures import PagePictures  # noqa: E402
from library.filestore import FileStore  # noqa: E402
from library.ledger.deliveries import deliverable_file
from library.ledger.reading_sessions import ReaderIdentity, open_reading_session
from library.ledger.tracing import trace_file  # noqa: E402
from library.models import (
    Publication,  # noqa: E402
)
from library.uow import UnitOfWork  # noqa: E402
from watermark.marks.diagonal_layout import id_runs  # noqa: E402

# Table regions (page, left, top) of 700x500 crops of the 910x1287 page pictures.
CROP = (700, 500)
BOOK_TABLES = (
    (5, 60, 220),
    (6, 90, 190),
    (7, 60, 230),
    (8, 60, 70),
    (9, 60, 240),
    (10, 60, 40),
    (11, 60, 220),
    (12, 60, 300),
    (13, 60, 200),
    (14, 60, 40),
    (14, 60, 300),
)
SCAN_TABLES = ((3, 90, 250), (4, 90, 260))
JITTER = 30


@dataclass(frozen=True)
class Reader:
    """A reader as the reader's pages name them."""

    name: str
    email: str


def build_instance(root: Path) -> tuple[UnitOfWork, FileStore, reading.ReadableCopy, Path]:
    """Take the demo book into a fresh instance; return a unit of work, the store, the book and the scan."""
    _, factory, store = demo_instance(root, [BOOK])
    scan = root / "scan.pdf"
    scan.write_bytes(
        catalog_data.render_demo_pdf(next(r for r in catalog_data.load_demo_catalogue() if r.key == SCAN))
    )
    uow = UnitOfWork(factory)
    with uow:
        publication = uow.session.query(Publication).filter_by(key=BOOK).one()
        source = deliverable_file(uow, publication.id)
        office = publication.issuing_office
        copy = reading.ReadableCopy(
            publication.id,
            publication.title,
            source.page_count,
            source.sha256,
            office.name,
            office.timezone,
            office.code,
        )
    return uow, store, copy, scan


def open_sessions(uow: UnitOfWork, copy: reading.ReadableCopy, readers: list[Reader]) -> list[str]:
    """Record a reading session for each reader; return their ids."""
    with uow:
        ids = [
            open_reading_session(
                uow, ReaderIdentity(r.name, r.email), copy.publication_id, copy.office_code, NOW
            ).session_id
            for r in readers
        ]
        uow.commit()
    return ids


def page_picture(
    pictures: PagePictures,
    store: FileStore,
    copy: reading.ReadableCopy,
    scan: Path,
    page: int,
    reader: Reader,
    session_id: str,
    *,
    scanned: bool,
) -> Image.Image:
    """Return a page picture as the server sends it (JPEG), decoded."""
    if scanned:
        mark = (
            reading.reader_mark_text(reader, copy.office_name, NOW, copy.timezone, "", session_id),
            reading.reader_diagonal_text(reader, session_id),
            session_id,
        )
        data = pictures.picture(scan, "scan", page - 1, reading.READER_DPI, mark)
    else:
        data = reading.render_page(pictures, store, copy, page, reader, NOW, "", session_id)
    return Image.open(io.BytesIO(data))


@dataclass
class Results:
    """What the crops gave: how each was traced, and the time and CPU each trace took."""

    every: Tally = field(default_factory=Tally)
    whole: Tally = field(default_factory=Tally)  # crops holding a whole "ID …" run
    diagonal: Tally = field(default_factory=Tally)  # by the diagonal text alone
    seconds: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Bench:
    """The instance the crops are cut from and traced in, and where crops not traced are kept."""

    root: Path
    uow: UnitOfWork
    store: FileStore
    copy: reading.ReadableCopy
    scan: Path
    pictures: PagePictures
    keep: Path | None


def main() -> None:
    """Run the benchmark and print its report."""
    args = _arguments()
    if args.pdf:
        from benchmarks.crop_trace_pdf import pdf_main

        pdf_main(args)
        return
    rng = random.Random(args.seed)
    regions = [(p, x, y, False) for p, x, y in BOOK_TABLES] + [(p, x, y, True) for p, x, y in SCAN_TABLES]
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    results = Results()
    with tempfile.TemporaryDirectory(prefix="pustaka-crop-") as scratch:
        root = Path(scratch)
        uow, store, copy, scan = build_instance(root / "instance")
        readers = [Reader(random_name(rng), f"pembaca{n}@example.id") for n in range(args.ids)]
        decoys = [Reader(random_name(rng), f"lain{n}@example.id") for n in range(args.decoys)]
        open_sessions(uow, copy, decoys[: args.decoys // 2])
        session_ids = open_sessions(uow, copy, readers)
        open_sessions(uow, copy, decoys[args.decoys // 2 :])
        pictures = PagePictures(PageCache(root / "pages", 256 * 2**20))
        bench = Bench(root, uow, store, copy, scan, pictures, args.keep)
        try:
            for reader, session_id in zip(readers, session_ids, strict=True):
                for region in rng.sample(regions, min(args.crops, len(regions))):
                    trace_crop(bench, reader, session_id, region, rng, results)
                print(
                    f"  {session_id} {reader.name!r}: {results.every.right}/{results.every.total} so far",
                    flush=True,
                )
        finally:
            pictures.close()
    report(args, results)


def _arguments() -> argparse.Namespace:
    """Return the command line's arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=24)
    parser.add_argument("--decoys", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--crops", type=int, default=4, help="table regions cropped per id, drawn at random")
    parser.add_argument("--keep", type=Path, help="keep the crops not traced in this folder")
    parser.add_argument("--pdf", action="store_true", help="crops of delivered PDFs, plain and photographed")
    parser.add_argument("--copies", type=int, default=12, help="--pdf: copies delivered")
    parser.add_argument(
        "--full", type=int, default=3, help="--pdf: crops of each kind traced whole (with OCR)"
    )
    return parser.parse_args()


def trace_crop(
    bench: Bench,
    reader: Reader,
    session_id: str,
    region: tuple[int, int, int, bool],
    rng: random.Random,
    results: Results,
) -> None:
    """Cut a region of a reader's page picture, shifted at random, trace it, and tally what it named."""
    page, left, top, scanned = region
    picture = page_picture(
        bench.pictures, bench.store, bench.copy, bench.scan, page, reader, session_id, scanned=scanned
    )
    x = min(max(0, left + rng.randint(-JITTER, JITTER)), picture.width - CROP[0])
    y = min(max(0, top + rng.randint(-JITTER, JITTER)), picture.height - CROP[1])
    box = (x, y, x + CROP[0], y + CROP[1])
    path = bench.root / "crop.png"
    picture.crop(box).save(path)
    start, cpu = time.perf_counter(), _cpu()
    with bench.uow:
        report = trace_file(bench.uow, path)
    results.seconds.append(time.perf_counter() - start)
    results.cpus.append(_cpu() - cpu)
    named = {d.session.session_id for d in report.deliveries if d.session is not None}
    holds = any(
        _inside(run, box) for run in id_runs(picture.size, reading.reader_diagonal_text(reader, session_id))
    )
    outcome = "right" if named == {session_id} else "wrong" if named else "none"
    by_text = {
        d.session.session_id
        for d in report.deliveries
        if d.session is not None and "diagonal_text" in d.evidence
    }
    text_outcome = "right" if by_text == {session_id} else "wrong" if by_text else "none"
    setattr(results.diagonal, text_outcome, getattr(results.diagonal, text_outcome) + 1)
    for tally in (results.every, results.whole) if holds else (results.every,):
        setattr(tally, outcome, getattr(tally, outcome) + 1)
    if outcome != "right" and bench.keep:
        kind = "scan" if scanned else "book"
        picture.crop(box).save(bench.keep / f"{outcome}-{session_id}-{kind}{page}-{x}-{y}.png")
    if outcome == "wrong":
        print(f"  WRONG: {session_id} ({reader.name}) crop {box} of page {page} named {named}")


def report(args: argparse.Namespace, results: Results) -> None:
    """Print the shares traced right, wrong and not at all, and the time and CPU per crop."""
    seconds = sorted(results.seconds)
    print(
        f"\nCrops of table regions ({CROP[0]}x{CROP[1]}), {args.ids} reading ids,"
        f" {args.decoys} decoy sessions"
    )
    print(results.every.line("all crops"))
    print(results.whole.line("crops holding a whole 'ID …' run"))
    print(results.diagonal.line("all crops, by the diagonal text alone"))
    median = seconds[len(seconds) // 2]
    p95 = seconds[min(len(seconds) - 1, math.ceil(0.95 * len(seconds)) - 1)]
    print(
        f"  time per crop: median {median:.2f} s, p95 {p95:.2f} s, mean {sum(seconds) / len(seconds):.2f} s"
    )
    print(f"  CPU per crop (Tesseract's included): mean {sum(results.cpus) / len(results.cpus):.2f} s")
    print("Goal: >= 90 % of crops traced right, 0 wrong.")


def _cpu() -> float:
    """Return the CPU seconds of this process and of the programs it ran (Tesseract)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _inside(run: tuple[tuple[float, float], ...], box: tuple[int, int, int, int]) -> bool:
    left, top, right, bottom = box
    return all(left <= x <= right and top <= y <= bottom for x, y in run)


if __name__ == "__main__":
    main()
