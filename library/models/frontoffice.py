"""The walk-in front office: visits from the guest book, queue tickets, lockers and terminals."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from library.models.base import Base, UTCDateTime, enum_values, utcnow
from library.models.office import Office, ServiceStandard


class TicketStatus(enum.StrEnum):
    """Where a queue ticket stands."""

    WAITING = "waiting"  # in the queue
    CALLED = "called"  # called to a counter, not yet being served
    SERVING = "serving"  # the service started (at a counter, or a terminal session)
    DONE = "done"  # the service finished
    NO_SHOW = "no_show"  # called and skipped: the visitor did not come
    TRANSFERRED = "transferred"  # sent to another service's queue (a new ticket there)


OPEN_TICKET_STATUSES = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)


class VisitChannel(enum.StrEnum):
    """Where the guest book was filled in."""

    KIOSK = "kiosk"  # the front office's kiosk (or a visitor's phone from the QR at the door)
    STAFF = "staff"  # typed in by front-office staff


class IdentityCheck(enum.StrEnum):
    """How the office knows a walk-in visitor is who the guest book says (library.frontoffice.identity)."""

    DECLARED = "declared"  # as typed in the guest book: nothing checked
    PASSWORD = "password"  # the account's password, given at a library terminal
    EMAIL_CODE = "email_code"  # a one-time code sent to the visit's address, typed back
    ID_CARD = "id_card"  # a front-office member compared the ID card with the entry


class QueueService(Base):
    """A service an office queues walk-in visitors for, with its ticket letter (P for the library)."""

    __tablename__ = "queue_service"
    __table_args__ = (
        UniqueConstraint("office_id", "code"),
        UniqueConstraint("office_id", "letter", name="uq_queue_service_letter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(30))  # "library", "consultation", or the office's own
    letter: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # The kind of the office's published standard whose walk-in target applies (ServiceKind);
    # None for a service with no standard and so no target.
    standard_kind: Mapped[str | None] = mapped_column(String(20))

    office: Mapped[Office] = relationship()

    @property
    def standard(self) -> ServiceStandard | None:
        """Return the office's standard for this service, if it publishes one."""
        return next((s for s in self.office.services if s.kind == self.standard_kind), None)


