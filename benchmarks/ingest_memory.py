"""Peak memory of taking in the largest page images the limits accept, each in a process of its own.

    python -m benchmarks.ingest_memory [--side 17000] [--keep]

Each file is taken in as a job is (`check_submit`, then `run_ingest` with OCR) in a fresh
process, whose peak resident memory (VmHWM, as the kernel counts it) is read when it ends.
Baselines measured in the same run: the same process taking in a one-page A4 scan (what any
ingest costs), and MuPDF decoding the colour PNG whole into pixels (what any step that draws
it at full size costs).
Tesseract runs in processes of its own, on pages drawn at 40 Mpx at most (`Limits.ocr_pixels`).
Goal: every file within 1 GiB.

The files: a 17,000 x 17,000 colour PNG (289 Mpx, just under the 300 Mpx limit), the same
with transparency, in greyscale, and in 16-bit colour, and a two-page colour TIFF whose second
page is that large.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_MB = 1024

CHILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
kind, source = sys.argv[1], Path(sys.argv[2])
start = time.perf_counter()
if kind == "decode":
    import pymupdf
    pixmap = pymupdf.Pixmap(str(source))
    detail = f"{{pixmap.width}} x {{pixmap.height}}, {{pixmap.n}} channels"
else:
    from benchmarks.ingest import ingest_once
    steps = ingest_once(source)
    detail = f"taken in: job {{steps['job']:.1f}} s"
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec.
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({{"peak_mb": peak / 1024, "seconds": time.perf_counter() - start, "detail": detail}}))
"""


def make_files(folder: Path, side: int) -> dict[str, Path]:
    """Write the test files (a few are slow to write: 289 Mpx each)."""
    import numpy as np
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None
    rows = np.arange(side, dtype=np.uint32)[:, None]
    cols = np.arange(side, dtype=np.uint32)[None, :]
    red = ((rows * 7 + cols * 3) % 256).astype(np.uint8)  # colour everywhere, not a flat page
    green = ((rows // 64 * 40 + 120) % 256).astype(np.uint8).repeat(side, axis=1)
    blue = ((cols // 97 * 60 + 30) % 256).astype(np.uint8).repeat(side, axis=0)
    rgb = np.dstack([red, green, blue])
    files = {}
    files["colour PNG"] = folder / "colour.png"
    Image.fromarray(rgb, "RGB").save(files["colour PNG"], compress_level=1)
    files["colour PNG with transparency"] = folder / "rgba.png"
    alpha = np.full((side, side, 1), 255, np.uint8)
    alpha[: side // 4] = 128
    Image.fromarray(np.concatenate([rgb, alpha], axis=2), "RGBA").save(
        files["colour PNG with transparency"], compress_level=1
    )
    del alpha
    files["greyscale PNG"] = folder / "grey.png"
    Image.fromarray(red, "L").save(files["greyscale PNG"], compress_level=1)
    files["two-page colour TIFF"] = folder / "pages.tif"
    small = Image.fromarray(rgb[:3508, :2480], "RGB")
    small.save(
        files["two-page colour TIFF"],
        compression="tiff_deflate",
        save_all=True,
        append_images=[Image.fromarray(rgb, "RGB")],
        dpi=(300, 300),
    )
    del rgb, red, green, blue
    import pyvips

    files["16-bit colour PNG"] = folder / "rgb16.png"
    sixteen = pyvips.Image.new_from_file(str(files["colour PNG"])).cast("ushort", shift=True)
    sixteen.copy(interpretation="rgb16").pngsave(str(files["16-bit colour PNG"]), compression=1, bitdepth=16)
    files["A4 scan (baseline)"] = folder / "a4.png"
    Image.fromarray(np.full((3508, 2480), 235, np.uint8), "L").save(files["A4 scan (baseline)"])
    return files


def measure(kind: str, source: Path) -> dict[str, object]:
    """Run one ingest (or decode) in a fresh process and return its figures."""
    root = str(Path(__file__).resolve().parent.parent)
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=root), kind, str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        return {"error": lines[-1] if lines else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--side", type=int, default=17_000, help="side of the square images, in pixels")
    parser.add_argument("--keep", action="store_true", help="keep the files written (in benchmarks/out)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pustaka-memory-") as tmp:
        folder = Path("benchmarks/out/memory") if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        files = make_files(folder, args.side)
        print(f"files written in {time.perf_counter() - started:.0f} s ({args.side:,} px square)")
        base = measure("ingest", files.pop("A4 scan (baseline)"))
        decode = measure("decode", files["colour PNG"])
        print(f"{'file':<42}{'peak MB':>9}{'x A4':>7}{'x decode':>10}{'s':>7}  goal {GOAL_MB} MB")
        rows = [("A4 scan (baseline)", base), ("MuPDF decoding the colour PNG (baseline)", decode)]
        rows += [(name, measure("ingest", path)) for name, path in files.items()]
        failed = False
        for name, row in rows:
            if "error" in row:
                print(f"{name:<42}  failed: {row['error']}")
                failed = True
                continue
            peak = float(row["peak_mb"])  # type: ignore[arg-type]
            within = "" if name.endswith("(baseline)") else ("  ok" if peak <= GOAL_MB else "  OVER")
            failed |= within == "  OVER"
            print(
                f"{name:<42}{peak:>9.0f}{peak / float(base['peak_mb']):>7.2f}"  # type: ignore[arg-type]
                f"{peak / float(decode['peak_mb']):>10.2f}{float(row['seconds']):>7.1f}"  # type: ignore[arg-type]
                f"{within}  ({row['detail']})"
            )
        sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
