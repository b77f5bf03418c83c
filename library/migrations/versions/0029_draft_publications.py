"""Draft publications

Revision ID: 0029
Revises: 0028
Create Date: 2026-11-27

`publication.published_at` is when a librarian made the publication public; a publication
without it is a draft, seen by librarians only (no catalogue page, search, reader or harvester
sees it). Every publication there before this revision was public already: it is published as
of its creation.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = "Publishes every publication there before (an UPDATE over publication)."


def upgrade() -> None:
    """Apply this revision."""
    op.add_column("publication", sa.Column("published_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE publication SET published_at = created_at")


def downgrade() -> None:
    """Revert this revision: drafts are withdrawn (hidden, as they were), everything else stays public."""
    op.execute(
        "UPDATE publication SET withdrawn_at = created_at, withdrawal_reason = 'draft' "
        "WHERE published_at IS NULL AND withdrawn_at IS NULL"
    )
    op.drop_column("publication", "published_at")
