"""Letting go of stamped copies nobody can download any more; the ledger keeps its row for good.

A stamped copy is stored to serve its download links. Once every link to it has expired or been
used up, and the office's retention (`PUSTAKA_KEEP_COPIES_DAYS` after delivery) has passed, the
file only takes space: a 100-page scan delivered 1,000 times is ~17 GB. Its ledger row stays
(recipient, time, the copy's sha256 and the marks it carried), which is all a trace of a leaked
copy needs: the marks are read off the leaked file itself and checked against the row and the key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select, union

from library.filestore import FileStore
from library.models import Delivery, Download, FileAsset, ScanDownload, SoftcopyRequest, VisitorScan
from library.models.delivery import SAME_DOWNLOAD
from library.uow import UnitOfWork

BATCH = 2000  # ledger rows read at a time: memory stays flat whatever the ledger's size


@dataclass(frozen=True)
class Pruned:
    """What a round of housekeeping let go of (or would, when only counting)."""

    copies: int = 0
    size: int = 0  # bytes


def _still_offered(now: dt.datetime) -> list[Select[Any]]:
    """Return, per kind of link (a request's, a scan's), the deliveries whose link can still be used.

    A link is usable while it has not expired and has downloads left, and also, its downloads used
    up, for SAME_DOWNLOAD after its last one: that download may be asked for again (a send that
    failed), and the page still offers it.
    """
    recent = now - SAME_DOWNLOAD
    offered: list[Select[Any]] = []
    for link, downloads, of_link in (
        (SoftcopyRequest, Download, Download.request_id),
        (VisitorScan, ScanDownload, ScanDownload.scan_id),
    ):
        live = (link.delivery_id.is_not(None), or_(link.expires_at.is_(None), link.expires_at > now))
        offered.append(select(link.delivery_id).where(*live, link.downloads < link.download_cap))
        offered.append(
            select(link.delivery_id).join(downloads, of_link == link.id).where(*live, downloads.at > recent)
        )
    return offered


def expired_copies(uow: UnitOfWork, store: FileStore, now: dt.datetime, keep: dt.timedelta) -> Iterator[str]:
    """Yield the digests of stored copies past the retention that no link can still download."""
    offered = union(*_still_offered(now)).subquery()
    masters = select(FileAsset.sha256)
    last = 0
    while True:
        rows = uow.session.execute(
            select(Delivery.id, Delivery.output_sha256)
            .where(
                Delivery.id > last,
                Delivery.delivered_at < now - keep,
                Delivery.delivery_id.not_in(select(offered.c.delivery_id)),
                Delivery.output_sha256.not_in(masters),  # never a publication's own file
            )
            .order_by(Delivery.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        for row in rows:
            if store.exists(row.output_sha256):
                yield row.output_sha256


def prune_copies(
    uow: UnitOfWork, store: FileStore, now: dt.datetime, keep: dt.timedelta, *, dry_run: bool = False
) -> Pruned:
    """Delete (unless `dry_run`) the stored copies no link can download any more; return what went."""
    copies = size = 0
    for digest in expired_copies(uow, store, now, keep):
        path = store.path_for(digest)
        try:
            size += path.stat().st_size
            if not dry_run:
                path.unlink()
        except FileNotFoundError:
            continue  # another worker's housekeeping took it a moment ago
        copies += 1
    return Pruned(copies, size)
