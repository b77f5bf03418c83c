"""Operations: the alerts emailed to the administrators, at most once per setting's interval each."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, String, Text
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


class BackupRun(Base):
    """One run of `pustaka backup` (the timer, by hand or from the admin page): what it made, how it went.

    Kept in the database, which every host reads, so /readyz, /metrics, the live page and the
    admin page of a web host that does not mount the backup folder still know the last good backup.
    """

    __tablename__ = "backup_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    ok: Mapped[bool | None] = mapped_column()  # None: still running (or died without a word)
    path: Mapped[str] = mapped_column(Text, default="")
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)  # what the backup holds
    written_bytes: Mapped[int] = mapped_column(BigInteger, default=0)  # written anew (not hard-linked)
    files: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    verified_ok: Mapped[bool | None] = mapped_column()
    kept_by: Mapped[str] = mapped_column(String(80), default="")  # the retention rules keeping it
    removed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # pruned by the retention policy