class Visit(Base):
    """One person's visit to the PST, from the guest book to leaving."""

    __tablename__ = "visit"
    __table_args__ = (
        CheckConstraint(f"channel IN ({enum_values(VisitChannel)})", name="channel"),
        CheckConstraint(f"identity_check IN ({enum_values(IdentityCheck)})", name="identity_check"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    # The account the visit is joined to, only once the visitor proved it is theirs
    # (`identity_check`); None until then, and for a visit with no email.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    identity_check: Mapped[str] = mapped_column(
        String(20), default=IdentityCheck.DECLARED.value, server_default=IdentityCheck.DECLARED.value
    )
    identity_checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The one terminal session the proof is good for: the one it was given in, or (an ID card
    # seen at the desk) the visitor's live session or the next to start; None while it waits.
    # A later session of the visit, started with the same ticket, acts for nobody until proven.
    proof_session_id: Mapped[int | None] = mapped_column()
    # The front-office member who saw the ID card (a user id, kept as evidence, never joined on).
    identity_checked_by_id: Mapped[int | None]
    # The one-time code last sent to the visit's address: a random salt it is derived from
    # (with the app's secret), when it was sent; "" and None when none is pending.
    email_code_salt: Mapped[str] = mapped_column(String(32), default="", server_default="")
    email_code_sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # A secret in the ticket's QR: it opens the visitor's own status page, with no sign-in.
    status_token: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(20), default=VisitChannel.KIOSK.value)
    # The language the visitor signed the guest book in ("id", "en"; "" unknown): their ticket,
    # status page and terminal speak it, while the shared kiosk starts the next visitor afresh.
    language: Mapped[str] = mapped_column(String(5), default="", server_default="")
    name: Mapped[str] = mapped_column(String(200))
    sex: Mapped[str] = mapped_column(String(10))
    age_band: Mapped[str] = mapped_column(String(20))
    occupation: Mapped[str] = mapped_column(String(30))
    education: Mapped[str] = mapped_column(String(20))
    institution: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    # The visitor asked, at the guest book, to be told on that phone (WhatsApp or SMS) when called.
    phone_consent: Mapped[bool] = mapped_column(default=False, server_default=false())
    email: Mapped[str] = mapped_column(String(254), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    day: Mapped[dt.date] = mapped_column(Date, index=True)  # the office's local date of arrival
    arrived_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Why staff closed the visit at the close of day (`frontoffice.day_close`); "" for "Pulang".
    left_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    office: Mapped[Office] = relationship()
    tickets: Mapped[list[Ticket]] = relationship(back_populates="visit", order_by="Ticket.id")


class Ticket(Base):
    """A place in one service's queue for one visit, and the times of its service."""

    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("service_id", "day", "number"),
        CheckConstraint(f"status IN ({enum_values(TicketStatus)})", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("queue_service.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    number: Mapped[int]
    code: Mapped[str] = mapped_column(String(12))  # "P-007"
    status: Mapped[str] = mapped_column(String(20), default=TicketStatus.WAITING.value)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    calls: Mapped[int] = mapped_column(default=0)  # 2 and more: recalled
    counter: Mapped[str] = mapped_column(String(40), default="")  # where the visitor was called to
    served_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    served_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # done, no-show or transferred
    # Fixed when the service starts, for reports: when the clock started, its target, the reason
    # staff gave for a breach.
    clock_started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    target_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    breach_reason: Mapped[str] = mapped_column(Text, default="")
    transferred_to_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    # The booking whose code the visitor typed at the kiosk: the ticket is called before walk-ins.
    # (An appointment's id, without a foreign key: a column SQLite can drop again on a downgrade.)
    appointment_id: Mapped[int | None] = mapped_column()
    # The priority group declared at the kiosk or marked by staff (`queue.priority`); "" for none.
    # Who last changed it at the desk (a user id, kept as evidence, never joined on); None: the visitor.
    priority: Mapped[str] = mapped_column(String(20), default="", server_default="")
    priority_set_by_id: Mapped[int | None]

    visit: Mapped[Visit] = relationship(back_populates="tickets")
    service: Mapped[QueueService] = relationship()

    @property
    def breached(self) -> bool:
        """Tell whether the service started after its target."""
        return self.served_at is not None and self.target_at is not None and self.served_at > self.target_at


class QueueNumber(Base):
    """The last ticket number given by one service on one day (numbers start at 1 each day)."""

    __tablename__ = "queue_number"

    service_id: Mapped[int] = mapped_column(
        ForeignKey("queue_service.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class IdCardKind(enum.StrEnum):
    """The identity card a visitor leaves for a locker."""

    KTP = "ktp"
    SIM = "sim"
    PASSPORT = "passport"
    STUDENT = "student"  # kartu pelajar / mahasiswa
    STAFF = "staff"  # kartu pegawai
    OTHER = "other"


class Locker(Base):
    """A numbered locker at the front office (office data an admin edits)."""

    __tablename__ = "locker"
    __table_args__ = (UniqueConstraint("office_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(20))  # "A-01"
    active: Mapped[bool] = mapped_column(default=True)


class LockerLoan(Base):
    """A locker given to a visitor against an ID card held, until both are given back."""

    __tablename__ = "locker_loan"
    __table_args__ = (
        CheckConstraint(f"card_kind IN ({enum_values(IdCardKind)})", name="card_kind"),
        CheckConstraint("length(card_last4) = 4", name="card_last4"),
        # One loan not given back per locker and per visit (migration 0009).
        Index(
            "uq_locker_loan_out_locker",
            "locker_id",
            unique=True,
            sqlite_where=text("returned_at IS NULL"),
            postgresql_where=text("returned_at IS NULL"),
        ),
        Index(
            "uq_locker_loan_out_visit",
            "visit_id",
            unique=True,
            sqlite_where=text("returned_at IS NULL"),
            postgresql_where=text("returned_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    locker_id: Mapped[int] = mapped_column(ForeignKey("locker.id"), index=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    card_kind: Mapped[str] = mapped_column(String(20))
    card_last4: Mapped[str] = mapped_column(String(4))  # never the whole number: personal data
    given_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    given_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    returned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    locker: Mapped[Locker] = relationship()
    visit: Mapped[Visit] = relationship()


class Terminal(Base):
    """A library terminal registered by an admin; it knows itself by a long-lived cookie."""

    __tablename__ = "terminal"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    name: Mapped[str] = mapped_column(String(60))  # "Terminal 1", drawn in the reader's mark
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the cookie's token
    registered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(default=True)

    office: Mapped[Office] = relationship()


class TerminalSession(Base):
    """A visitor's session at a library terminal, started with their ticket (not a ReadingSession)."""

    __tablename__ = "terminal_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    terminal_id: Mapped[int] = mapped_column(ForeignKey("terminal.id"), index=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_active_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ended_because: Mapped[str] = mapped_column(String(20), default="")  # done, idle, visit_closed

    terminal: Mapped[Terminal] = relationship()
    visit: Mapped[Visit] = relationship()


class CounterShift(Base):
    """A counter of a queue open for service: from when a staff member opened it until it closed.

    The wait estimate shares the people ahead among the counters open now. At most one open shift
    per counter and queue (a partial unique index, migration 0031).
    """

    __tablename__ = "counter_shift"
    __table_args__ = (
        Index(
            "uq_counter_shift_open",
            "service_id",
            "counter",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("queue_service.id", ondelete="CASCADE"), index=True)
    counter: Mapped[str] = mapped_column(String(40))  # as `Ticket.counter`
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closed_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    service: Mapped[QueueService] = relationship()
