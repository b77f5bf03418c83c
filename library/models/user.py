"""People who use Pustaka: readers and staff, with their roles."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from library.models.base import Base, UTCDateTime, enum_values, utcnow


class Role(enum.StrEnum):
    """What a person may do in Pustaka."""

    READER = "reader"
    FRONT_OFFICE = "front_office"
    LIBRARIAN = "librarian"
    CONSULTANT = "consultant"
    ADMIN = "admin"
    OFFICE_HEAD = "office_head"  # the head of the office: reads the service reports


STAFF_ROLES = (Role.FRONT_OFFICE, Role.LIBRARIAN, Role.CONSULTANT, Role.OFFICE_HEAD, Role.ADMIN)


class User(Base):
    """A registered person: an online reader or a member of staff."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    institution: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # A code from library.accounts.occupations; None for staff accounts made from the command line.
    occupation: Mapped[str | None] = mapped_column(String(30))
    email_verified: Mapped[bool] = mapped_column(default=False)
    email_verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Part of every session and remember-me cookie: raising it signs the person out everywhere.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    active: Mapped[bool] = mapped_column(default=True)
    consented_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> frozenset[Role]:
        """Return the person's roles."""
        return frozenset(Role(row.role) for row in self.role_rows)

    def has_role(self, role: Role) -> bool:
        """Tell whether the person holds the role (admins hold every role)."""
        return role in self.roles or Role.ADMIN in self.roles

    def is_staff(self) -> bool:
        """Tell whether the person holds any staff role."""
        return any(role in self.roles for role in STAFF_ROLES)

    def mark_email_verified(self, at: dt.datetime) -> None:
        """Record that the person proved they read mail at their address."""
        self.email_verified = True
        self.email_verified_at = at

    def set_roles(self, roles: frozenset[Role]) -> None:
        """Replace the person's roles, keeping the rows of roles they keep."""
        keep = [row for row in self.role_rows if Role(row.role) in roles]
        have = {Role(row.role) for row in keep}
        self.role_rows = keep + [UserRole(role=r.value) for r in sorted(roles - have)]


class UserRole(Base):
    """One role held by one person."""

    __tablename__ = "user_role"
    __table_args__ = (CheckConstraint(f"role IN ({enum_values(Role)})", name="role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")
