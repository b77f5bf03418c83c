"""Intake: a file becomes a publication (upload, CSV batch, hot folder, command line, demo).

- `submit`: check a file, keep its master, queue the job (`check_submit`, `retry_job`); the
  engine's guards as refusals a person can act on (`inspect_source`, `IngestRefused`).
- `drafts`: the metadata a librarian, a CSV row or a file name gives (`check_draft`).
- `ingest_job`: the ingest job, OCR of image pages in parallel, its lease (`run_ingest`); its holder
  is named so a worker on the same machine can tell it has died (`library.lease_holders`).
- `recovery`: jobs nobody works on, queued again (`requeue_orphaned` at once when the holder
  on this machine has ended, `requeue_stalled` when the lease ran out).
- `csv_batch`: a CSV batch read as Excel saves it and checked whole (`read_batch`, `check_batch`).
- `publishing`: the publication, its files and page texts in one transaction (`do_publish`).
- `hot_folder`: files a scanner drops (`poll_hot_folder`); its look at a folder (`HotFolder`,
  `file_away`) serves the visitors' scans in its `pindai/` sub-folder too.
- `read_models`: ingest jobs as the desk shows them (`list_jobs`, `get_job`).

Other areas use only what this package exports.
"""

from library.intake.hot_folder import DONE, FAILED, SCANS, HotFolder, file_away
from library.intake.ingest_job import IngestWorker, run_ingest
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
