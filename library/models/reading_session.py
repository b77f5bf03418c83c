"""The reading ledger: one append-only row for every time someone opens a publication to read."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from library.models.base import Base, UTCDateTime, utcnow


class ReadingSession(Base):
    """Who opened which publication in the reader, when, where and from which address.

    Every page picture of the session carries its `session_id` in its marks (the footer and
    the faint diagonal copies), so a screenshot or a crop of one names the reader. Rows are
    never updated or deleted: the migration installs database triggers that refuse both.
    """

    __tablename__ = "reading_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(String(16), unique=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id"), index=True)
    reader_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The walk-in visit of a reader at a library terminal; None online.
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), index=True)
    reader_name: Mapped[str] = mapped_column(String(200))
    reader_email: Mapped[str] = mapped_column(String(254), default="")
    place: Mapped[str] = mapped_column(String(200), default="")  # a terminal's name; "" online
    # The id minted for the browser session of a reader who is not signed in (open publications
    # only); "" for a signed-in reader or a terminal's visitor.
    anonymous_reader: Mapped[str] = mapped_column(String(16), default="", server_default="")
    office_code: Mapped[str] = mapped_column(String(4))
    client_address: Mapped[str] = mapped_column(String(64), default="")
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The file version whose pages the session showed (None in rows older than migration 0046:
    # the version current when the session started, read from the versions' dates).
    file_version: Mapped[int | None]
