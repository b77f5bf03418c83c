"""Moving an instance onto another database and file store (`pustaka move`), nothing lost.

Also backing one up and restoring it: a whole instance (database, file store, keys) in one folder
with a manifest of checksums signed with the office's backup key, files encrypted with it; the
nightly run, and which backups a folder keeps. Start at `copying` for a move, `backups` (`make_backup`,
`restore_backup`) and `nightly` (`run_backup`) for backups.
"""
