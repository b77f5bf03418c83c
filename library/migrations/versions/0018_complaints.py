"""Complaints: the complaint, its append-only history and its attachments

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-23

`complaint` holds what a person complained about (from the public form, or entered by staff
from the box, an email or WhatsApp), its tracking code, its classification (SKM element and
service), its status and answer; `complaint_event` is who did what when, only ever appended
to; `complaint_attachment` names the files kept in the file store.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = "status IN ('new', 'in_progress', 'answered', 'closed')"
ACTIONS = "action IN ('filed', 'classified', 'started', 'answered', 'closed')"
SOURCES = "source IN ('web', 'box', 'email', 'whatsapp')"
SERVICES = "service IN ('library', 'consultation', 'softcopy', 'other')"
ELEMENTS = "element IS NULL OR element IN ('U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7', 'U8', 'U9')"


def upgrade() -> None:
    """Apply this revision."""
    _create_complaint()
    _create_complaint_event()
    _create_complaint_attachment()


def _create_complaint() -> None:
    """Create the complaint table and its indexes."""
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("service", sa.String(length=20), nullable=False),
        sa.Column("element", sa.String(length=3), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(STATUSES, name=op.f("ck_complaint_status")),
        sa.CheckConstraint(SOURCES, name=op.f("ck_complaint_source")),
        sa.CheckConstraint(SERVICES, name=op.f("ck_complaint_service")),
        sa.CheckConstraint(ELEMENTS, name=op.f("ck_complaint_element")),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], name=op.f("fk_complaint_office_id_office")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_complaint_user_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["user_account.id"], name=op.f("fk_complaint_entered_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
        sa.UniqueConstraint("code", name=op.f("uq_complaint_code")),
    )
    op.create_index(op.f("ix_complaint_status"), "complaint", ["status"], unique=False)
    op.create_index("ix_complaint_office_received", "complaint", ["office_id", "received_at"], unique=False)


def _create_complaint_event() -> None:
    """Create the complaint_event table and its indexes."""
    op.create_table(
        "complaint_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(ACTIONS, name=op.f("ck_complaint_event_action")),
        sa.CheckConstraint(STATUSES, name=op.f("ck_complaint_event_status")),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_event_complaint_id_complaint"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_complaint_event_actor_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_event")),
    )
    op.create_index(
        op.f("ix_complaint_event_complaint_id"), "complaint_event", ["complaint_id"], unique=False
    )


def _create_complaint_attachment() -> None:
    """Create the complaint_attachment table and its indexes."""
    op.create_table(
        "complaint_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.CheckConstraint("size_bytes >= 0", name=op.f("ck_complaint_attachment_size")),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_attachment_complaint_id_complaint"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_attachment")),
    )
    op.create_index(
        op.f("ix_complaint_attachment_complaint_id"), "complaint_attachment", ["complaint_id"], unique=False
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("complaint_attachment")
    op.drop_table("complaint_event")
    op.drop_table("complaint")
