"""Priority service: a ticket's priority group and who marked it

Revision ID: 0037
Revises: 0036
Create Date: 2026-11-28

A walk-in visitor may declare a priority group at the kiosk (the elderly, people with
disabilities, pregnant women, visitors with a small child: UU 25/2009 art. 29), and staff may
mark or unmark it at the console. `ticket.priority` keeps the group's code ("" for none) and
`ticket.priority_set_by_id` the staff member who last changed it (None: as the visitor declared).
The calling rule that puts these tickets first is `library.frontoffice.queue.priority`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037"
# The head of this branch; the integrator relinks it after 0036.
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column("ticket", sa.Column("priority", sa.String(length=20), server_default="", nullable=False))
    op.add_column("ticket", sa.Column("priority_set_by_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_column("priority_set_by_id")
        batch_op.drop_column("priority")
