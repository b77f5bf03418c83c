"""PyMuPDF is loaded once, and no thread is handed the module before its import has finished."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]

# Eight threads ask for PyMuPDF at the same instant in a fresh interpreter, as the copy jobs of
# a worker that has just started do; each uses the module at once.
RACE = """
import threading
from watermark.pdf.mupdf import load_pymupdf

barrier = threading.Barrier(8)
failures = []

def use():
    barrier.wait()
    try:
        load_pymupdf().open  # a partially imported module has no `open` yet
    except AttributeError as error:
        failures.append(error)

threads = [threading.Thread(target=use) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(failures))
"""


def test_threads_loading_pymupdf_at_once_each_get_the_whole_module() -> None:
    for _ in range(3):
        run = subprocess.run(
            [sys.executable, "-c", RACE], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
        )
        assert run.stdout.strip() == "0", run.stdout + run.stderr
