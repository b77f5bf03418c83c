"""Offices, service standards, users, publications, holdings, file assets

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-21 00:51:52.065475

Datetimes are stored as naive UTC; library.models.base.UTCDateTime makes them aware.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    _create_office()
    _create_user_account()
    _create_publication()
    _create_service_standard()
    _create_user_role()
    _create_complaint_channel()
    _create_file_asset()
    _create_holding()


def _create_office() -> None:
    """Create the office table."""
    op.create_table(
        "office",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("province", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("website", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office")),
        sa.UniqueConstraint("code", name=op.f("uq_office_code")),
    )


def _create_user_account() -> None:
    """Create the user_account table."""
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email_verified", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )


def _create_publication() -> None:
    """Create the publication table and its indexes."""
    op.create_table(
        "publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("alternative_title", sa.String(length=500), nullable=False),
        sa.Column("abstract", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("publication_type", sa.String(length=120), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("reference_period", sa.String(length=50), nullable=False),
        sa.Column("scheduled_release", sa.Date(), nullable=True),
        sa.Column("actual_release", sa.Date(), nullable=True),
        sa.Column("issuing_office_id", sa.Integer(), nullable=False),
        sa.Column("katalog_bps", sa.String(length=40), nullable=False),
        sa.Column("nomor_publikasi", sa.String(length=40), nullable=False),
        sa.Column("issn", sa.String(length=20), nullable=False),
        sa.Column("isbn", sa.String(length=20), nullable=False),
        sa.Column("access_level", sa.String(length=20), nullable=False),
        sa.Column("embargo_until", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(access_level = 'embargoed') = (embargo_until IS NOT NULL)",
            name=op.f("ck_publication_embargo_date"),
        ),
        sa.CheckConstraint(
            "access_level IN ('open', 'registered', 'restricted', 'embargoed')",
            name=op.f("ck_publication_access_level"),
        ),
        sa.ForeignKeyConstraint(
            ["issuing_office_id"], ["office.id"], name=op.f("fk_publication_issuing_office_id_office")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication")),
        sa.UniqueConstraint("key", name=op.f("uq_publication_key")),
    )
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.create_index("ix_publication_katalog_bps", ["katalog_bps"], unique=False)
        batch_op.create_index(
            "ix_publication_office_release", ["issuing_office_id", "actual_release"], unique=False
        )


def _create_service_standard() -> None:
    """Create the service_standard table."""
    op.create_table(
        "service_standard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("sk_number", sa.String(length=200), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("walk_in_minutes", sa.Integer(), nullable=True),
        sa.Column("walk_in_clock", sa.String(length=20), nullable=True),
        sa.Column("online_working_days", sa.Integer(), nullable=True),
        sa.Column("inactivity_close_days", sa.Integer(), nullable=True),
        sa.Column("inactivity_close_working_days", sa.Boolean(), nullable=False),
        sa.Column("inactivity_close_automatic", sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind IN ('library', 'consultation')", name=op.f("ck_service_standard_kind")),
        sa.CheckConstraint(
            "walk_in_clock IS NULL OR walk_in_clock IN ('guest_book', 'previous_finished')",
            name=op.f("ck_service_standard_walk_in_clock"),
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["office.id"],
            name=op.f("fk_service_standard_office_id_office"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_standard")),
        sa.UniqueConstraint("office_id", "kind", name=op.f("uq_service_standard_office_id")),
    )


def _create_user_role() -> None:
    """Create the user_role table."""
    op.create_table(
        "user_role",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "role IN ('reader', 'front_office', 'librarian', 'consultant', 'admin')",
            name=op.f("ck_user_role_role"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_user_role_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_role")),
    )


def _create_complaint_channel() -> None:
    """Create the complaint_channel table."""
    op.create_table(
        "complaint_channel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=500), nullable=False),
        sa.Column("label_en", sa.String(length=500), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service_standard.id"],
            name=op.f("fk_complaint_channel_service_id_service_standard"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_channel")),
    )


def _create_file_asset() -> None:
    """Create the file_asset table and its indexes."""
    op.create_table(
        "file_asset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=True),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "origin IS NULL OR origin IN ('born_digital', 'scanned', 'mixed')",
            name=op.f("ck_file_asset_origin"),
        ),
        sa.CheckConstraint("role IN ('master', 'access', 'thumbnail')", name=op.f("ck_file_asset_role")),
        sa.CheckConstraint("size_bytes >= 0", name=op.f("ck_file_asset_size")),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_file_asset_publication_id_publication"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_asset")),
        sa.UniqueConstraint("publication_id", "role", "sha256", name=op.f("uq_file_asset_publication_id")),
    )
    with op.batch_alter_table("file_asset", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_file_asset_publication_id"), ["publication_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_file_asset_sha256"), ["sha256"], unique=False)


def _create_holding() -> None:
    """Create the holding table."""
    op.create_table(
        "holding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("call_number", sa.String(length=100), nullable=False),
        sa.Column("shelf", sa.String(length=100), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.CheckConstraint("copies >= 0", name=op.f("ck_holding_copies")),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_holding_publication_id_publication"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holding")),
    )


def downgrade() -> None:
    """Revert this revision."""

    op.drop_table("holding")
    with op.batch_alter_table("file_asset", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_file_asset_sha256"))
        batch_op.drop_index(batch_op.f("ix_file_asset_publication_id"))

    op.drop_table("file_asset")
    op.drop_table("complaint_channel")
    op.drop_table("user_role")
    op.drop_table("service_standard")
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.drop_index("ix_publication_office_release")
        batch_op.drop_index("ix_publication_katalog_bps")

    op.drop_table("publication")
    op.drop_table("user_account")
    op.drop_table("office")
