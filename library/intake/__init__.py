"""Intake: a file becomes a publication (upload, CSV batch, hot folder, command line, demo).

- `submit`: check a file, keep its master, queue the job (`check_submit`, `retry_job`); the
  engine's guards as refusals a person can act on (`inspect_source`, `IngestRefused`).
- `drafts`: the metadata a librarian, a CSV row or a file name gives (`check_draft`).
- `ingest_job`: the ingest job, OCR of image pages in parallel, its lease (`run_ingest`); its holder
  is named so a worker on the same machine can tell it has died (`library.lease_holders`).
  `ingest_files`: the files it makes from the source (a base without active content, the access
  copy).
- `recovery`: jobs nobody works on, queued again (`requeue_orphaned` at once when the holder
  on this machine has ended, `requeue_stalled` when the lease ran out).
- `csv_batch`: a CSV batch read as Excel saves it and checked whole (`read_batch`, `check_batch`).
- `publishing`: the publication, its files and page texts in one transaction (`do_publish`).
- `hot_folder`: files a scanner drops (`poll_hot_folder`); its look at a folder (`HotFolder`,
  `file_away`) serves the visitors' scans in its `pindai/` sub-folder too.
- `replacing`: a publication's file replaced by a corrected edition, its next version
  (`check_replace`), taken in as any file is.
- `read_models`: ingest jobs as the desk shows them (`list_jobs`, `get_job`).
"""
