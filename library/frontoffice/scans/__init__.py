"""Printed pages scanned for a visitor: the upload, the stamped copy, the hot folder, the email, the lists.

A librarian scans pages for a walk-in visitor, by upload (`uploads`: `check_submit_scan`) or into
the hot folder's `pindai/` sub-folder named by ticket (`folder`); a job on the interactive lane
stamps the copy and records it in the ledger (`copies`: `run_visitor_scan`), and the visitor is
emailed when it is ready. A scan may also be offered to the collection as a new draft (`ingest`).
"""
