"""The language of a visit

Revision ID: 0030
Revises: 0029
Create Date: 2026-11-27

`visit.language` keeps the language a walk-in visitor signed the guest book in, so their
ticket, status page and terminal speak it ("" for visits before this revision: the site's own).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column("visit", sa.Column("language", sa.String(length=5), server_default="", nullable=False))


def downgrade() -> None:
    """Revert this revision."""
    op.drop_column("visit", "language")
