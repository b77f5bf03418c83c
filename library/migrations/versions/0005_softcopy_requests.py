"""Softcopy requests, their history and downloads

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21

A request's downloads are counted in the row (one conditional UPDATE per download keeps
the cap under concurrency); softcopy_download keeps when and from where each one came.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    _create_softcopy_request()
    _create_softcopy_download()
    _create_softcopy_request_event()


def _create_softcopy_request() -> None:
    """Create the softcopy_request table and its indexes."""
    op.create_table(
        "softcopy_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("office_code", sa.String(length=4), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("page_ranges", sa.String(length=200), nullable=False),
        sa.Column("tables_wanted", sa.Text(), nullable=False),
        sa.Column("purpose", sa.String(length=30), nullable=False),
        sa.Column("intended_use", sa.Text(), nullable=False),
        sa.Column("terms_accepted_at", sa.DateTime(), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=False),
        sa.Column("failure_reason", sa.Text(), nullable=False),
        sa.Column("copy_claimed_at", sa.DateTime(), nullable=True),
        sa.Column("copy_attempts", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.String(length=32), nullable=True),
        sa.Column("ready_at", sa.DateTime(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("download_cap", sa.Integer(), nullable=False),
        sa.Column("downloads", sa.Integer(), nullable=False),
        sa.CheckConstraint("scope IN ('whole', 'pages')", name=op.f("ck_softcopy_request_scope")),
        sa.CheckConstraint(
            "status IN ('review', 'embargo', 'approved', 'ready', 'refused', 'failed')",
            name=op.f("ck_softcopy_request_status"),
        ),
        sa.CheckConstraint("download_cap >= 1", name=op.f("ck_softcopy_request_download_cap")),
        sa.CheckConstraint("downloads <= download_cap", name=op.f("ck_softcopy_request_downloads")),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_softcopy_request_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_softcopy_request_publication_id_publication"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_softcopy_request_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_softcopy_request")),
        sa.UniqueConstraint("number", name=op.f("uq_softcopy_request_number")),
    )
    with op.batch_alter_table("softcopy_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_softcopy_request_publication_id"), ["publication_id"], unique=False
        )
        batch_op.create_index("ix_softcopy_request_status_due", ["status", "due_at"], unique=False)
        batch_op.create_index("ix_softcopy_request_user_submitted", ["user_id", "submitted_at"], unique=False)


def _create_softcopy_download() -> None:
    """Create the softcopy_download table and its indexes."""
    op.create_table(
        "softcopy_download",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["softcopy_request.id"],
            name=op.f("fk_softcopy_download_request_id_softcopy_request"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_softcopy_download_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_softcopy_download")),
    )
    with op.batch_alter_table("softcopy_download", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_softcopy_download_request_id"), ["request_id"], unique=False)


def _create_softcopy_request_event() -> None:
    """Create the softcopy_request_event table and its indexes."""
    op.create_table(
        "softcopy_request_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_softcopy_request_event_actor_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["softcopy_request.id"],
            name=op.f("fk_softcopy_request_event_request_id_softcopy_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_softcopy_request_event")),
    )
    with op.batch_alter_table("softcopy_request_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_softcopy_request_event_request_id"), ["request_id"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("softcopy_request_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_softcopy_request_event_request_id"))

    op.drop_table("softcopy_request_event")
    with op.batch_alter_table("softcopy_download", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_softcopy_download_request_id"))

    op.drop_table("softcopy_download")
    with op.batch_alter_table("softcopy_request", schema=None) as batch_op:
        batch_op.drop_index("ix_softcopy_request_user_submitted")
        batch_op.drop_index("ix_softcopy_request_status_due")
        batch_op.drop_index(batch_op.f("ix_softcopy_request_publication_id"))

    op.drop_table("softcopy_request")
