"""A publication: Dublin Core with the BPS profile, and its printed holdings."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import CheckConstraint, ColumnElement, Date, ForeignKey, Index, String, Text, and_, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from library.models.base import Base, UTCDateTime, enum_values, utcnow
from library.models.office import Office


class AccessLevel(enum.StrEnum):
    """Who may read or receive a softcopy of a publication."""

    OPEN = "open"
    REGISTERED = "registered"
    RESTRICTED = "restricted"
    EMBARGOED = "embargoed"


def access_in_force(access_level: str, embargo_until: dt.date | None, today: dt.date) -> AccessLevel:
    """Return the access level in force today for a stored level: an embargo ends on its date."""
    level = AccessLevel(access_level)
    if level is AccessLevel.EMBARGOED and embargo_until and today >= embargo_until:
        return AccessLevel.OPEN
    return level


# The longest text each metadata field of `publication` holds: its column's length.
TEXT_LIMITS = {
    "title": 500,
    "alternative_title": 500,
    "abstract": 20000,
    "subject": 120,
    "publication_type": 120,
    "language": 20,
    "reference_period": 50,
    "katalog_bps": 40,
    "nomor_publikasi": 40,
    "issn": 20,
    "isbn": 20,
    "doi": 200,
}


class Publication(Base):
    """A statistical publication described in Dublin Core and the BPS profile."""

    __tablename__ = "publication"
    __table_args__ = (
        CheckConstraint(f"access_level IN ({enum_values(AccessLevel)})", name="access_level"),
        CheckConstraint("(access_level = 'embargoed') = (embargo_until IS NOT NULL)", name="embargo_date"),
        Index("ix_publication_katalog_bps", "katalog_bps"),
        Index("ix_publication_office_release", "issuing_office_id", "actual_release"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    alternative_title: Mapped[str] = mapped_column(String(500), default="")
    abstract: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(120), default="")
    # The controlled subject the text is (None: free text not merged into one yet).
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("subject_term.id", ondelete="SET NULL"), index=True
    )
    publication_type: Mapped[str] = mapped_column(String(120), default="")
    language: Mapped[str] = mapped_column(String(20), default="id")
    reference_period: Mapped[str] = mapped_column(String(50), default="")
    scheduled_release: Mapped[dt.date | None] = mapped_column(Date)
    actual_release: Mapped[dt.date | None] = mapped_column(Date)
    issuing_office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    katalog_bps: Mapped[str] = mapped_column(String(40), default="")
    nomor_publikasi: Mapped[str] = mapped_column(String(40), default="")
    issn: Mapped[str] = mapped_column(String(20), default="")
    isbn: Mapped[str] = mapped_column(String(20), default="")
    # A DOI the office registered for it ("10.<digits>/..."), stored without "https://doi.org/".
    doi: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The persistent identifier, "<prefix>/<number>" (library.models.identifier mints it on
    # insert): never changed, never given to another publication, relative to the base URL.
    identifier: Mapped[str | None] = mapped_column(String(120), unique=True)
    access_level: Mapped[str] = mapped_column(String(20), default=AccessLevel.OPEN.value)
    embargo_until: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Raised by every change of the row: an edit made on an older version is refused, not lost.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # A withdrawn publication is hidden from the public (catalogue, search, reader) and shown to
    # harvesters as a deleted record; the row stays, so it can be restored.
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    withdrawal_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # When a librarian made it public. None: a draft (an upload waiting for review), shown to
    # librarians only, like a withdrawn one, and never to harvesters.
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __mapper_args__ = {"version_id_col": version}

    issuing_office: Mapped[Office] = relationship(lazy="joined")
    holdings: Mapped[list[Holding]] = relationship(back_populates="publication", cascade="all, delete-orphan")

    @property
    def year(self) -> int | None:
        """Return the release year (actual, else scheduled)."""
        date = self.actual_release or self.scheduled_release
        return date.year if date else None

    def effective_access(self, today: dt.date) -> AccessLevel:
        """Return the access level in force today: an embargo ends on its date."""
        return access_in_force(self.access_level, self.embargo_until, today)

    @property
    def withdrawn(self) -> bool:
        """Tell whether the publication is withdrawn from the public."""
        return self.withdrawn_at is not None

    def __init__(self, **values: Any) -> None:
        # Made in code (a catalogue loader, a test), a publication is public; the intake makes an
        # upload a draft by saying so (published_at=None).
        values.setdefault("published_at", utcnow())
        super().__init__(**values)

    @property
    def draft(self) -> bool:
        """Tell whether the publication waits for a librarian to publish it."""
        return self.published_at is None

    @property
    def hidden(self) -> bool:
        """Tell whether the public may not see it: a draft, or withdrawn."""
        return self.draft or self.withdrawn

    @classmethod
    def public(cls) -> ColumnElement[bool]:
        """Match the publications the public sees: published, and not withdrawn."""
        return and_(cls.published_at.is_not(None), cls.withdrawn_at.is_(None))


class PublicationChange(Base):
    """One field of a publication changed by someone: who, when, the value before and after.

    Values are kept as text the way the edit form shows them (dates as YYYY-MM-DD, the
    office by its code, the access level by its code); `version` is the publication's
    version the change made, so the fields saved together share it.
    """

    __tablename__ = "publication_change"
    __table_args__ = (Index("ix_publication_change_publication", "publication_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id", ondelete="CASCADE"))
    version: Mapped[int]
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # The person's name as it was then: the history reads the same after they rename or leave.
    changed_by_name: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")


class Holding(Base):
    """Printed copies of a publication in one place: its shelf mark, where it is, how it is read."""

    __tablename__ = "holding"
    __table_args__ = (CheckConstraint("copies BETWEEN 1 AND 999", name="copies"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id", ondelete="CASCADE"), index=True)
    call_number: Mapped[str] = mapped_column(String(100))
    location: Mapped[str] = mapped_column(String(200), default="")
    copies: Mapped[int] = mapped_column(default=1)
    reading_room_only: Mapped[bool] = mapped_column(default=True, server_default=true())
    note: Mapped[str] = mapped_column(String(500), default="", server_default="")

    publication: Mapped[Publication] = relationship(back_populates="holdings")
