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
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("identity_check", sa.String(length=20), server_default="declared", nullable=False)
        )
        batch_op.add_column(sa.Column("identity_checked_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("identity_checked_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("email_code_salt", sa.String(length=32), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("email_code_sent_at", sa.DateTime(), nullable=True))
        batch_op.create_check_constraint(batch_op.f("ck_visit_identity_check"), CHECKS)
        batch_op.create_foreign_key(
            batch_op.f("fk_visit_identity_checked_by_id_user_account"),
            "user_account",
            ["identity_checked_by_id"],
            ["id"],
        )


def downgrade() -> None:
    """Revert this revision: how identities were checked is forgotten."""
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_visit_identity_checked_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("ck_visit_identity_check"), type_="check")
        batch_op.drop_column("email_code_sent_at")
        batch_op.drop_column("email_code_salt")
        batch_op.drop_column("identity_checked_by_id")
        batch_op.drop_column("identity_checked_at")
        batch_op.drop_column("identity_check")
