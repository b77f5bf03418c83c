"""The knowledge base: staff-written answers to common questions, published to everyone."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from library.models.base import Base, UTCDateTime, enum_values, utcnow


class KnowledgeStatus(enum.StrEnum):
    """Whether an entry is seen by everyone."""

    DRAFT = "draft"  # staff only
    PUBLISHED = "published"  # public page, site search, the consultation form


class KnowledgeEntry(Base):
    """One answer to a common question, often grown from a consultation that helped."""

    __tablename__ = "knowledge_entry"
    __table_args__ = (
        CheckConstraint(f"status IN ({enum_values(KnowledgeStatus)})", name="status"),
        Index("ix_knowledge_entry_status_published", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))  # the question, as people ask it
    answer: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    # The consultation it came from (staff see the link; the public never sees who asked).
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation.id", ondelete="SET NULL"), index=True
    )
    created_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    edited_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
