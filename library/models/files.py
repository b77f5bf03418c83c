"""File assets: the stored files of a publication (master, access copy, thumbnail)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from library.models.base import Base, UTCDateTime, enum_values, utcnow
from library.models.publication import Publication


class FileRole(enum.StrEnum):
    """What a stored file is for."""

    MASTER = "master"
    ACCESS = "access"
    THUMBNAIL = "thumbnail"


class FileOrigin(enum.StrEnum):
    """How the content of a file came to be."""

    BORN_DIGITAL = "born_digital"
    SCANNED = "scanned"
    MIXED = "mixed"


class FileAsset(Base):
    """One file of a publication, held in the content-addressed store by its sha256."""

    __tablename__ = "file_asset"
    __table_args__ = (
        UniqueConstraint("publication_id", "role", "sha256"),
        CheckConstraint(f"role IN ({enum_values(FileRole)})", name="role"),
        CheckConstraint(f"origin IS NULL OR origin IN ({enum_values(FileOrigin)})", name="origin"),
        CheckConstraint("size_bytes >= 0", name="size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(20))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    page_count: Mapped[int | None]
    origin: Mapped[str | None] = mapped_column(String(20))
    original_name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    publication: Mapped[Publication] = relationship()
