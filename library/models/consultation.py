"""Statistical consultations: online ones (the question, its thread, its history) and walk-in records."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from library.models.base import Base, UTCDateTime, enum_values, utcnow


class ConsultationStatus(enum.StrEnum):
    """Where a consultation stands."""

    NEW = "new"  # sent by the user, not yet read by a consultant
    CLARIFICATION = "clarification"  # the consultant asked the user for more
    CLEAR = "clear"  # clear and complete: the 3-working-day clock runs
    ANSWERED = "answered"  # the consultant answered
    CLOSED = "closed"  # finished; the SKM survey is offered


OPEN_CONSULTATION_STATUSES = (
    ConsultationStatus.NEW,
    ConsultationStatus.CLARIFICATION,
    ConsultationStatus.CLEAR,
    ConsultationStatus.ANSWERED,
)


class ConsultationChannel(enum.StrEnum):
    """Where a consultation came in (the standard's channels), or where one message of it went."""

    WEB = "web"  # Pustaka's own form, by a signed-in account
    EMAIL = "email"  # the office's PST mailbox, read over IMAP
    WHATSAPP = "whatsapp"  # the office's WhatsApp number (the Cloud API's webhook)
    PHONE = "phone"  # a telephone call, recorded by a consultant
    SOCIAL = "social"  # social media, recorded by a consultant


# The channels a consultant records by hand (nothing reads them for Pustaka).
MANUAL_CHANNELS = (ConsultationChannel.PHONE, ConsultationChannel.SOCIAL)


class MessageDelivery(enum.StrEnum):
    """What became of a staff message sent out on an outside channel (WhatsApp's statuses)."""

    NONE = ""  # shown on the web page only, or mailed (no status comes back)
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


class ConsultationAction(enum.StrEnum):
    """What someone did to a consultation (one row of its history)."""

    OPENED = "opened"
    ASSIGNED = "assigned"
    ASKED = "asked"  # the consultant asked for clarification
    CLEAR = "clear"
    ANSWERED = "answered"
    CLOSED = "closed"
    REMINDED = "reminded"  # the user was reminded that the consultant waits for them
    CLOSED_SILENT = "closed_silent"  # closed automatically: the user stayed silent past the rule
    REOPENED = "reopened"  # the user reopened it within the grace period
    APPOINTMENT = "appointment"  # the consultant proposed a follow-up appointment
    APPOINTMENT_ACCEPTED = "appointment_accepted"
    ANOTHER_TIME = "another_time"  # the user asked for another time
    CLOSED_BY_USER = "closed_by_user"  # the user marked the answer helpful and closed it
    RECORDED = "recorded"  # a consultant recorded one received by telephone or social media


class Referral(enum.StrEnum):
    """Where a walk-in consultation sent the visitor next, among the other PST services."""

    NONE = "none"
    LIBRARY = "library"  # the library's printed and digital collection
    SOFTCOPY = "softcopy"  # a softcopy request
    OTHER = "other"  # another PST service (sales, recommendation, ...)


MAX_WALK_IN_TOPIC = 200  # as an online consultation's topic


class AppointmentKind(enum.StrEnum):
    """Where a follow-up appointment takes place."""

    IN_PERSON = "in_person"  # at the office (or another place)
    VIDEO = "video"  # a video meeting, by link


class AppointmentStatus(enum.StrEnum):
    """Where a proposed appointment stands."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    ANOTHER_TIME = "another_time"  # the user asked for another time
    REPLACED = "replaced"  # the consultant proposed another one since


# Appointments that still hold a time in the calendar.
LIVE_APPOINTMENT_STATUSES = (AppointmentStatus.PROPOSED, AppointmentStatus.ACCEPTED)


class Consultation(Base):
    """One online consultation: a user's question about statistical data."""

    __tablename__ = "consultation"
    __table_args__ = (
        CheckConstraint(f"status IN ({enum_values(ConsultationStatus)})", name="status"),
        CheckConstraint(f"channel IN ({enum_values(ConsultationChannel)})", name="channel"),
        CheckConstraint("user_id IS NOT NULL OR channel != 'web'", name="web_has_account"),
        Index("ix_consultation_user_opened", "user_id", "opened_at"),
        Index("ix_consultation_status_due", "status", "due_at"),
        Index("ix_consultation_contact", "channel", "contact"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    # The account that asked on the web; None for one that came in by email, WhatsApp or by hand:
    # an address or a number is not an identity, and never opens an account's pages.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    channel: Mapped[str] = mapped_column(String(20), default="web", server_default="web")
    # Outside the web: the asker's address (email), number (+E.164: WhatsApp, telephone) or handle
    # (social media), and the name they gave; answers go back there.
    contact: Mapped[str] = mapped_column(String(320), default="", server_default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    topic: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    data_subject: Mapped[str] = mapped_column(String(200))
    data_region: Mapped[str] = mapped_column(String(200))
    data_period: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the consultant marks it clear and complete: the answer is due 3 working days later.
    clear_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # When the user was last reminded that the consultant waits for them: a reminder later than
    # the consultant's last message belongs to the present silence (it is not sent twice).
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # A mobile number (+62…) the asker gave to be told on WhatsApp or SMS when it is answered; "" none.
    notify_phone: Mapped[str] = mapped_column(String(20), default="", server_default="")

    events: Mapped[list[ConsultationEvent]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", order_by="ConsultationEvent.id"
    )
    messages: Mapped[list[ConsultationMessage]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", order_by="ConsultationMessage.id"
    )
    appointments: Mapped[list[ConsultationAppointment]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", order_by="ConsultationAppointment.id"
    )
    attachments: Mapped[list[ConsultationAttachment]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", order_by="ConsultationAttachment.id"
    )

    def record(
        self, action: ConsultationAction, at: dt.datetime, actor_id: int | None, note: str = ""
    ) -> None:
        """Add what was done to the consultation's history, with the status it left."""
        self.events.append(
            ConsultationEvent(action=action.value, status=self.status, at=at, actor_id=actor_id, note=note)
        )


class ConsultationEvent(Base):
    """One step in a consultation's history: what was done, the status after, when, by whom."""

    __tablename__ = "consultation_event"
    __table_args__ = (
        CheckConstraint(f"action IN ({enum_values(ConsultationAction)})", name="action"),
        CheckConstraint(f"status IN ({enum_values(ConsultationStatus)})", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    consultation: Mapped[Consultation] = relationship(back_populates="events")


class ConsultationMessage(Base):
    """One message of a consultation's thread, from the user or from staff."""

    __tablename__ = "consultation_message"
    __table_args__ = (
        CheckConstraint(f"channel IN ({enum_values(ConsultationChannel)})", name="channel"),
        CheckConstraint(f"delivery IN ({enum_values(MessageDelivery)})", name="delivery"),
        UniqueConstraint("channel", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    # None: the asker on an outside channel (they have no account).
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    from_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Where the message came in or went out, and its id there (a Message-ID, a WhatsApp message
    # id): a message received twice is kept once, and a reply finds its thread.
    channel: Mapped[str] = mapped_column(String(20), default="web", server_default="web")
    external_id: Mapped[str | None] = mapped_column(String(255))
    delivery: Mapped[str] = mapped_column(String(10), default="", server_default="")
    delivery_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    delivery_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    consultation: Mapped[Consultation] = relationship(back_populates="messages")


class ConsultationAppointment(Base):
    """A follow-up appointment a consultant proposes: in person or by video, at a time; the user answers."""

    __tablename__ = "consultation_appointment"
    __table_args__ = (
        CheckConstraint(f"kind IN ({enum_values(AppointmentKind)})", name="kind"),
        CheckConstraint(f"status IN ({enum_values(AppointmentStatus)})", name="status"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    uid: Mapped[str] = mapped_column(String(100), unique=True)  # the iCalendar UID, kept across changes
    kind: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(500))  # an address, a room, or the video meeting's link
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    proposed_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    proposed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    consultation: Mapped[Consultation] = relationship(back_populates="appointments")


class WalkInConsultation(Base):
    """What a consultant recorded of a walk-in consultation, on its queue ticket (one per ticket)."""

    __tablename__ = "walk_in_consultation"
    __table_args__ = (CheckConstraint(f"referral IN ({enum_values(Referral)})", name="referral"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), unique=True)
    topic: Mapped[str] = mapped_column(String(MAX_WALK_IN_TOPIC))
    given: Mapped[str] = mapped_column(Text, default="")  # what the consultant gave: data, tables, advice
    referral: Mapped[str] = mapped_column(String(20), default=Referral.NONE.value)
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConsultationAttachment(Base):
    """A file sent with the question (no message) or with one message; its bytes are in the file store."""

    __tablename__ = "consultation_attachment"
    __table_args__ = (CheckConstraint("size_bytes > 0", name="size"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_message.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    original_name: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # None: the asker outside
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="attachments")


class ReceiptOutcome(enum.StrEnum):
    """What became of one message received on an outside channel."""

    OPENED = "opened"  # it opened a new consultation
    JOINED = "joined"  # it joined an open consultation's thread
    SET_ASIDE = "set_aside"  # an auto-reply, a bounce, bulk mail or a status: kept, never answered
    REFUSED = "refused"  # unreadable or over the limits: the sender was told, nothing was opened


class ChannelReceipt(Base):
    """One message received by email or WhatsApp, by its id there: the same id is taken once."""

    __tablename__ = "channel_receipt"
    __table_args__ = (
        CheckConstraint(f"channel IN ({enum_values(ConsultationChannel)})", name="channel"),
        CheckConstraint(f"outcome IN ({enum_values(ReceiptOutcome)})", name="outcome"),
        UniqueConstraint("channel", "external_id"),
        Index("ix_channel_receipt_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(255))
    sender: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300), default="")
    outcome: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")  # why it was set aside or refused
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation.id", ondelete="SET NULL"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
