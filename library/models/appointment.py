"""Appointments: a visitor books a slot for a service online, and the kiosk turns its code into a ticket.

Each slot holds the office's capacity of seats, and a booking takes the lowest free seat under a
unique (service, day, start, seat): two visitors booking the last seat at once never both get it.
A booking is `booked` until the visitor arrives (the kiosk takes its code: `arrived`, its ticket
named) or cancels (`cancelled`, the seat free again); one not taken by its slot's start plus the
office's grace is a no-show, and its seat is released (counted as such, not written).
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from library.models.base import Base, UTCDateTime, enum_values, utcnow
from library.models.frontoffice import QueueService


class AppointmentStatus(enum.StrEnum):
    """Where a booking is."""

    BOOKED = "booked"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"


class Appointment(Base):
    """One booked slot for one service, by one visitor."""

    __tablename__ = "appointment"
    __table_args__ = (
        UniqueConstraint("service_id", "day", "starts", "seat"),
        CheckConstraint(f"status IN ({enum_values(AppointmentStatus)})", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("queue_service.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    starts: Mapped[dt.time] = mapped_column(Time)  # the office's local time the slot starts
    # The seat in the slot (1..capacity); a cancelled booking gives it up (seat 0 and its id: unique).
    seat: Mapped[int]
    code: Mapped[str] = mapped_column(String(12), unique=True)  # typed at the kiosk: "J7K-3PQ"
    token: Mapped[str] = mapped_column(String(64), unique=True)  # the booking's own page, to cancel
    status: Mapped[str] = mapped_column(String(10), default=AppointmentStatus.BOOKED.value)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    language: Mapped[str] = mapped_column(String(5), default="id")
    booked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    arrived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    service: Mapped[QueueService] = relationship()
