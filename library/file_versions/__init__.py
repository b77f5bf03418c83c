"""File versions: a publication's file replaced by a corrected edition, the older ones kept.

- `history`: the current version, the next one recorded when an ingest finishes
  (`record_version`, `NewFile`), which version a file or a time names (`version_of_copy`,
  `version_at`) and whether a newer one exists (`newer_version`).
- `desk`: an old version left available to the public, or taken back (`check_version_public`).
- `read_models`: the history the publication page shows (`version_history`), the desk's
  page to replace the file (`replacement_page`).

The replacement itself is an intake (`library.intake.replacing`); deliveries and reading
sessions record the version they stamped or showed (`library.ledger`).
"""
