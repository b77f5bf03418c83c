"""An office and its published service standards (standar pelayanan)."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from library.models.base import Base, enum_values


class ServiceKind(enum.StrEnum):
    """The PST services an office can publish a standard for."""

    LIBRARY = "library"
    CONSULTATION = "consultation"


class WalkInClock(enum.StrEnum):
    """When the walk-in service clock starts."""

    GUEST_BOOK = "guest_book"
    PREVIOUS_FINISHED = "previous_finished"


class Office(Base):
    """A BPS office (national, province or regency/municipality) running a PST unit."""

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(4), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    province: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")

    services: Mapped[list[ServiceStandard]] = relationship(
        back_populates="office", cascade="all, delete-orphan", order_by="ServiceStandard.position"
    )


class ServiceStandard(Base):
    """One service's published standard: its six public headings and its targets."""

    __tablename__ = "service_standard"
    __table_args__ = (
        UniqueConstraint("office_id", "kind"),
        CheckConstraint(f"kind IN ({enum_values(ServiceKind)})", name="kind"),
        CheckConstraint(
            f"walk_in_clock IS NULL OR walk_in_clock IN ({enum_values(WalkInClock)})",
            name="walk_in_clock",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    sk_number: Mapped[str] = mapped_column(String(200), default="")
    # The public headings as {"requirements": {"id": [...], "en": [...]}, ...}:
    # texts an office edits as a whole, never queried piece by piece.
    sections: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    walk_in_minutes: Mapped[int | None]
    walk_in_clock: Mapped[str | None] = mapped_column(String(20))
    online_working_days: Mapped[int | None]
    inactivity_close_days: Mapped[int | None]
    inactivity_close_working_days: Mapped[bool] = mapped_column(default=False)
    inactivity_close_automatic: Mapped[bool] = mapped_column(default=False)

    office: Mapped[Office] = relationship(back_populates="services")
    complaint_channels: Mapped[list[ComplaintChannel]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="ComplaintChannel.position"
    )


class ComplaintChannel(Base):
    """A way to complain about a service: box, web form, email, WhatsApp, LAPOR!."""

    __tablename__ = "complaint_channel"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service_standard.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(500))
    label_en: Mapped[str] = mapped_column(String(500), default="")
    value: Mapped[str] = mapped_column(String(500), default="")

    service: Mapped[ServiceStandard] = relationship(back_populates="complaint_channels")
