"""File versions: a publication's file replaced by a corrected edition, the older ones kept

Revision ID: 0046
Revises: 0043
Create Date: 2026-11-29

`file_version` numbers the editions of each publication's file (1..n, the newest current):
its master, the file copies and the reader are made from, its thumbnail, why it came and who
brought it, and whether an old one stays public. Every publication with a file gets version 1
from its current files (the newest master, access copy and thumbnail, as the catalogue chose
them until now).

`delivery.file_version` and `reading_session.file_version` record the version a copy was
stamped from and a session showed. Both are plain added columns, so SQLite adds them in place
and the ledgers' append-only triggers stay; rows older than this revision keep them empty (the
triggers refuse an UPDATE) and are read from `source_sha256` instead.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0046"
down_revision: str | None = "0045"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = "Reads every publication's files once to record its version 1."

ASSET = sa.table(
    "file_asset",
    sa.column("id", sa.Integer),
    sa.column("publication_id", sa.Integer),
    sa.column("sha256", sa.String),
    sa.column("role", sa.String),
    sa.column("media_type", sa.String),
    sa.column("page_count", sa.Integer),
    sa.column("original_name", sa.String),
    sa.column("created_at", sa.DateTime),
)
VERSION = sa.table(
    "file_version",
    sa.column("publication_id", sa.Integer),
    sa.column("number", sa.Integer),
    sa.column("master_sha256", sa.String),
    sa.column("copy_sha256", sa.String),
    sa.column("thumbnail_sha256", sa.String),
    sa.column("page_count", sa.Integer),
    sa.column("original_name", sa.String),
    sa.column("reason", sa.Text),
    sa.column("created_at", sa.DateTime),
    sa.column("public", sa.Boolean),
)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "file_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("master_sha256", sa.String(length=64), nullable=False),
        sa.Column("copy_sha256", sa.String(length=64), nullable=False),
        sa.Column("thumbnail_sha256", sa.String(length=64), server_default="", nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("original_name", sa.String(length=255), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("public", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_file_version_number")),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_file_version_publication_id_publication"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_file_version_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_version")),
        sa.UniqueConstraint("publication_id", "number", name=op.f("uq_file_version_publication_id")),
    )
    op.create_index(op.f("ix_file_version_publication_id"), "file_version", ["publication_id"])
    op.create_index(op.f("ix_file_version_copy_sha256"), "file_version", ["copy_sha256"])
    op.add_column("delivery", sa.Column("file_version", sa.Integer(), nullable=True))
    op.add_column("reading_session", sa.Column("file_version", sa.Integer(), nullable=True))
    _first_versions()


def _first_versions() -> None:
    """Give every publication with a master its version 1, from its newest files of each role."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(ASSET).order_by(ASSET.c.publication_id, ASSET.c.created_at.desc(), ASSET.c.id.desc())
    ).all()
    newest: dict[int, dict[str, sa.Row]] = {}
    for row in rows:
        kind = row.role if row.role != "master" or row.media_type == "application/pdf" else "image"
        newest.setdefault(row.publication_id, {}).setdefault(kind, row)
        if row.role == "master":
            newest[row.publication_id].setdefault("any_master", row)
    versions = []
    for publication_id, chosen in newest.items():
        master = chosen.get("any_master")
        copy = chosen.get("access") or chosen.get("master")
        if master is None or copy is None:
            continue  # no file to read or deliver: the publication has no version yet
        thumbnail = chosen.get("thumbnail")
        versions.append(
            {
                "publication_id": publication_id,
                "number": 1,
                "master_sha256": master.sha256,
                "copy_sha256": copy.sha256,
                "thumbnail_sha256": thumbnail.sha256 if thumbnail is not None else "",
                "page_count": copy.page_count,
                "original_name": master.original_name or "",
                "reason": "",
                "created_at": master.created_at,
                "public": False,
            }
        )
    if versions:
        op.bulk_insert(VERSION, versions)


def downgrade() -> None:
    """Undo this revision (SQLite 3.35 and later drop a column in place)."""
    op.drop_column("reading_session", "file_version")
    op.drop_column("delivery", "file_version")
    op.drop_index("ix_file_version_copy_sha256", table_name="file_version")
    op.drop_index("ix_file_version_publication_id", table_name="file_version")
    op.drop_table("file_version")
