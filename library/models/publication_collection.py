"""Collections of publications a librarian manages: a series, an office's collection, any other."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from library.models.base import Base, UTCDateTime, enum_values, utcnow
from library.models.office import Office


class CollectionKind(enum.StrEnum):
    """What holds a collection together."""

    SERIES = "series"  # the editions of one title ("... Dalam Angka"): chosen by a librarian
    OFFICE = "office"  # every publication its office issued: kept by the catalogue itself
    OTHER = "other"  # any other grouping a librarian chooses (a theme, an event)


class Collection(Base):
    """A named collection readers browse and follow (its page, its Atom feed, its OAI-PMH set).

    An office collection names its office and holds whatever that office issued, so it never
    goes stale; a series or another collection holds the publications a librarian added.
    """

    __tablename__ = "publication_collection"
    __table_args__ = (
        CheckConstraint(f"kind IN ({enum_values(CollectionKind)})", name="kind"),
        CheckConstraint("(kind = 'office') = (office_id IS NOT NULL)", name="office"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default=CollectionKind.SERIES.value)
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    office: Mapped[Office | None] = relationship()


class CollectionMember(Base):
    """A publication a librarian put in a series or another collection: when, and by whom."""

    __tablename__ = "collection_member"
    __table_args__ = (Index("ix_collection_member_publication", "publication_id"),)

    collection_id: Mapped[int] = mapped_column(
        ForeignKey("publication_collection.id", ondelete="CASCADE"), primary_key=True
    )
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publication.id", ondelete="CASCADE"), primary_key=True
    )
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
