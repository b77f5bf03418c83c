"""Benchmark the dot fingerprint: are pooled copies traced, is anybody else ever named, what does it cost?

    python benchmarks/collusion.py                    # 40 recipients, 30 pools of each kind
    python benchmarks/collusion.py --recipients 20 --pools 10 --dpi 100

Stamps one copy (2 pages of the demo-like publication of benchmarks/_common.py) for each of
`--recipients` people, renders them as a leaker would see them (grey, `--dpi`), then pools
copies in each way two or three recipients might (averaging their pictures, top half of one
and bottom of the other, a checkerboard of squares, the darker or lighter pixel of each,
whole pages from each, each then saved as JPEG at `--jpeg`) and traces every pooled copy
against all recipients. It prints, per attack: how often at least one colluder was named,
how often all of them, and how many innocent people were named (the goal: none, ever), with
the colluders' scores over the threshold; then the stamping cost with the dots against the
same copies without them, in the same run.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pymupdf  # noqa: E402
from PIL import Image  # noqa: E402

from benchmarks._common import OUT, publication  # noqa: E402
from watermark import Mark, new_delivery_id  # noqa: E402
from watermark.marks import fingerprint as fp  # noqa: E402
from watermark.stamping.copies import stamp_pdf_bytes  # noqa: E402

SECRET = b"benchmark-collusion-secret"
Page = np.ndarray


def mark(delivery_id: str) -> Mark:
    """Return a recipient's mark."""
    return Mark(
        delivery_id=delivery_id,
        recipient_name=f"Penerima {delivery_id[:4]}",
        recipient_email=f"{delivery_id.lower()}@example.id",
        office_name="BPS Kota Metro",
        request_number="PST/2026/0001",
        delivered_at=datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc),
    )


def pictures(data: bytes, dpi: int) -> list[Page]:
    """Return each page of a PDF rendered in grey."""
    with pymupdf.open(stream=data) as document:
        out = []
        for page in document:
            pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
            out.append(np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.width).copy())
        return out


def jpeg(page: Page, quality: int) -> Page:
    """Return a page after saving it as JPEG."""
    out = io.BytesIO()
    Image.fromarray(page).save(out, format="JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(out.getvalue())))


def halves(pages: list[Page]) -> Page:
    """Stack horizontal bands of the pages, one band from each."""
    bands = np.array_split(np.arange(pages[0].shape[0]), len(pages))
    return np.concatenate([page[band] for page, band in zip(pages, bands, strict=True)])


def checkerboard(pages: list[Page]) -> Page:
    """Take 64-pixel squares from each page in turn."""
    rows, columns = np.indices(pages[0].shape)
    choice = (rows // 64 + columns // 64) % len(pages)
    return np.choose(choice, pages)


ATTACKS: dict[str, Callable[[list[Page]], Page]] = {
    "average": lambda pages: (np.sum([p.astype(np.uint16) for p in pages], axis=0) // len(pages)).astype(
        np.uint8
    ),
    "bands": halves,
    "checkerboard": checkerboard,
    "darkest": lambda pages: np.minimum.reduce(pages),
    "lightest": lambda pages: np.maximum.reduce(pages),
}


def main() -> None:
    """Stamp, pool, trace and print the figures."""
    args = _arguments()
    rng = random.Random(args.seed)
    source = publication(8, OUT)
    print(
        f"Collusion benchmark: {args.recipients} recipients, {args.pools} pools per attack, "
        f"{args.dpi} dpi, JPEG q{args.jpeg}"
    )
    ids = [new_delivery_id() for _ in range(args.recipients)]
    copies = {d: pictures(stamp_pdf_bytes(source, mark(d), SECRET, pages=[2, 3])[0], args.dpi) for d in ids}
    heading = ("attack", "colluders", "one named", "all named", "innocents named", "best / threshold")
    print(
        f"{heading[0]:<14}"
        + "".join(f"{h:>{w}}" for h, w in zip(heading[1:], (10, 11, 11, 17, 18), strict=True))
    )
    innocents_named = sum(
        pooled_attack(name, attack, size, ids, copies, args, rng)
        for size in (2, 3)
        for name, attack in ATTACKS.items()
    )
    pages_taken = [copies[ids[0]][0], copies[ids[1]][1]]
    signal = fp.pooled(fp.read_page(jpeg(p, args.jpeg), SECRET) for p in pages_taken)
    named = {a.delivery_id for a in fp.accuse(signal, SECRET, ids)}
    two = set(ids[:2])
    print(f"whole pages from two copies: named {len(named & two)} of 2, innocents {len(named - two)}")
    print(f"innocents named in all: {innocents_named} (goal: 0)")
    with_dots, with_size = stamp_time(source)
    with mock.patch("watermark.stamping.stamper.dots_content", lambda *a, **k: b"% no dots\n"):
        without, without_size = stamp_time(source)
    print(
        f"stamping 8 pages: {with_dots * 1000:.1f} ms CPU with dots, {without * 1000:.1f} ms without: "
        f"{with_dots / without:.2f}x; file {with_size / 1024:.0f} KB / {without_size / 1024:.0f} KB"
    )


def _arguments() -> argparse.Namespace:
    """Return the command line's arguments."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--recipients", type=int, default=40)
    parser.add_argument("--pools", type=int, default=30, help="pooled copies per attack and colluder count")
    parser.add_argument("--dpi", type=int, default=150, help="resolution of the leaked pictures")
    parser.add_argument("--jpeg", type=int, default=75, help="JPEG quality the pooled pictures are saved at")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def pooled_attack(
    name: str,
    attack: Callable[[list[Page]], Page],
    size: int,
    ids: list[str],
    copies: dict[str, list[Page]],
    args: argparse.Namespace,
    rng: random.Random,
) -> int:
    """Pool `size` random copies by the attack, `--pools` times; print how well they are named.

    Return how many innocents were named.
    """
    one = every = wrong = 0
    ratios = []
    for _ in range(args.pools):
        colluders = rng.sample(ids, size)
        pooled = [jpeg(attack([copies[c][i] for c in colluders]), args.jpeg) for i in range(2)]
        signal = fp.pooled(fp.read_page(page, SECRET) for page in pooled)
        scores, threshold = fp.scores_of(signal, SECRET, ids)
        named = {d for d, s in zip(ids, scores, strict=True) if s > threshold}
        one += bool(named & set(colluders))
        every += set(colluders) <= named
        wrong += len(named - set(colluders))
        ratios.append(max(scores[ids.index(c)] for c in colluders) / threshold)
    print(
        f"{name:<14}{size:>10}{one / args.pools:>10.0%}{every / args.pools:>11.0%}{wrong:>17}"
        f"{statistics.median(ratios):>17.2f}x"
    )
    return wrong


def stamp_time(source: Path, repeats: int = 15) -> tuple[float, int]:
    """Return the median CPU time of stamping the whole publication, and the stamped file's size."""
    times, size = [], 0
    for _ in range(repeats):
        began = time.process_time()
        data, _ = stamp_pdf_bytes(source, mark(new_delivery_id()), SECRET)
        times.append(time.process_time() - began)
        size = len(data)
    return statistics.median(times), size


if __name__ == "__main__":
    main()
