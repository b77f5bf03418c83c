"""Access copies for scans taken in before they were made: straight, lighter, stamped from then on.

Each scanned publication whose deliverable file is not yet an access copy gets one, drawn
from that file (its words come along from its text layer); the master is never touched.
Running it again finds nothing to do: a finished copy carries a marker in its document info.
The drawing runs outside any transaction; only recording the new file does.

Publications taken in before their pages' ink was measured at ingest get it measured here
(`do_measure_ink`), so their first copy does not have to; again, a second run finds nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ingest.access import build_access_copy, is_access_copy, is_scan
from ingest.errors import IngestError
from ingest.thumbnail import render_cover_from_path
from library.errors import NotFound
from library.filestore import FileStore
from library.ledger.deliveries import deliverable_file
from library.ledger.page_ink import measure_stored
from library.models import FileAsset, FileOrigin, FileRole, FileVersion
from library.uow import UnitOfWork
from watermark.errors import WatermarkError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AccessCopyResult:
    """What happened to one scanned publication: built (with sizes), or why not."""

    publication_id: int
    outcome: str  # "built" | "current" (already an access copy) | "not_a_scan" | "failed"
    pages: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    detail: str = ""


def scanned_publications(uow: UnitOfWork) -> list[int]:
    """Return the ids of publications whose master is a scan, in id order."""
    return list(
        uow.session.scalars(
            select(FileAsset.publication_id)
            .where(FileAsset.role == FileRole.MASTER.value, FileAsset.origin == FileOrigin.SCANNED.value)
            .distinct()
            .order_by(FileAsset.publication_id)
        )
    )


def do_build_access_copies(
    session_factory: sessionmaker[Session], store: FileStore, publication_ids: list[int] | None = None
) -> Iterator[AccessCopyResult]:
    """Give every scanned publication (or those named) an access copy; yield each one's outcome."""
    if publication_ids is None:
        with UnitOfWork(session_factory) as uow:
            publication_ids = scanned_publications(uow)
    for publication_id in publication_ids:
        yield _one(session_factory, store, publication_id)


def _one(session_factory: sessionmaker[Session], store: FileStore, publication_id: int) -> AccessCopyResult:
    """Build and record the access copy of one publication, unless it has one."""
    with UnitOfWork(session_factory) as uow:
        try:
            current = deliverable_file(uow, publication_id)
        except NotFound as exc:
            return AccessCopyResult(publication_id, "failed", detail=str(exc))
        sha256, size, name = current.sha256, current.size_bytes, current.original_name
    source = store.path_for(sha256)
    if is_access_copy(source):
        return AccessCopyResult(publication_id, "current", bytes_before=size, bytes_after=size)
    if not is_scan(source):
        return AccessCopyResult(publication_id, "not_a_scan", bytes_before=size)
    with TemporaryDirectory(prefix=f"pustaka-access-{publication_id}-") as tmp:
        target = Path(tmp) / "access.pdf"
        try:
            pages = build_access_copy(source, target)
        except IngestError as exc:
            return AccessCopyResult(publication_id, "failed", bytes_before=size, detail=str(exc))
        access = store.put_file(target)
        thumbnail = store.put_bytes(render_cover_from_path(target))
    _measure(store, publication_id, access.sha256)
    with UnitOfWork(session_factory) as uow:
        # Added, not swapped: the newest access copy is the one copies and the reader use,
        # and the older file stays on record for the deliveries already made from it.
        existing = set(
            uow.session.execute(
                select(FileAsset.role, FileAsset.sha256).where(FileAsset.publication_id == publication_id)
            ).all()
        )
        rows = [
            FileAsset(
                publication_id=publication_id,
                sha256=access.sha256,
                role=FileRole.ACCESS.value,
                media_type="application/pdf",
                size_bytes=access.size,
                page_count=len(pages),
                origin=FileOrigin.SCANNED.value,
                original_name=name,
            ),
            FileAsset(
                publication_id=publication_id,
                sha256=thumbnail.sha256,
                role=FileRole.THUMBNAIL.value,
                media_type="image/png",
                size_bytes=thumbnail.size,
            ),
        ]
        uow.session.add_all(row for row in rows if (row.role, row.sha256) not in existing)
        # The same version, drawn again: its copies and the reader are made from the new file now.
        uow.session.execute(
            update(FileVersion)
            .where(FileVersion.publication_id == publication_id, FileVersion.copy_sha256 == sha256)
            .values(copy_sha256=access.sha256, thumbnail_sha256=thumbnail.sha256)
        )
        uow.commit()
    return AccessCopyResult(publication_id, "built", len(pages), size, access.size)


@dataclass(frozen=True)
class InkResult:
    """What measuring one publication's pages for the stamp did."""

    publication_id: int
    outcome: str  # "measured" | "current" (every page was measured before) | "failed"
    pages: int = 0  # pages measured now
    detail: str = ""


def deliverable_publications(uow: UnitOfWork) -> list[int]:
    """Return the ids of publications that have a PDF to make copies from, in id order."""
    return list(
        uow.session.scalars(
            select(FileAsset.publication_id)
            .where(
                FileAsset.role.in_([FileRole.ACCESS.value, FileRole.MASTER.value]),
                FileAsset.media_type == "application/pdf",
            )
            .distinct()
            .order_by(FileAsset.publication_id)
        )
    )


def do_measure_ink(
    session_factory: sessionmaker[Session], store: FileStore, publication_ids: list[int] | None = None
) -> Iterator[InkResult]:
    """Measure and keep the ink of every page copies are stamped on, unless kept; yield each outcome."""
    if publication_ids is None:
        with UnitOfWork(session_factory) as uow:
            publication_ids = deliverable_publications(uow)
    for publication_id in publication_ids:
        with UnitOfWork(session_factory) as uow:
            try:
                sha256 = deliverable_file(uow, publication_id).sha256
            except NotFound as exc:
                yield InkResult(publication_id, "failed", detail=str(exc))
                continue
        try:
            measured = measure_stored(store, sha256)
        except WatermarkError as exc:
            yield InkResult(publication_id, "failed", detail=str(exc))
            continue
        yield InkResult(publication_id, "measured" if measured else "current", measured)


def _measure(store: FileStore, publication_id: int, sha256: str) -> None:
    """Measure a new access copy's pages for the stamp now; if that fails, the first copy does."""
    try:
        measure_stored(store, sha256)
    except WatermarkError as exc:
        log.warning("The pages of publication %s could not be measured: %s", publication_id, exc)
