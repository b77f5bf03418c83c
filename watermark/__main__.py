"""Run the watermark command line: python -m watermark stamp|read|page."""

import gc
import os
import sys


def _run() -> int:
    """Run the command line; return its exit code."""
    # The cyclic collector runs every 2,000 new objects by default: eight passes (12 ms, 6 % of
    # a short stamp) while the engine's modules load, freeing 168 objects in all (as many for
    # 5,000 pages: a page leaves no cycles). Every 100,000 it still runs, so cyclic garbage
    # stays bounded; a 5,000-page stamp never gets that far.
    gc.set_threshold(100_000, 10, 10)
    # NumPy's BLAS starts a thread per core when imported (0.05-0.1 s of CPU) for matrix
    # products the engine never makes: one thread leaves the cores to the pages' measuring.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from watermark.pdf import lean_pikepdf

    # A command's pikepdf is its compiled core and what a stamp calls (0.05-0.1 s less to start);
    # the rest of it is loaded when something first asks for it.
    lean_pikepdf.install()
    from watermark.cli import main  # after the setting: NumPy reads it when first imported

    return main(exits_at_once=True)  # the process ends below without tearing anything down


code = _run()  # every file it wrote is closed, every process it forked ended
try:
    sys.stdout.flush()
except BrokenPipeError:  # the output's reader has gone (`| head -1`)
    from watermark.cli import closed_pipe

    code = closed_pipe()
try:
    sys.stderr.flush()
except BrokenPipeError:  # `2>&1 | head -1`: nothing more can be said
    pass
# Tearing the interpreter down (its modules, a large document's objects) costs about 0.1 s
# that nobody waits for: the command has answered.
os._exit(code)
