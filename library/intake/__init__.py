"""Intake: a file becomes a publication (upload, CSV batch, hot folder, command line, demo).

A file is checked and its master kept, then a queued ingest job (OCR of image pages in parallel,
under a lease) makes its files and publishes the publication, its files and page texts in one
transaction; jobs nobody works on are queued again. Start at `submit` (`check_submit`), `ingest_job`
(`run_ingest`) and `publishing` (`do_publish`); a CSV batch is checked whole before anything is done.

A lease's holder is named so a worker on the same machine can tell it has died
(`library.lease_holders`). The hot folder's look at a folder (`HotFolder`, `file_away`) serves the
visitors' scans in its `pindai/` sub-folder too, and a corrected edition is taken in as any file is.
"""
