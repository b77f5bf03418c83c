"""How a walk-in visitor's identity was checked, and the one-time code sent to prove an address

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-23

`visit.identity_check` says how the office knows the visitor is who the guest book says:
"declared" (nothing checked: every visit so far), "password", "email_code" or "id_card", with
when and (for the ID card) by whom. `email_code_salt` and `email_code_sent_at` hold the code
last sent to the visit's address (the code itself is derived from the salt and the app's
secret, never stored).

Visits recorded before this revision keep their account, but as "declared": a terminal no
longer acts for that account until the visitor proves it is theirs.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECKS = "identity_check IN ('declared', 'password', 'email_code', 'id_card')"


def upgrade() -> None:
    """Apply this revision."""
    # Plain ADD COLUMNs, also on SQLite: rebuilding `visit` there (a batch) would drop the old
    # table, and with it every ticket, locker loan and terminal session (ON DELETE CASCADE).
    op.add_column(
        "visit",
        sa.Column(
            "identity_check",
            sa.String(length=20),
            sa.CheckConstraint(CHECKS, name=op.f("ck_visit_identity_check")),
            server_default="declared",
            nullable=False,
        ),
    )
    op.add_column("visit", sa.Column("identity_checked_at", sa.DateTime(), nullable=True))
    op.add_column("visit", sa.Column("identity_checked_by_id", sa.Integer(), nullable=True))
    op.add_column(
        "visit", sa.Column("email_code_salt", sa.String(length=32), server_default="", nullable=False)
    )
    op.add_column("visit", sa.Column("email_code_sent_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    """Revert this revision: how identities were checked is forgotten (columns dropped in place)."""
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_visit_identity_check"), "visit", type_="check")
    for column in (
        "email_code_sent_at",
        "email_code_salt",
        "identity_checked_by_id",
        "identity_checked_at",
        "identity_check",
    ):
        op.drop_column("visit", column)
