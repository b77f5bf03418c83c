"""Attachments of consultations: files sent with the question or with a message

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-23

`consultation_attachment` names a file in the content-addressed store (sha256, its media type
as read from its content, its size and the name it was sent under), the consultation, and the
message it came with (none: it came with the question), who sent it and when.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "consultation_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("size_bytes > 0", name=op.f("ck_consultation_attachment_size")),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_attachment_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["consultation_message.id"],
            name=op.f("fk_consultation_attachment_message_id_consultation_message"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["user_account.id"],
            name=op.f("fk_consultation_attachment_uploaded_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_attachment")),
    )
    op.create_index(
        op.f("ix_consultation_attachment_consultation_id"),
        "consultation_attachment",
        ["consultation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_consultation_attachment_message_id"), "consultation_attachment", ["message_id"], unique=False
    )


def downgrade() -> None:
    """Revert this revision: the attachments' rows go (their files stay in the store, unreferenced)."""
    op.drop_index(op.f("ix_consultation_attachment_message_id"), table_name="consultation_attachment")
    op.drop_index(op.f("ix_consultation_attachment_consultation_id"), table_name="consultation_attachment")
    op.drop_table("consultation_attachment")
