"""Anonymous readers of open publications in the reading ledger

Revision ID: 0035
Revises: 0034
Create Date: 2026-11-28

An open publication is read by anyone, signed in or not. `reading_session.anonymous_reader` keeps
the id minted for an anonymous reader's browser session ("" for a signed-in reader or a visitor
at a library terminal), so a leaked page's session names that browser, its address and the time.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column(
        "reading_session",
        sa.Column("anonymous_reader", sa.String(length=16), server_default="", nullable=False),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_column("reading_session", "anonymous_reader")
