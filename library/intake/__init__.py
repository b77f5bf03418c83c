"""Intake: a file becomes a publication (upload, CSV batch, hot folder, command line, demo).

- `submit`: check a file, keep its master, queue the job (`check_submit`, `retry_job`); the
  engine's guards as refusals a person can act on (`inspect_source`, `IngestRefused`).
- `drafts`: the metadata a librarian, a CSV row or a file name gives (`check_draft`).
- `jobs`: the ingest job, OCR of image pages in parallel, leases (`run_ingest`,
  `requeue_stalled`).
- `publishing`: the publication, its files and page texts in one transaction (`do_publish`).
- `hot_folder`: files a scanner drops (`poll_hot_folder`); its look at a folder (`HotFolder`,
  `file_away`) serves the visitors' scans in its `pindai/` sub-folder too.
- `read_models`: ingest jobs as the desk shows them (`list_jobs`, `get_job`).

Other areas use only what this package exports.
"""

from library.intake.hot_folder import DONE, FAILED, SCANS, HotFolder, file_away
from library.intake.jobs import IngestWorker, run_ingest
from library.intake.submit import AlreadyIngested, IngestRefused, check_submit, ingest_limits, inspect_source

__all__ = [
    "DONE",
    "FAILED",
    "SCANS",
    "AlreadyIngested",
    "HotFolder",
    "IngestRefused",
    "IngestWorker",
    "check_submit",
    "file_away",
    "ingest_limits",
    "inspect_source",
    "run_ingest",
]
