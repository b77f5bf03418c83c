"""Persistent identifiers and DOIs: each publication's "<prefix>/<number>", the counter per prefix

Revision ID: 0045
Revises: 0043
Create Date: 2026-11-29

`publication.identifier` (unique) holds the persistent identifier, relative to the site's base
URL (the resolver answers at /id/<prefix>/<number>); `identifier_counter` holds the last number
each prefix gave, so a number is never given twice. `publication.doi` holds a DOI the office
registered. Every existing publication is given "<prefix>/<its id>", so its old address
/katalog/<id> and its identifier carry the same number; the prefix is PUSTAKA_PID_PREFIX, else
"bps" and PUSTAKA_OFFICE (as the running site derives it), read from the environment the
upgrade runs in.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0045"
down_revision: str | None = "0044"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = "On SQLite, copies the publications (publication) to add their identifier; numbers each one."

PUBLICATION = sa.table("publication", sa.column("id", sa.Integer), sa.column("identifier", sa.String))


def upgrade() -> None:
    """Apply this revision."""
    counter = op.create_table(
        "identifier_counter",
        sa.Column("prefix", sa.String(length=40), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", name=op.f("pk_identifier_counter")),
    )
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.add_column(sa.Column("doi", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("identifier", sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_publication_identifier"), ["identifier"])
    bind = op.get_bind()
    prefix = upgrade_prefix(os.environ)
    ids = bind.execute(sa.select(PUBLICATION.c.id).where(PUBLICATION.c.identifier.is_(None))).scalars().all()
    for publication_id in ids:
        bind.execute(
            sa.update(PUBLICATION)
            .where(PUBLICATION.c.id == publication_id)
            .values(identifier=f"{prefix}/{publication_id}")
        )
    if ids:  # an empty database (a move's target) gets its counters from the rows copied in
        bind.execute(sa.insert(counter).values(prefix=prefix, last_number=max(ids)))


def upgrade_prefix(environ: os._Environ[str] | dict[str, str]) -> str:
    """Return the prefix the running site mints with: PUSTAKA_PID_PREFIX, else "bps" and the office code."""
    given = environ.get("PUSTAKA_PID_PREFIX", "").strip()
    return given or "bps" + (environ.get("PUSTAKA_OFFICE", "").strip() or "1872")


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_publication_identifier"), type_="unique")
        batch_op.drop_column("identifier")
        batch_op.drop_column("doi")
    op.drop_table("identifier_counter")
