"""Delivery ledger

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 00:56:14.946240

The ledger is append-only: triggers refuse UPDATE and DELETE on both backends.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.String(length=32), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("output_sha256", sa.String(length=64), nullable=False),
        sa.Column("recipient_user_id", sa.Integer(), nullable=True),
        sa.Column("recipient_name", sa.String(length=200), nullable=False),
        sa.Column("recipient_email", sa.String(length=254), nullable=False),
        sa.Column("request_number", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("office_code", sa.String(length=4), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=False),
        sa.Column("delivered_by_user_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "channel IN ('online', 'terminal', 'scan', 'staff')", name=op.f("ck_delivery_channel")
        ),
        sa.ForeignKeyConstraint(
            ["delivered_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_delivery_delivered_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"], ["publication.id"], name=op.f("fk_delivery_publication_id_publication")
        ),
        sa.ForeignKeyConstraint(
            ["recipient_user_id"],
            ["user_account.id"],
            name=op.f("fk_delivery_recipient_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery")),
        sa.UniqueConstraint("delivery_id", name=op.f("uq_delivery_delivery_id")),
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_delivered_at"), ["delivered_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_output_sha256"), ["output_sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_publication_id"), ["publication_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_delivery_recipient_user_id"), ["recipient_user_id"], unique=False
        )

    _install_append_only_triggers()


APPEND_ONLY_MESSAGE = "the delivery ledger is append-only"


def _install_append_only_triggers() -> None:
    """Make the database itself refuse to change or remove a ledger row."""
    if op.get_bind().dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER delivery_no_{action.lower()} BEFORE {action} ON delivery "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION delivery_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$"
    )
    op.execute(
        "CREATE TRIGGER delivery_append_only BEFORE UPDATE OR DELETE ON delivery "
        "FOR EACH ROW EXECUTE FUNCTION delivery_append_only()"
    )


def _drop_append_only_triggers() -> None:
    """Remove the triggers (downgrade only)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS delivery_no_update")
        op.execute("DROP TRIGGER IF EXISTS delivery_no_delete")
        return
    op.execute("DROP TRIGGER IF EXISTS delivery_append_only ON delivery")
    op.execute("DROP FUNCTION IF EXISTS delivery_append_only()")


def downgrade() -> None:
    """Revert this revision."""
    _drop_append_only_triggers()
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_recipient_user_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_publication_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_output_sha256"))
        batch_op.drop_index(batch_op.f("ix_delivery_delivered_at"))

    op.drop_table("delivery")
