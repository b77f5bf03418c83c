"""Attempts counted by the SQL rate limiter (sign-ins, registrations, reset requests)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from library.models.base import Base, UTCDateTime


class RateLimitHit(Base):
    """One counted attempt under one key."""

    __tablename__ = "rate_limit_hit"
    __table_args__ = (Index("ix_rate_limit_hit_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # 'action:kind:digest': client addresses and emails are kept only as digests.
    key: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
