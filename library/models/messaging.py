"""Messages to a visitor's phone (WhatsApp or SMS through the office's gateway): an outbox row each.

A row is written, in the transaction of what it tells (a call, a scan ready, ...), only for a
visit that consented and typed an Indonesian mobile number (or an online consultation whose
asker gave one to be told of the answer); a job sends it after the commit.
Each (visit, kind, subject) is told once: a second call of the same ticket is a recall, told again
under its own subject. The row keeps what was sent, to whom, and what the gateway answered.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from library.models.base import Base, UTCDateTime, enum_values, utcnow


class MessageKind(enum.StrEnum):
    """What a message tells the visitor."""

    CALLED = "called"  # your number is called: go to counter N
    TWO_AHEAD = "two_ahead"  # two visitors are ahead of you
    SCAN_READY = "scan_ready"  # the pages scanned for you are ready to download
    SURVEY = "survey"  # please rate the service (the SKM link)
    ANSWERED = "answered"  # your online consultation was answered


class MessageStatus(enum.StrEnum):
    """Where a message is."""

    QUEUED = "queued"
    SENT = "sent"  # the gateway took it
    FAILED = "failed"  # the gateway refused it, or did not answer after every try
    HELD = "held"  # not sent: the number had its hour's share of messages already


class PhoneMessage(Base):
    """One message for one visit's phone, and what became of it."""

    __tablename__ = "phone_message"
    __table_args__ = (
        UniqueConstraint("visit_id", "kind", "subject"),
        UniqueConstraint("consultation_id", "kind", "subject"),
        CheckConstraint(f"kind IN ({enum_values(MessageKind)})", name="kind"),
        CheckConstraint(f"status IN ({enum_values(MessageStatus)})", name="status"),
        CheckConstraint("visit_id IS NOT NULL OR consultation_id IS NOT NULL", name="recipient"),
        Index("ix_phone_message_number_at", "number", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Whom it tells: a walk-in visit (consent at the guest book) or an online consultation (its number).
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(40))  # what it is about: "ticket-12-call-1", "scan-4"
    number: Mapped[str] = mapped_column(String(20))  # +62…
    language: Mapped[str] = mapped_column(String(5), default="id")
    channel: Mapped[str] = mapped_column(String(20))  # the gateway it went through: gateway, whatsapp
    text: Mapped[str] = mapped_column(Text)
    params: Mapped[str] = mapped_column(
        Text, default="{}"
    )  # the values in the text (a template's parameters)
    status: Mapped[str] = mapped_column(String(10), default=MessageStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    provider_id: Mapped[str] = mapped_column(String(200), default="")  # the gateway's id of the message
    error: Mapped[str] = mapped_column(Text, default="")


class PushSubscription(Base):
    """A browser that asked, on a visit's status page, to be told by Web Push (its push service's address)."""

    __tablename__ = "push_subscription"
    __table_args__ = (UniqueConstraint("visit_id", "endpoint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000))  # the push service's URL for this browser
    p256dh: Mapped[str] = mapped_column(String(100))  # the browser's public key (base64url)
    auth: Mapped[str] = mapped_column(String(40))  # its authentication secret (base64url)
    language: Mapped[str] = mapped_column(String(5), default="id")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PushMessage(Base):
    """One message for one subscribed browser, and what its push service answered."""

    __tablename__ = "push_message"
    __table_args__ = (
        UniqueConstraint("subscription_id", "kind", "subject"),
        CheckConstraint(f"kind IN ({enum_values(MessageKind)})", name="kind"),
        CheckConstraint(f"status IN ({enum_values(MessageStatus)})", name="status"),
        Index("ix_push_message_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("push_subscription.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(500))  # opened when the notification is tapped
    status: Mapped[str] = mapped_column(String(10), default=MessageStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str] = mapped_column(Text, default="")
