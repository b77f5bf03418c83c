"""File versions: a publication's file replaced by a corrected edition, the older ones kept.

Start at `history` (`record_version`, `version_at`): the current version, the next one recorded when
an ingest finishes, which version a file or a time names. A librarian may leave an old version
available to the public (`staff`); the publication page shows the history (`read_models`).

The replacement itself is an intake (`library.intake.replacing`); deliveries and reading sessions
record the version they stamped or showed (`library.ledger`).
"""
