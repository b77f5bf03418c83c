"""The ledger names the pages it delivered; a librarian may approve some of the pages asked for

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26

`delivery.page_ranges` writes the pages of the source a copy holds ("2-3, 7"; the whole file as
"1-24"). Rows delivered before keep it empty (the ledger is append-only: they are not
rewritten), and readers show their page count. `softcopy_request.approved_ranges` holds the
pages a librarian approved when narrowing a request; empty means the pages asked for.

Both are plain added columns: SQLite adds them in place (no table copy), so the ledger's
append-only triggers stay.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column(
        "delivery", sa.Column("page_ranges", sa.String(length=200), server_default="", nullable=False)
    )
    op.add_column(
        "softcopy_request",
        sa.Column("approved_ranges", sa.String(length=200), server_default="", nullable=False),
    )


def downgrade() -> None:
    """Undo this revision (SQLite 3.35 and later drop a column in place)."""
    op.drop_column("softcopy_request", "approved_ranges")
    op.drop_column("delivery", "page_ranges")
