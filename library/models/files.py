"""File assets: the stored files of a publication (master, access copy, thumbnail)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
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


class FileVersion(Base):
    """One edition of a publication's file: its master, the copy made from it, and why it came.

    Version 1 is the file a publication was taken in with; a librarian's replacement (a
    corrected edition, "Revisi: tabel 3.2 diperbaiki") adds the next number, which becomes
    current. Older versions stay in the store and in the ledger's rows; the public sees only
    their history unless a librarian makes one public.
    """

    __tablename__ = "file_version"
    __table_args__ = (
        UniqueConstraint("publication_id", "number"),
        CheckConstraint("number >= 1", name="number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    master_sha256: Mapped[str] = mapped_column(String(64))  # a folder of images: the folder's digest
    # The file copies and the reader are made from (the access copy, else the master PDF).
    copy_sha256: Mapped[str] = mapped_column(String(64), index=True)
    thumbnail_sha256: Mapped[str] = mapped_column(String(64), default="", server_default="")
    page_count: Mapped[int | None]
    original_name: Mapped[str] = mapped_column(String(255), default="", server_default="")
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # An old version the librarian chose to leave available to the public (never by default).
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
