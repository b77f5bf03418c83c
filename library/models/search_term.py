"""What people searched for, counted per office day: the words only, never who or at what time."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from library.models.base import Base

TERM_MAX = 100  # longer searches are cut to this many characters before they are counted


class SearchTerm(Base):
    """How many times one search term was asked on one office-local day at one office's site."""

    __tablename__ = "search_term"
    __table_args__ = (CheckConstraint("searches >= 1", name="searches"),)

    office_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    term: Mapped[str] = mapped_column(String(TERM_MAX), primary_key=True)
    searches: Mapped[int] = mapped_column(default=1)
