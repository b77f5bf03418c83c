"""The collection as a librarian runs it: controlled subjects, printed items, stock-taking."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from library.models.base import Base, UTCDateTime, enum_values, utcnow


class SubjectOrigin(enum.StrEnum):
    """Where a controlled subject comes from."""

    BPS = "bps"  # BPS's own subject list (the "Subjek" menu of its websites)
    OFFICE = "office"  # added by the office's librarians


class SubjectGroup(Base):
    """A group of BPS subjects, such as Sosial dan Kependudukan or Ekonomi dan Perdagangan."""

    __tablename__ = "subject_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)  # a slug: the OAI set's name
    name_id: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)

    terms: Mapped[list[SubjectTerm]] = relationship(back_populates="group", order_by="SubjectTerm.name_id")


class SubjectTerm(Base):
    """One controlled subject, in Indonesian and English, with BPS's id where it has one."""

    __tablename__ = "subject_term"
    __table_args__ = (CheckConstraint(f"origin IN ({enum_values(SubjectOrigin)})", name="origin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("subject_group.id"), index=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)  # a slug
    name_id: Mapped[str] = mapped_column(String(120), unique=True)
    name_en: Mapped[str] = mapped_column(String(120), default="")
    bps_id: Mapped[str] = mapped_column(String(20), default="")  # the subject's id in BPS's web API
    origin: Mapped[str] = mapped_column(String(10), default=SubjectOrigin.BPS.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[SubjectGroup | None] = relationship(back_populates="terms")


class SubjectAlias(Base):
    """A free-text variant merged into a controlled subject: later records typed so map to it."""

    __tablename__ = "subject_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("subject_term.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(120), unique=True)  # folded: lower case, single spaces
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class ItemStatus(enum.StrEnum):
    """Where a printed copy is."""

    SHELF = "shelf"  # on its shelf
    READING_ROOM = "reading_room"  # being read in the reading room
    MISSING = "missing"  # not found (a stock-taking, or reported)
    DAMAGED = "damaged"
    WITHDRAWN = "withdrawn"  # taken out of the collection


class ItemAction(enum.StrEnum):
    """What happened to an item (one row of its history)."""

    CREATED = "created"
    STATUS = "status"  # a librarian set its status
    USED = "used"  # read in the reading room (in-house use, counted by scanning it)
    SEEN = "seen"  # scanned during a stock-taking
    STOCKTAKE = "stocktake"  # its status set by closing a stock-taking


class StocktakeStatus(enum.StrEnum):
    """Where a stock-taking stands."""

    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class Item(Base):
    """One printed copy of a holding: its barcode, call number and status."""

    __tablename__ = "item"
    __table_args__ = (CheckConstraint(f"status IN ({enum_values(ItemStatus)})", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    holding_id: Mapped[int] = mapped_column(ForeignKey("holding.id", ondelete="CASCADE"), index=True)
    barcode: Mapped[str] = mapped_column(String(40), unique=True)
    call_number: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default=ItemStatus.SHELF.value)
    status_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(String(500), default="")

    events: Mapped[list[ItemEvent]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ItemEvent.id"
    )


class ItemEvent(Base):
    """One step of an item's history: what happened, the status it left, when, by whom."""

    __tablename__ = "item_event"
    __table_args__ = (
        CheckConstraint(f"action IN ({enum_values(ItemAction)})", name="action"),
        CheckConstraint(f"status IN ({enum_values(ItemStatus)})", name="status"),
        Index("ix_item_event_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    stocktake_id: Mapped[int | None] = mapped_column(ForeignKey("stocktake.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[Item] = relationship(back_populates="events")


class Stocktake(Base):
    """A stock-taking (stock opname) of one location, or of the whole collection."""

    __tablename__ = "stocktake"
    __table_args__ = (CheckConstraint(f"status IN ({enum_values(StocktakeStatus)})", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location: Mapped[str] = mapped_column(String(200), default="")  # a holding's location; "" all
    status: Mapped[str] = mapped_column(String(10), default=StocktakeStatus.OPEN.value)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")


class StocktakeScan(Base):
    """One barcode scanned in a stock-taking (each once): an item of the place, of another, or unknown."""

    __tablename__ = "stocktake_scan"
    __table_args__ = (UniqueConstraint("stocktake_id", "barcode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stocktake_id: Mapped[int] = mapped_column(ForeignKey("stocktake.id", ondelete="CASCADE"), index=True)
    barcode: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("item.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
