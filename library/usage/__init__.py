"""Usage of publications, counted as the COUNTER Code of Practice (Release 5) says.

- `counting`: the rules, pure (`count_events`: double clicks within 30 seconds once, sessions
  of an hour, reads and unique requests; `Kind`, `Event`, `Figures`).
- `robots`: the COUNTER-Robots list (`load_robots`, `do_replace_robots`): robots are never counted.
- `recording`: events recorded where they happen, in memory and written in batches (`UsageTally`),
  a session key instead of who (`session_key`).
- `figures`: the figures per publication and office day, stored by the housekeeping
  (`do_count_usage`, `do_prune_events`) and read for any days (`usage_by_day`).
- `access_log`: a web server's access log (combined format) taken in by the same rules
  (`read_log`, `do_import_events`).
- `read_models`: what the publication page shows (`publication_usage`) and what reports group
  (`usage_per_publication`: per publication, and by any grouping of publications, such as their
  office or a collection).
"""
