"""The knowledge base: staff-written answers to common questions

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-23

`knowledge_entry` holds one answer (the question as its title, the answer, a topic), whether
it is a draft or published, who created and last edited it and when, and the consultation it
came from, if any (set to NULL should that consultation ever be deleted).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "knowledge_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("edited_by", sa.Integer(), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'published')", name=op.f("ck_knowledge_entry_status")),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_knowledge_entry_consultation_id_consultation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user_account.id"], name=op.f("fk_knowledge_entry_created_by_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["edited_by"], ["user_account.id"], name=op.f("fk_knowledge_entry_edited_by_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_entry")),
    )
    op.create_index(
        op.f("ix_knowledge_entry_consultation_id"), "knowledge_entry", ["consultation_id"], unique=False
    )
    op.create_index(
        "ix_knowledge_entry_status_published", "knowledge_entry", ["status", "published_at"], unique=False
    )


def downgrade() -> None:
    """Revert this revision: the entries go with their table."""
    op.drop_index("ix_knowledge_entry_status_published", table_name="knowledge_entry")
    op.drop_index(op.f("ix_knowledge_entry_consultation_id"), table_name="knowledge_entry")
    op.drop_table("knowledge_entry")
