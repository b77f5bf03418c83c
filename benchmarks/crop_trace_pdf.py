"""The delivered PDFs' part of `benchmarks/crop_trace.py` (`--pdf`): crops and photographed prints
of delivered copies, traced by the tiled code on their pages. See that module for the figures.
"""

from __future__ import annotations

import argparse
import math
import random
import tempfile
import time
from pathlib import Path

from PIL import Image

from benchmarks._crop_common import BOOK, NOW, SCAN, Tally, random_name
from benchmarks._demo_instance import demo_instance
from benchmarks._photo import simulate_photo
from library.errors import NotFound
from library.filestore import FileStore
from library.ledger.deliveries import DeliveryOrder, Recipient, deliver_copy, deliverable_file, find_delivery
from library.ledger.tracing import trace_file
from library.models import DeliveryChannel, Publication
from library.permissions import SYSTEM
from library.uow import UnitOfWork
from watermark.marks.print_code import read_print_code


def deliver_copies(
    root: Path, count: int, rng: random.Random
) -> tuple[UnitOfWork, FileStore, list[str], list[bytes]]:
    """Take the book and the scan in, deliver `count` copies; return the store, the ids and the sources."""
    _, factory, store = demo_instance(root, [BOOK, SCAN])
    uow = UnitOfWork(factory)
    ids = []
    with uow:
        publications = [uow.session.query(Publication).filter_by(key=key).one().id for key in (BOOK, SCAN)]
        sources = [store.path_for(deliverable_file(uow, p).sha256).read_bytes() for p in publications]
        for n in range(count):
            order = DeliveryOrder(
                recipient=Recipient(random_name(rng), f"penerima{n}@example.id"),
                channel=DeliveryChannel.ONLINE,
                secret=b"rahasia-bench-crop",
                verify_base_url="https://pst.example.id/verifikasi",
                delivered_at=NOW,
            )
            record = deliver_copy(uow, store, SYSTEM, publications[n % len(publications)], order)
            ids.append(record.delivery_id)
        uow.commit()
    return uow, store, ids, sources


def quarter_crop(picture: Image.Image, rng: random.Random) -> Image.Image:
    """Return a region of at least a quarter of the picture, each side 36-100 % of its side, at random."""
    across = rng.uniform(0.36, 1.0)
    down = min(1.0, max(0.25 / across, rng.uniform(0.36, 1.0)))
    width, height = round(picture.width * across), round(picture.height * down)
    x, y = rng.randint(0, picture.width - width), rng.randint(0, picture.height - height)
    return picture.crop((x, y, x + width, y + height))


def rendered(data: bytes, rng: random.Random) -> tuple[int, Image.Image]:
    """Return a random page of a PDF (its number, from 1) rendered at 150 dpi in colour."""
    import pymupdf

    with pymupdf.open(stream=data) as document:
        index = rng.randrange(document.page_count)
        pixmap = document[index].get_pixmap(dpi=150, alpha=False)
        return index + 1, Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)


def pdf_main(args: argparse.Namespace) -> None:
    """Measure tracing crops and photographed prints of delivered PDFs by their tiled code."""
    rng = random.Random(args.seed)
    tallies = {"150 dpi": Tally(), "phone photo": Tally(), "no code (source pages)": Tally()}
    full = {"150 dpi": Tally(), "phone photo": Tally()}
    seconds: list[float] = []
    with tempfile.TemporaryDirectory(prefix="pustaka-crop-pdf-") as scratch:
        root = Path(scratch)
        uow, store, ids, sources = deliver_copies(root / "instance", args.copies, rng)
        with uow:
            copies = [store.path_for(find_delivery(uow, i).output_sha256).read_bytes() for i in ids]

        def named(picture: Image.Image) -> set[str]:
            return _named_by_code(uow, picture, seconds)

        for delivery_id, data in zip(ids, copies, strict=True):
            for _ in range(args.crops):
                page, picture = rendered(data, rng)
                crop = quarter_crop(picture, rng)
                for kind, shot in (("150 dpi", crop), ("phone photo", simulate_photo(crop, rng))):
                    got = named(shot)
                    _count(tallies[kind], got, delivery_id, f"{kind} crop {shot.size} of page {page}")
                    if full[kind].total < args.full:
                        _trace_whole(uow, root / "crop.png", shot, full[kind], delivery_id)
                    if args.keep and got != {delivery_id}:
                        args.keep.mkdir(parents=True, exist_ok=True)
                        shot.save(args.keep / f"{kind.replace(' ', '-')}-{delivery_id}-p{page}.png")
            print(
                f"  {delivery_id}: {tallies['150 dpi'].right + tallies['phone photo'].right} right so far",
                flush=True,
            )
        for data in sources:
            for _ in range(max(1, args.copies * args.crops // (2 * len(sources)))):
                _, picture = rendered(data, rng)
                crop = quarter_crop(picture, rng)
                for shot in (crop, simulate_photo(crop, rng)):
                    _count(tallies["no code (source pages)"], named(shot), None, "source page")
    _pdf_report(args, tallies, full, seconds)


def _pdf_report(
    args: argparse.Namespace, tallies: dict[str, Tally], full: dict[str, Tally], seconds: list[float]
) -> None:
    """Print the figures of the PDF crops."""
    seconds.sort()
    print(f"\nCrops of at least a quarter page of {args.copies} delivered copies ({args.crops} each)")
    for label, tally in tallies.items():
        if label.startswith("no code"):
            print(f"  {label:<44}{tally.total:>5} crops  named a delivery (WRONG): {tally.wrong}")
        else:
            print(tally.line(label))
    for label, tally in full.items():
        print(tally.line(f"whole trace (OCR and all), {label}"))
    print(
        f"  time to read a crop's code: median {seconds[len(seconds) // 2]:.2f} s,"
        f" p95 {seconds[min(len(seconds) - 1, math.ceil(0.95 * len(seconds)) - 1)]:.2f} s"
    )
    print("Goal: >= 95 % of crops traced right, 0 wrong; no code: none named.")


def _named_by_code(uow: UnitOfWork, picture: Image.Image, seconds: list[float]) -> set[str]:
    """Return the deliveries a picture's tiled code names in the ledger (timing the read)."""
    start = time.perf_counter()
    read = read_print_code(picture)
    seconds.append(time.perf_counter() - start)
    known = set()
    with uow:
        for delivery_id in read:
            try:
                known.add(find_delivery(uow, delivery_id).delivery_id)
            except NotFound:
                pass
    return known


def _trace_whole(uow: UnitOfWork, path: Path, shot: Image.Image, tally: Tally, delivery_id: str) -> None:
    """Trace a crop as a librarian's trace form does (OCR and all) and count what it names."""
    shot.save(path)
    with uow:
        report = trace_file(uow, path)
    by_trace = {d.record.delivery_id for d in report.deliveries if d.record is not None}
    _count(tally, by_trace, delivery_id, "whole trace of a crop")


def _count(tally: Tally, named: set[str], expected: str | None, what: str) -> None:
    """Add one crop's outcome to a tally; print a wrong one."""
    if expected is None:
        outcome = "wrong" if named else "right"
    else:
        outcome = "right" if named == {expected} else "wrong" if named else "none"
    setattr(tally, outcome, getattr(tally, outcome) + 1)
    if outcome == "wrong":
        print(f"  WRONG: {what} named {named} (expected {expected})")
