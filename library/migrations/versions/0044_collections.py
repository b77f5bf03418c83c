"""Collections: series and office collections of publications, which librarians manage

Revision ID: 0044
Revises: 0043
Create Date: 2026-11-29

`publication_collection` (a series, an office's collection or another grouping: its slug, its
names in Indonesian and English, its description; an office collection names its office and
holds what that office issued) and `collection_member` (a publication a librarian put in a
series or another collection). No collection is made here: a librarian makes them, helped by
the series the desk suggests from the titles (`pustaka demo load` makes the demo's).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0044"
down_revision: str | None = "0043"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "publication_collection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name_id", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('series', 'office', 'other')", name=op.f("ck_publication_collection_kind")
        ),
        sa.CheckConstraint(
            "(kind = 'office') = (office_id IS NOT NULL)", name=op.f("ck_publication_collection_office")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["office.id"],
            name=op.f("fk_publication_collection_office_id_office"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_collection")),
        sa.UniqueConstraint("office_id", name=op.f("uq_publication_collection_office_id")),
        sa.UniqueConstraint("slug", name=op.f("uq_publication_collection_slug")),
    )
    op.create_table(
        "collection_member",
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["added_by"],
            ["user_account.id"],
            name=op.f("fk_collection_member_added_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["publication_collection.id"],
            name=op.f("fk_collection_member_collection_id_publication_collection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_collection_member_publication_id_publication"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("collection_id", "publication_id", name=op.f("pk_collection_member")),
    )
    with op.batch_alter_table("collection_member", schema=None) as batch_op:
        batch_op.create_index("ix_collection_member_publication", ["publication_id"], unique=False)


def downgrade() -> None:
    """Revert this revision: drop the collections and their members."""
    with op.batch_alter_table("collection_member", schema=None) as batch_op:
        batch_op.drop_index("ix_collection_member_publication")
    op.drop_table("collection_member")
    op.drop_table("publication_collection")
