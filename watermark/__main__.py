"""Run the watermark command line: python -m watermark stamp|read|page."""

import os

# NumPy's BLAS starts a thread per core when imported (0.05-0.1 s of CPU) for matrix products
# the engine never makes; one thread is enough, and leaves the cores to the pages' measuring.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from watermark.cli import main  # noqa: E402 - after the setting above

raise SystemExit(main())
