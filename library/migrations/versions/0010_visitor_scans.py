"""Scans for walk-in visitors; the ledger names what it delivered

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25

A librarian scans printed pages for a visitor: `visitor_scan` keeps the master, the state of
its stamped copy, the link's cap and expiry, and whether it was sent on to ingest. Its
downloads are counted in `visitor_scan_download`.

The ledger learns to record a copy of something the catalogue does not hold: the pages of a
printed publication scanned for a visitor. `delivery.publication_id` may be empty, and a new
`title` column names what was delivered (a CHECK keeps one of the two). Rows delivered before
keep an empty title (the ledger is append-only: they are not rewritten); readers take their
publication's title. SQLite changes a column's NULL only by copying the table, which drops its
triggers, so the append-only triggers are installed again exactly as revision 0002 made them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = "On SQLite, copies the whole delivery ledger (delivery) into a new table, with its triggers."

APPEND_ONLY_MESSAGE = "the delivery ledger is append-only"
PUBLICATION_OR_TITLE = "publication_id IS NOT NULL OR title <> ''"


def upgrade() -> None:
    """Apply this revision."""
    _create_scans()
    if _sqlite():
        with op.batch_alter_table("delivery", schema=None, recreate="always") as batch_op:
            batch_op.alter_column("publication_id", existing_type=sa.Integer(), nullable=True)
            batch_op.add_column(sa.Column("title", sa.String(length=500), server_default="", nullable=False))
            batch_op.create_check_constraint(
                batch_op.f("ck_delivery_publication_or_title"), PUBLICATION_OR_TITLE
            )
        _install_sqlite_triggers()
    else:
        # PostgreSQL changes the column in place: the table and its trigger stay.
        op.alter_column("delivery", "publication_id", existing_type=sa.Integer(), nullable=True)
        op.add_column(
            "delivery", sa.Column("title", sa.String(length=500), server_default="", nullable=False)
        )
        op.create_check_constraint(op.f("ck_delivery_publication_or_title"), "delivery", PUBLICATION_OR_TITLE)


def _create_scans() -> None:
    """Create the scans and their downloads."""
    _create_visitor_scan()
    _index_visitor_scan()
    _create_visitor_scan_download()


def _create_visitor_scan() -> None:
    """Create the visitor_scan table."""
    op.create_table(
        "visitor_scan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("source_kind", sa.String(length=20), nullable=False),
        sa.Column("source_files", sa.JSON(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("failure_reason", sa.Text(), nullable=False),
        sa.Column("failure_params", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("ready_at", sa.DateTime(), nullable=True),
        sa.Column("delivery_id", sa.String(length=32), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("download_cap", sa.Integer(), nullable=False),
        sa.Column("downloads", sa.Integer(), nullable=False),
        sa.Column("ingest_job_id", sa.Integer(), nullable=True),
        sa.Column("ingest_sent_at", sa.DateTime(), nullable=True),
        sa.Column("ingest_sent_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("channel IN ('upload', 'hot_folder')", name=op.f("ck_visitor_scan_channel")),
        sa.CheckConstraint("download_cap >= 1", name=op.f("ck_visitor_scan_download_cap")),
        sa.CheckConstraint("downloads <= download_cap", name=op.f("ck_visitor_scan_downloads")),
        sa.CheckConstraint("status IN ('queued', 'ready', 'failed')", name=op.f("ck_visitor_scan_status")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_visitor_scan_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["ingest_job_id"],
            ["ingest_job.id"],
            name=op.f("fk_visitor_scan_ingest_job_id_ingest_job"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ingest_sent_by_id"],
            ["user_account.id"],
            name=op.f("fk_visitor_scan_ingest_sent_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"], ["publication.id"], name=op.f("fk_visitor_scan_publication_id_publication")
        ),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], name=op.f("fk_visitor_scan_ticket_id_ticket")),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name=op.f("fk_visitor_scan_visit_id_visit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visitor_scan")),
        sa.UniqueConstraint("visit_id", "source_sha256", name="uq_visitor_scan_visit_source"),
    )


def _index_visitor_scan() -> None:
    """Index the scans by when they were made, publication, status and visit."""
    with op.batch_alter_table("visitor_scan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visitor_scan_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_visitor_scan_publication_id"), ["publication_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visitor_scan_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_visitor_scan_visit_id"), ["visit_id"], unique=False)


def _create_visitor_scan_download() -> None:
    """Create the visitor_scan_download table and its indexes."""
    op.create_table(
        "visitor_scan_download",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["scan_id"], ["visitor_scan.id"], name=op.f("fk_visitor_scan_download_scan_id_visitor_scan")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_visitor_scan_download_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visitor_scan_download")),
    )
    with op.batch_alter_table("visitor_scan_download", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visitor_scan_download_scan_id"), ["scan_id"], unique=False)


def _sqlite() -> bool:
    """Tell whether the database is SQLite."""
    return op.get_bind().dialect.name == "sqlite"


def _install_sqlite_triggers() -> None:
    """Make SQLite refuse to change or remove a ledger row again (as revision 0002 did)."""
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER delivery_no_{action.lower()} BEFORE {action} ON delivery "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
        )


def downgrade() -> None:
    """Revert this revision; refused while the ledger holds a scan of an uncatalogued publication.

    Such a row has no publication to put back in a column that may not be empty, and the ledger
    is evidence: its rows are never deleted to make a downgrade fit.
    """
    orphans = op.get_bind().execute(sa.text("SELECT COUNT(*) FROM delivery WHERE publication_id IS NULL"))
    if orphans.scalar():
        raise RuntimeError(
            "The delivery ledger holds copies of publications not in the catalogue (scans for "
            "visitors); revision 0010 cannot be reverted without losing them."
        )
    if _sqlite():
        with op.batch_alter_table("delivery", schema=None, recreate="always") as batch_op:
            batch_op.drop_constraint(batch_op.f("ck_delivery_publication_or_title"), type_="check")
            batch_op.drop_column("title")
            batch_op.alter_column("publication_id", existing_type=sa.Integer(), nullable=False)
        _install_sqlite_triggers()
    else:
        op.drop_constraint(op.f("ck_delivery_publication_or_title"), "delivery", type_="check")
        op.drop_column("delivery", "title")
        op.alter_column("delivery", "publication_id", existing_type=sa.Integer(), nullable=False)

    with op.batch_alter_table("visitor_scan_download", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visitor_scan_download_scan_id"))
    op.drop_table("visitor_scan_download")
    with op.batch_alter_table("visitor_scan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visitor_scan_visit_id"))
        batch_op.drop_index(batch_op.f("ix_visitor_scan_status"))
        batch_op.drop_index(batch_op.f("ix_visitor_scan_publication_id"))
        batch_op.drop_index(batch_op.f("ix_visitor_scan_created_at"))
    op.drop_table("visitor_scan")
