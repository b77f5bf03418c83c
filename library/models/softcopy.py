"""Softcopy requests: what an online user asked for, its decisions, and its downloads."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from library.models.base import Base, UTCDateTime, enum_values, utcnow


class RequestStatus(enum.StrEnum):
    """Where a softcopy request stands."""

    REVIEW = "review"  # a restricted item: waits for a librarian
    EMBARGO = "embargo"  # an embargoed item: waits for its release date
    APPROVED = "approved"  # the stamped copy is being made
    READY = "ready"  # the copy can be downloaded
    REFUSED = "refused"  # a librarian said no, with a reason
    FAILED = "failed"  # the copy could not be made; a librarian can try again


OPEN_STATUSES = (RequestStatus.REVIEW, RequestStatus.EMBARGO, RequestStatus.APPROVED, RequestStatus.FAILED)


class RequestScope(enum.StrEnum):
    """How much of a publication is wanted."""

    WHOLE = "whole"
    PAGES = "pages"


class SoftcopyRequest(Base):
    """One request for a stamped softcopy of one publication."""

    __tablename__ = "softcopy_request"
    __table_args__ = (
        CheckConstraint(f"status IN ({enum_values(RequestStatus)})", name="status"),
        CheckConstraint(f"scope IN ({enum_values(RequestScope)})", name="scope"),
        CheckConstraint("download_cap >= 1", name="download_cap"),
        CheckConstraint("downloads <= download_cap", name="downloads"),
        Index("ix_softcopy_request_user_submitted", "user_id", "submitted_at"),
        Index("ix_softcopy_request_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id"), index=True)
    # The walk-in visit it was asked for in (at a library terminal); None when asked online.
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), index=True)
    office_code: Mapped[str] = mapped_column(String(4))
    scope: Mapped[str] = mapped_column(String(10))
    page_ranges: Mapped[str] = mapped_column(String(200), default="")
    # The pages a librarian approved when narrowing the request; "" means the pages asked for.
    approved_ranges: Mapped[str] = mapped_column(String(200), default="", server_default="")
    tables_wanted: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(String(30))
    intended_use: Mapped[str] = mapped_column(Text)
    terms_accepted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    client_address: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    failure_reason: Mapped[str] = mapped_column(Text, default="")  # a message id, translated where shown
    failure_params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    # The copy job claims the request for a lease before stamping, so a slow copy is not
    # started again by recovery, and gives up (FAILED) after a few attempts.
    copy_claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The claim's holder (`library.lease_holders`): a worker on the same machine can tell it ended.
    copy_claimed_by: Mapped[str] = mapped_column(String(120), default="", server_default="")
    copy_attempts: Mapped[int] = mapped_column(default=0)
    delivery_id: Mapped[str | None] = mapped_column(String(32))
    ready_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    download_cap: Mapped[int] = mapped_column(default=3)
    # Raised by one conditional UPDATE at download time, so two parallel downloads cannot
    # both take the last one; the Download rows keep the when and where of each.
    downloads: Mapped[int] = mapped_column(default=0)

    events: Mapped[list[RequestEvent]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RequestEvent.id"
    )

    @property
    def ranges_to_copy(self) -> str:
        """Return the page ranges the copy is made of: those approved, else those asked for ("": all)."""
        return self.approved_ranges or self.page_ranges

    def move_to(self, status: RequestStatus, at: dt.datetime, actor_id: int | None, note: str = "") -> None:
        """Change the status and add the change to the request's history."""
        self.status = status.value
        self.events.append(RequestEvent(status=status.value, at=at, actor_id=actor_id, note=note))


class RequestEvent(Base):
    """One step in a request's history: its new status, when, by whom, and why."""

    __tablename__ = "softcopy_request_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("softcopy_request.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    request: Mapped[SoftcopyRequest] = relationship(back_populates="events")


class Download(Base):
    """One download of a request's stamped copy: when, by whom, from where (the request counts them)."""

    __tablename__ = "softcopy_download"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("softcopy_request.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    client_address: Mapped[str] = mapped_column(String(64), default="")
