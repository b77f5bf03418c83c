"""Which file version a delivery stamped or a reading session showed, and whether a newer one exists.

Rows written since migration 0046 carry their version. Older rows are never rewritten (the
ledgers' triggers refuse an UPDATE): their version is read from the file a copy was stamped
from, else from the version that was current when the row was written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from library.file_versions.history import VersionNote, newer_version, version_at, version_of_copy
from library.uow import UnitOfWork


@dataclass(frozen=True)
class StampedVersion:
    """The version a ledger row names, and the publication's newer current version, if any."""

    number: int | None = None  # None: a visitor's scan, or a publication with no version
    newer: VersionNote | None = None


def stamped_version(
    uow: UnitOfWork,
    publication_id: int | None,
    recorded: int | None,
    when: dt.datetime,
    source_sha256: str = "",
) -> StampedVersion:
    """Return the version a ledger row names (recorded, else derived) and the newer one, if any."""
    if publication_id is None:
        return StampedVersion()
    number = recorded
    if number is None and source_sha256:
        number = version_of_copy(uow, publication_id, source_sha256)
    if number is None:
        number = version_at(uow, publication_id, when)
    return StampedVersion(number, newer_version(uow, publication_id, number))
