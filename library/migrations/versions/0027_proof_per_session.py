"""A walk-in's proof of identity is good for one terminal session

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-27

`visit.proof_session_id` names the terminal session a visit's proof is good for (the one it was
given in, or for an ID card seen at the desk, the first session live after it); a later session
started with the same ticket acts for nobody until the visitor proves again. A proven visit with
a session open when this runs keeps it for that session; any other proof waits for the next.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = "Sets the proof session of every proven visit (an UPDATE over visit)."


def upgrade() -> None:
    """Apply this revision."""
    # A plain ADD COLUMN, also on SQLite: rebuilding `visit` there would drop its tickets (CASCADE).
    op.add_column("visit", sa.Column("proof_session_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE visit SET proof_session_id = (SELECT max(s.id) FROM terminal_session s "
        "WHERE s.visit_id = visit.id AND s.ended_at IS NULL) WHERE identity_check <> 'declared'"
    )


def downgrade() -> None:
    """Revert this revision: a proof is again good for every session of the visit."""
    op.drop_column("visit", "proof_session_id")
