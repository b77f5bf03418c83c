"""Operations: the alerts emailed to the administrators, at most once per setting's interval each."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from library.models.base import Base, UTCDateTime


class OperationsAlert(Base):
    """One alert condition (walk-in target missed, queue stuck, ...): when it was last emailed.

    Every process that checks the conditions claims the row with a conditional update, so one
    email goes out per interval however many processes see the condition.
    """

    __tablename__ = "operations_alert"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    first_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # since when it holds (this time)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    detail: Mapped[str] = mapped_column(Text, default="")  # what the last check said
    active: Mapped[bool] = mapped_column(default=True)
