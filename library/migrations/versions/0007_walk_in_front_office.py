"""The walk-in front office

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22

Visits from the guest book, queue services and their tickets, lockers and the ID cards held,
library terminals and their sessions; softcopy requests and deliveries may name the visit
they were made for.

The ledger's new column is added in place, not by a batch copy: SQLite's batch mode rebuilds
the table, and with it would go the triggers that keep the ledger append-only.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    _create_locker()
    _create_terminal()
    _create_visit()
    _create_locker_loan()
    _create_queue_service()
    _create_queue_number()
    _create_ticket()
    _create_terminal_session()
    _add_visit_to_deliveries()
    _add_visit_to_requests()


def _create_locker() -> None:
    """Create the locker table."""
    op.create_table(
        "locker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_locker_office_id_office"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locker")),
        sa.UniqueConstraint("office_id", "label", name=op.f("uq_locker_office_id")),
    )


def _create_terminal() -> None:
    """Create the terminal table."""
    op.create_table(
        "terminal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("registered_by_id", sa.Integer(), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], name=op.f("fk_terminal_office_id_office")),
        sa.ForeignKeyConstraint(
            ["registered_by_id"], ["user_account.id"], name=op.f("fk_terminal_registered_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terminal")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_terminal_token_hash")),
    )


def _create_visit() -> None:
    """Create the visit table and its indexes."""
    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("status_token", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sex", sa.String(length=10), nullable=False),
        sa.Column("age_band", sa.String(length=20), nullable=False),
        sa.Column("occupation", sa.String(length=30), nullable=False),
        sa.Column("education", sa.String(length=20), nullable=False),
        sa.Column("institution", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("arrived_at", sa.DateTime(), nullable=False),
        sa.Column("left_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("channel IN ('kiosk', 'staff')", name=op.f("ck_visit_channel")),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], name=op.f("fk_visit_office_id_office")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_visit_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
        sa.UniqueConstraint("status_token", name=op.f("uq_visit_status_token")),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_office_id"), ["office_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_user_id"), ["user_id"], unique=False)


def _create_locker_loan() -> None:
    """Create the locker_loan table and its indexes."""
    op.create_table(
        "locker_loan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locker_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("card_kind", sa.String(length=20), nullable=False),
        sa.Column("card_last4", sa.String(length=4), nullable=False),
        sa.Column("given_at", sa.DateTime(), nullable=False),
        sa.Column("given_by_id", sa.Integer(), nullable=True),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
        sa.Column("returned_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "card_kind IN ('ktp', 'sim', 'passport', 'student', 'staff', 'other')",
            name=op.f("ck_locker_loan_card_kind"),
        ),
        sa.CheckConstraint("length(card_last4) = 4", name=op.f("ck_locker_loan_card_last4")),
        sa.ForeignKeyConstraint(
            ["given_by_id"], ["user_account.id"], name=op.f("fk_locker_loan_given_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(["locker_id"], ["locker.id"], name=op.f("fk_locker_loan_locker_id_locker")),
        sa.ForeignKeyConstraint(
            ["returned_by_id"], ["user_account.id"], name=op.f("fk_locker_loan_returned_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_locker_loan_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locker_loan")),
    )
    with op.batch_alter_table("locker_loan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_locker_loan_locker_id"), ["locker_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_locker_loan_visit_id"), ["visit_id"], unique=False)


def _create_queue_service() -> None:
    """Create the queue_service table."""
    op.create_table(
        "queue_service",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("letter", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("standard_kind", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_queue_service_office_id_office"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_service")),
        sa.UniqueConstraint("office_id", "code", name=op.f("uq_queue_service_office_id")),
        sa.UniqueConstraint("office_id", "letter", name=op.f("uq_queue_service_letter")),
    )


def _create_queue_number() -> None:
    """Create the queue_number table."""
    op.create_table(
        "queue_number",
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["queue_service.id"],
            name=op.f("fk_queue_number_service_id_queue_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", "day", name=op.f("pk_queue_number")),
    )


def _create_ticket() -> None:
    """Create the ticket table and its indexes."""
    op.create_table(
        "ticket",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("called_at", sa.DateTime(), nullable=True),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("counter", sa.String(length=40), nullable=False),
        sa.Column("served_at", sa.DateTime(), nullable=True),
        sa.Column("served_by_id", sa.Integer(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("clock_started_at", sa.DateTime(), nullable=True),
        sa.Column("target_at", sa.DateTime(), nullable=True),
        sa.Column("breach_reason", sa.Text(), nullable=False),
        sa.Column("transferred_to_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('waiting', 'called', 'serving', 'done', 'no_show', 'transferred')",
            name=op.f("ck_ticket_status"),
        ),
        sa.ForeignKeyConstraint(
            ["served_by_id"], ["user_account.id"], name=op.f("fk_ticket_served_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["queue_service.id"], name=op.f("fk_ticket_service_id_queue_service")
        ),
        sa.ForeignKeyConstraint(
            ["transferred_to_id"], ["ticket.id"], name=op.f("fk_ticket_transferred_to_id_ticket")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_ticket_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket")),
        sa.UniqueConstraint("service_id", "day", "number", name=op.f("uq_ticket_service_id")),
    )
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_visit_id"), ["visit_id"], unique=False)


def _create_terminal_session() -> None:
    """Create the terminal_session table and its indexes."""
    op.create_table(
        "terminal_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("terminal_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("last_active_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_because", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["terminal_id"], ["terminal.id"], name=op.f("fk_terminal_session_terminal_id_terminal")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_terminal_session_ticket_id_ticket")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_terminal_session_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terminal_session")),
    )
    with op.batch_alter_table("terminal_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_terminal_session_terminal_id"), ["terminal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_terminal_session_visit_id"), ["visit_id"], unique=False)


def _add_visit_to_deliveries() -> None:
    """Let a ledger row name the visit its copy was made for (in place: see above)."""
    if op.get_bind().dialect.name == "sqlite":  # Alembic cannot add a column with a key there
        op.execute("ALTER TABLE delivery ADD COLUMN visit_id INTEGER REFERENCES visit (id)")
    else:
        op.add_column("delivery", sa.Column("visit_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_delivery_visit_id_visit"), "delivery", "visit", ["visit_id"], ["id"])
    op.create_index(op.f("ix_delivery_visit_id"), "delivery", ["visit_id"], unique=False)


def _add_visit_to_requests() -> None:
    """Let a softcopy request name the visit it was asked during."""
    with op.batch_alter_table("softcopy_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visit_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_softcopy_request_visit_id"), ["visit_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_softcopy_request_visit_id_visit"), "visit", ["visit_id"], ["id"]
        )


def downgrade() -> None:
    """Revert this revision."""
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("softcopy_request", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_softcopy_request_visit_id_visit"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_softcopy_request_visit_id"))
        batch_op.drop_column("visit_id")

    op.drop_index(op.f("ix_delivery_visit_id"), table_name="delivery")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column with a key only by copying the table, which loses its triggers.
        with op.batch_alter_table("delivery", schema=None, recreate="always") as batch_op:
            batch_op.drop_column("visit_id")
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER delivery_no_{action.lower()} BEFORE {action} ON delivery "
                "BEGIN SELECT RAISE(ABORT, 'the delivery ledger is append-only'); END"
            )
    else:
        op.drop_constraint(op.f("fk_delivery_visit_id_visit"), "delivery", type_="foreignkey")
        op.drop_column("delivery", "visit_id")

    with op.batch_alter_table("terminal_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_terminal_session_visit_id"))
        batch_op.drop_index(batch_op.f("ix_terminal_session_terminal_id"))

    op.drop_table("terminal_session")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_visit_id"))

    op.drop_table("ticket")
    op.drop_table("queue_number")
    op.drop_table("queue_service")
    with op.batch_alter_table("locker_loan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_locker_loan_visit_id"))
        batch_op.drop_index(batch_op.f("ix_locker_loan_locker_id"))

    op.drop_table("locker_loan")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_user_id"))
        batch_op.drop_index(batch_op.f("ix_visit_office_id"))
        batch_op.drop_index(batch_op.f("ix_visit_day"))

    op.drop_table("visit")
    op.drop_table("terminal")
    op.drop_table("locker")
    # ### end Alembic commands ###
