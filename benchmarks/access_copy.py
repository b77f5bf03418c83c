"""Measure the access copies of scans: bytes per page before and after, and what building them costs.

    python benchmarks/access_copy.py [--demo N] [--synthetic-pages 4]

For each demo scanned publication (the first N) and a synthetic 300-dpi grey scan stored
losslessly (the kind delivered as 21.5 MB for 4 pages), it times what ingest does for a
scan: OCR, then either the old access copy (the master with invisible words) or the new one
(each page drawn straight at 200 dpi), and reports their sizes. The baseline, measured in
the same run, is the OCR itself: the new step is reported as a share of it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def measure(name: str, master: Path, tmp: Path) -> dict[str, float | str]:
    """Take one scan through OCR and both kinds of access copy; return sizes and seconds."""
    from ingest.access import build_access_copy
    from ingest.ocr import ocr_pages
    from ingest.source import build_base_pdf, inspect
    from ingest.textlayer import add_text_layer

    facts = inspect(master)
    base = build_base_pdf(master, facts, tmp / "base.pdf")
    start = time.perf_counter()
    results = {r.page_number: r for r in ocr_pages(base, facts.image_pages)}
    ocr = time.perf_counter() - start
    words = {n: r.words for n, r in results.items()}
    start = time.perf_counter()
    add_text_layer(base, tmp / "old.pdf", words)
    old = time.perf_counter() - start
    start = time.perf_counter()
    pages = build_access_copy(base, tmp / "new.pdf", words, {n: r.skew_degrees for n, r in results.items()})
    new = time.perf_counter() - start
    count = facts.page_count
    return {
        "name": name,
        "pages": count,
        "master_kb": master.stat().st_size / count / 1024,
        "old_kb": (tmp / "old.pdf").stat().st_size / count / 1024,
        "new_kb": (tmp / "new.pdf").stat().st_size / count / 1024,
        "dpi": "/".join(sorted({str(p.dpi) for p in pages})),
        "ocr_s": ocr,
        "old_s": old,
        "new_s": new,
    }


def main() -> None:
    """Run the measurements and print one row per scan."""
    import catalog_data
    from tests.integration.ingest.scan_pages import grey_scan

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=int, default=12, help="how many demo scans (default: all 12)")
    parser.add_argument("--synthetic-pages", type=int, default=4)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        synthetic = tmp / "synthetic.pdf"
        grey_scan(synthetic, tuple((1.5, -2.0, 0.8, -1.2)[i % 4] for i in range(args.synthetic_pages)))
        rows.append(measure("synthetic 300-dpi grey (PNG)", synthetic, tmp))
        scans = [r for r in catalog_data.load_demo_catalogue() if r.scanned][: args.demo]
        for record in scans:
            path = tmp / f"{record.key}.pdf"
            path.write_bytes(catalog_data.render_demo_pdf(record))
            rows.append(measure(record.key, path, tmp))
    print(
        f"{'scan':40} {'pages':>5} {'master':>9} {'old acc.':>9} {'new acc.':>9} {'dpi':>7} "
        f"{'OCR s':>6} {'new s':>6} {'new/OCR':>7}"
    )
    for row in rows:
        print(
            f"{row['name']:40} {row['pages']:>5} {row['master_kb']:>7.0f}KB {row['old_kb']:>7.0f}KB "
            f"{row['new_kb']:>7.0f}KB {row['dpi']:>7} {row['ocr_s']:>6.1f} {row['new_s']:>6.1f} "
            f"{row['new_s'] / row['ocr_s']:>7.2f}"
        )


if __name__ == "__main__":
    main()
