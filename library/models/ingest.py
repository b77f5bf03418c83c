"""Ingest jobs, the OCR results they stage, and the text of every stored page."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from library.models.base import Base, UTCDateTime, enum_values, utcnow


class IngestStatus(enum.StrEnum):
    """Where an ingest job stands."""

    QUEUED = "queued"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class IngestChannel(enum.StrEnum):
    """How a file reached the library."""

    UPLOAD = "upload"
    CLI = "cli"
    CSV = "csv"
    HOT_FOLDER = "hot_folder"
    DEMO = "demo"


class PageSource(enum.StrEnum):
    """Where a page's text came from."""

    LAYER = "layer"
    OCR = "ocr"


class IngestJob(Base):
    """One source (a file, or a folder of page images) on its way to becoming a publication.

    The publication row is made only when the job succeeds, in the same transaction as its
    files and page texts; until then the job carries the metadata draft. The source's digest
    is unique: the same file twice is one job.
    """

    __tablename__ = "ingest_job"
    __table_args__ = (
        CheckConstraint(f"status IN ({enum_values(IngestStatus)})", name="status"),
        CheckConstraint(f"channel IN ({enum_values(IngestChannel)})", name="channel"),
        CheckConstraint("pages_done >= 0 AND pages_done <= pages_total", name="pages"),
        Index("ix_ingest_job_status_heartbeat", "status", "heartbeat_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source_kind: Mapped[str] = mapped_column(String(20))
    media_type: Mapped[str] = mapped_column(String(100))
    # [{"sha256": ..., "name": ..., "size": ...}] in page order; one entry unless a folder.
    source_files: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    original_name: Mapped[str] = mapped_column(String(255))
    channel: Mapped[str] = mapped_column(String(20))
    # Metadata given with the file (form or CSV row); suggestions fill what it leaves empty.
    draft: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    publication_id: Mapped[int | None] = mapped_column(
        ForeignKey("publication.id", ondelete="SET NULL"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default=IngestStatus.QUEUED.value)
    pages_total: Mapped[int] = mapped_column(default=0)
    pages_done: Mapped[int] = mapped_column(default=0)
    error_code: Mapped[str] = mapped_column(String(40), default="")
    error_message: Mapped[str] = mapped_column(Text, default="")
    error_params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str] = mapped_column(String(120), default="")
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class IngestPage(Base):
    """A page's OCR result kept while its job runs, so a restarted job skips finished pages."""

    __tablename__ = "ingest_page"

    job_id: Mapped[int] = mapped_column(ForeignKey("ingest_job.id", ondelete="CASCADE"), primary_key=True)
    page_number: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")
    # [[text, x0, y0, x1, y1], ...] in page points: the invisible text layer of the access copy.
    words: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)
    dpi: Mapped[int] = mapped_column(default=300)
    skew_degrees: Mapped[float] = mapped_column(default=0.0)
    confidence: Mapped[float] = mapped_column(default=0.0)


class PageText(Base):
    """The text of one page of a publication, from its text layer or from OCR."""

    __tablename__ = "page_text"
    __table_args__ = (
        CheckConstraint(f"source IN ({enum_values(PageSource)})", name="source"),
        CheckConstraint("page_number >= 1", name="page_number"),
    )

    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publication.id", ondelete="CASCADE"), primary_key=True
    )
    page_number: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10), default=PageSource.LAYER.value)
