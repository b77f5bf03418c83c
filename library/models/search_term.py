"""What people searched for, counted per office day: the words only, never who or at what time."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from library.models.base import Base, UTCDateTime

TERM_MAX = 100  # longer searches are cut to this many characters before they are counted


class SearchTerm(Base):
    """How many times one search term was asked on one office-local day at one office's site."""

    __tablename__ = "search_term"
    __table_args__ = (CheckConstraint("searches >= 1", name="searches"),)

    office_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    term: Mapped[str] = mapped_column(String(TERM_MAX), primary_key=True)
    searches: Mapped[int] = mapped_column(default=1)


class SearchSeen(Base):
    """One client's counted search of one term on one day: the same client again is not counted again.

    The client is a keyed digest of its address and the day (`client`): it names no one, cannot
    be followed from one day to the next, and the rows of days gone by are dropped as new ones come.
    """

    __tablename__ = "search_seen"

    office_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    term: Mapped[str] = mapped_column(String(TERM_MAX), primary_key=True)
    client: Mapped[str] = mapped_column(String(32), primary_key=True)


class HiddenSearchTerm(Base):
    """A term the office keeps out of its "terms searched most" (spam, a word not fit to show)."""

    __tablename__ = "hidden_search_term"

    office_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    term: Mapped[str] = mapped_column(String(TERM_MAX), primary_key=True)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    hidden_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
