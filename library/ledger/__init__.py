"""The delivery ledger: every stamped copy, who received it, and how a leaked copy is traced.

- `deliveries`: stamp a copy for one person and record it (`deliver_copy`; `deliver_file` for a
  stored PDF such as a visitor's scan, which may name no publication; both take a
  `DeliveryOrder`: who, how, which pages, what the mark says; `deliverable_file`).
- `copy_jobs`: the job that makes one such copy under a claim on its row, trying a passing
  fault again (`run_copy_job`, `CopyJob`); softcopy requests and visitors' scans both use it.
- `search`: the ledger as librarians read it (`search_ledger`, `ledger_records`).
- `page_ink`: each stored PDF's page ink, measured once and kept beside it for every copy after
  (`measure_stored`; `load_ink` and `keep_ink` for the copy being stamped).
- `tracing`: read every mark in a file and name its deliveries (`trace_file`).
- `verification`: is this QR code an authentic delivery? (`verify_copy`).
- `housekeeping`: let go of stored copies no link can download any more (`prune_copies`).
- `reading_sessions`: every opening of the reader, whose id its page pictures carry
  (`open_reading_session`, `reading_session_of`).
"""
