"""Printed pages a librarian scans for a walk-in visitor, stamped for them and handed over."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from library.models.base import Base, UTCDateTime, enum_values, utcnow
from library.models.frontoffice import Ticket, Visit


class ScanStatus(enum.StrEnum):
    """Where a visitor's scan stands."""

    QUEUED = "queued"  # the stamped copy is being made
    READY = "ready"  # stamped, in the ledger, offered to the visitor
    FAILED = "failed"  # the copy could not be made; a librarian can try again


class ScanChannel(enum.StrEnum):
    """How the scanned pages arrived."""

    UPLOAD = "upload"  # the librarian's form
    HOT_FOLDER = "hot_folder"  # the scanner's folder, the file named with the ticket's code


class VisitorScan(Base):
    """One scan of printed pages for one visit: its master, its stamped copy and its link.

    The master (a file, or the page images of one scan) is kept unchanged in the file store.
    The same master twice for one visit is one scan.
    """

    __tablename__ = "visitor_scan"
    __table_args__ = (
        UniqueConstraint("visit_id", "source_sha256", name="uq_visitor_scan_visit_source"),
        CheckConstraint(f"status IN ({enum_values(ScanStatus)})", name="status"),
        CheckConstraint(f"channel IN ({enum_values(ScanChannel)})", name="channel"),
        CheckConstraint("download_cap >= 1", name="download_cap"),
        CheckConstraint("downloads <= download_cap", name="downloads"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    # What was scanned, as the librarian typed it ("Kota Metro Dalam Angka 2019, hlm. 10-12").
    title: Mapped[str] = mapped_column(String(500))
    # The publication the pages come from, when the catalogue has it.
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("publication.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    # The master's digest (of the images' digests, in order, for several page images).
    source_sha256: Mapped[str] = mapped_column(String(64))
    source_kind: Mapped[str] = mapped_column(String(20))
    # [{"sha256": ..., "name": ..., "size": ...}] in page order; one entry unless page images.
    source_files: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    original_name: Mapped[str] = mapped_column(String(255))
    page_count: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default=ScanStatus.QUEUED.value, index=True)
    # Why the copy could not be made: a message of the catalogue and its values, shown translated.
    failure_reason: Mapped[str] = mapped_column(Text, default="")
    failure_params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The stamping job claims the scan for a lease, as copy jobs do, and gives up after a few tries.
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The claim's holder (`library.lease_holders`): a worker on the same machine can tell it ended.
    claimed_by: Mapped[str] = mapped_column(String(120), default="", server_default="")
    attempts: Mapped[int] = mapped_column(default=0)
    ready_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    delivery_id: Mapped[str | None] = mapped_column(String(32))
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    download_cap: Mapped[int] = mapped_column(default=3)
    downloads: Mapped[int] = mapped_column(default=0)
    # Offered for ingest while no publication is named; once sent, the ingest job it became.
    ingest_job_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_job.id", ondelete="SET NULL"))
    ingest_sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ingest_sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    visit: Mapped[Visit] = relationship()
    ticket: Mapped[Ticket | None] = relationship()


class ScanDownload(Base):
    """One download of a scan's stamped copy by the visitor's account (the scan counts them)."""

    __tablename__ = "visitor_scan_download"

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("visitor_scan.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    client_address: Mapped[str] = mapped_column(String(64), default="")
