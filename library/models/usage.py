"""Usage of publications as COUNTER counts it: raw events for a while, then figures per office day.

`usage_event` keeps each view, read page and download as it happened, with a session key (a
signed-in person's id, or a keyed digest of the client's address and browser for the day: never
the address itself) and no user agent: known robots are left out before an event is kept.
`usage_day` holds, per publication and office day, what the COUNTER rules counted from those
events (double clicks once, unique sessions); raw events are pruned once their days are counted
and older than the retention (PUSTAKA_USAGE_KEEP_EVENTS_MONTHS).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from library.models.base import Base, UTCDateTime

SESSION_MAX = 32


class UsageEvent(Base):
    """One view, page shown or download of a publication, as it happened (before the COUNTER rules)."""

    __tablename__ = "usage_event"
    __table_args__ = (Index("ix_usage_event_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # view, page, download (library.usage.Kind)
    session: Mapped[str] = mapped_column(String(SESSION_MAX))  # user id or keyed digest, never an address
    page: Mapped[int] = mapped_column(default=0)  # the page shown (kind page), else 0


class UsageDay(Base):
    """What one publication's usage counted on one office day, by the COUNTER rules."""

    __tablename__ = "usage_day"

    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publication.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True, index=True)
    views: Mapped[int] = mapped_column(default=0)  # the publication's page opened (investigations)
    reads: Mapped[int] = mapped_column(default=0)  # sessions that were shown pages (requests)
    pages: Mapped[int] = mapped_column(default=0)  # pages shown, each page's double clicks once
    downloads: Mapped[int] = mapped_column(default=0)  # copies downloaded (requests)
    sessions: Mapped[int] = mapped_column(default=0)  # sessions with a read or download (unique requests)
