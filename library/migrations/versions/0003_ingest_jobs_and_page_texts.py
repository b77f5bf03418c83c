"""Ingest jobs and page texts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21

Ingest jobs carry a source (by digest, unique), its metadata draft and status; OCR results
are staged per page so a restarted job resumes; page texts feed the search index.
Datetimes are naive UTC, as in 0001.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    _create_ingest_job()
    _create_page_text()
    _create_ingest_page()


def _create_ingest_job() -> None:
    """Create the ingest_job table and its indexes."""
    op.create_table(
        "ingest_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("source_kind", sa.String(length=20), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("source_files", sa.JSON(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("draft", sa.JSON(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("pages_total", sa.Integer(), nullable=False),
        sa.Column("pages_done", sa.Integer(), nullable=False),
        sa.Column("error_code", sa.String(length=40), nullable=False),
        sa.Column("error_message", sa.Text(), nullable=False),
        sa.Column("error_params", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(length=120), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "channel IN ('upload', 'cli', 'csv', 'hot_folder')", name=op.f("ck_ingest_job_channel")
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'processing', 'ready', 'failed')", name=op.f("ck_ingest_job_status")
        ),
        sa.CheckConstraint("pages_done >= 0 AND pages_done <= pages_total", name=op.f("ck_ingest_job_pages")),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_ingest_job_publication_id_publication"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_ingest_job_requested_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_job")),
        sa.UniqueConstraint("source_sha256", name=op.f("uq_ingest_job_source_sha256")),
    )
    with op.batch_alter_table("ingest_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ingest_job_publication_id"), ["publication_id"], unique=False)
        batch_op.create_index("ix_ingest_job_status_heartbeat", ["status", "heartbeat_at"], unique=False)


def _create_page_text() -> None:
    """Create the page_text table."""
    op.create_table(
        "page_text",
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("page_number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.CheckConstraint("source IN ('layer', 'ocr')", name=op.f("ck_page_text_source")),
        sa.CheckConstraint("page_number >= 1", name=op.f("ck_page_text_page_number")),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_page_text_publication_id_publication"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("publication_id", "page_number", name=op.f("pk_page_text")),
    )


def _create_ingest_page() -> None:
    """Create the ingest_page table."""
    op.create_table(
        "ingest_page",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("page_number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("words", sa.JSON(), nullable=False),
        sa.Column("dpi", sa.Integer(), nullable=False),
        sa.Column("skew_degrees", sa.Double(), nullable=False),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["ingest_job.id"], name=op.f("fk_ingest_page_job_id_ingest_job"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("job_id", "page_number", name=op.f("pk_ingest_page")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("ingest_page")
    op.drop_table("page_text")
    with op.batch_alter_table("ingest_job", schema=None) as batch_op:
        batch_op.drop_index("ix_ingest_job_status_heartbeat")
        batch_op.drop_index(batch_op.f("ix_ingest_job_publication_id"))

    op.drop_table("ingest_job")
