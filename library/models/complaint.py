"""Complaints about the PST's services: the complaint, its append-only history and its attachments.

A complaint arrives from the public form or is entered by staff from the box at the PST, an
email or a WhatsApp message. The person follows it by its tracking code, a long random code
that is its only key on the public side. Its history is only ever appended to: each row says
what was done, the status it left, when and by whom.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from library.models.base import Base, UTCDateTime, enum_values, utcnow
from library.models.survey import ELEMENT_CODES


class ComplaintStatus(enum.StrEnum):
    """Where a complaint stands."""

    NEW = "new"  # received, nobody has taken it up yet
    IN_PROGRESS = "in_progress"  # staff are handling it
    ANSWERED = "answered"  # the answer is given to the person
    CLOSED = "closed"  # finished


class ComplaintAction(enum.StrEnum):
    """What someone did to a complaint (one row of its history)."""

    FILED = "filed"
    CLASSIFIED = "classified"  # the SKM element and service were set
    STARTED = "started"
    ANSWERED = "answered"
    CLOSED = "closed"


class ComplaintSource(enum.StrEnum):
    """How a complaint reached the office."""

    WEB = "web"  # the public form
    BOX = "box"  # the suggestion and complaint box at the PST
    EMAIL = "email"
    WHATSAPP = "whatsapp"


class ComplaintService(enum.StrEnum):
    """The service a complaint is about."""

    LIBRARY = "library"
    CONSULTATION = "consultation"
    SOFTCOPY = "softcopy"  # a softcopy or other online request
    OTHER = "other"


class Complaint(Base):
    """One complaint, its classification, its status and its answer."""

    __tablename__ = "complaint"
    __table_args__ = (
        CheckConstraint(f"status IN ({enum_values(ComplaintStatus)})", name="status"),
        CheckConstraint(f"source IN ({enum_values(ComplaintSource)})", name="source"),
        CheckConstraint(f"service IN ({enum_values(ComplaintService)})", name="service"),
        CheckConstraint(
            "element IS NULL OR element IN (" + ", ".join(f"'{c}'" for c in ELEMENT_CODES) + ")",
            name="element",
        ),
        Index("ix_complaint_office_received", "office_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)  # the tracking code, random
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    source: Mapped[str] = mapped_column(String(20))
    service: Mapped[str] = mapped_column(String(20))
    element: Mapped[str | None] = mapped_column(String(3))  # an SKM element's code, set by staff
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # who filed it, signed in
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # staff, for a box etc.
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintEvent.id"
    )
    attachments: Mapped[list[ComplaintAttachment]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintAttachment.position"
    )

    def record(
        self, action: ComplaintAction, at: dt.datetime, actor_id: int | None, note: str = ""
    ) -> ComplaintEvent:
        """Append what was done to the complaint's history, with the status it left; return the row."""
        event = ComplaintEvent(action=action.value, status=self.status, at=at, actor_id=actor_id, note=note)
        self.events.append(event)
        return event


class ComplaintEvent(Base):
    """One step in a complaint's history: what was done, the status after, when, by whom (never changed)."""

    __tablename__ = "complaint_event"
    __table_args__ = (
        CheckConstraint(f"action IN ({enum_values(ComplaintAction)})", name="action"),
        CheckConstraint(f"status IN ({enum_values(ComplaintStatus)})", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    complaint: Mapped[Complaint] = relationship(back_populates="events")


class ComplaintAttachment(Base):
    """One file sent with a complaint, kept in the file store under its sha256."""

    __tablename__ = "complaint_attachment"
    __table_args__ = (CheckConstraint("size_bytes >= 0", name="size"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=1)  # 1, 2, 3: its number in the links
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    original_name: Mapped[str] = mapped_column(String(255), default="")

    complaint: Mapped[Complaint] = relationship(back_populates="attachments")
