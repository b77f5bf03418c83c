"""The collection as a librarian runs it: controlled subjects, printed items, stock-taking

Revision ID: 0042
Revises: 0041
Create Date: 2026-11-29

`subject_group`, `subject_term` (BPS's subjects and the office's own, in Indonesian and English)
and `subject_alias` (free-text variants merged into a term); `publication.subject_id` names the
controlled subject of a publication's subject text. `item` (one printed copy of a holding, by its
barcode) and `item_event` (its history: statuses, in-house use, stock-taking); `stocktake` and
`stocktake_scan` (a stock-taking of a location and the barcodes scanned in it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0042"
down_revision: str | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = (
    "On SQLite, copies the publications (publication) to let them name a controlled subject; "
    "makes one item per printed copy of every holding."
)
# The barcodes of the copies already held: B and eight digits, in holding order (an office's own
# pattern, PUSTAKA_ITEM_BARCODE_PATTERN, numbers the items added later).
UPGRADE_BARCODE = "B{:08d}"


def upgrade() -> None:
    """Apply this revision."""
    _subjects()
    _items()
    _histories()
    _scans()
    _items_of_holdings()
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_publication_subject_id"), ["subject_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_publication_subject_id_subject_term"),
            "subject_term",
            ["subject_id"],
            ["id"],
            ondelete="SET NULL",
        )


def _subjects() -> None:
    """Create the controlled subjects: groups, terms and merged variants."""
    op.create_table(
        "subject_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name_id", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_group")),
        sa.UniqueConstraint("code", name=op.f("uq_subject_group_code")),
    )
    op.create_table(
        "subject_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("name_id", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("bps_id", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("origin IN ('bps', 'office')", name=op.f("ck_subject_term_origin")),
        sa.ForeignKeyConstraint(
            ["group_id"], ["subject_group.id"], name=op.f("fk_subject_term_group_id_subject_group")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_term")),
        sa.UniqueConstraint("code", name=op.f("uq_subject_term_code")),
        sa.UniqueConstraint("name_id", name=op.f("uq_subject_term_name_id")),
    )
    with op.batch_alter_table("subject_term", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subject_term_group_id"), ["group_id"], unique=False)

    op.create_table(
        "subject_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_subject_alias_created_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["subject_term.id"],
            name=op.f("fk_subject_alias_term_id_subject_term"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_alias")),
        sa.UniqueConstraint("text", name=op.f("uq_subject_alias_text")),
    )
    with op.batch_alter_table("subject_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subject_alias_term_id"), ["term_id"], unique=False)


def _items() -> None:
    """Create the stock-takings and the printed items."""
    op.create_table(
        "stocktake",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'paused', 'closed')", name=op.f("ck_stocktake_status")),
        sa.ForeignKeyConstraint(
            ["closed_by"],
            ["user_account.id"],
            name=op.f("fk_stocktake_closed_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["started_by"],
            ["user_account.id"],
            name=op.f("fk_stocktake_started_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stocktake")),
    )
    op.create_table(
        "item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holding_id", sa.Integer(), nullable=False),
        sa.Column("barcode", sa.String(length=40), nullable=False),
        sa.Column("call_number", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "status IN ('shelf', 'reading_room', 'missing', 'damaged', 'withdrawn')",
            name=op.f("ck_item_status"),
        ),
        sa.ForeignKeyConstraint(
            ["holding_id"], ["holding.id"], name=op.f("fk_item_holding_id_holding"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item")),
        sa.UniqueConstraint("barcode", name=op.f("uq_item_barcode")),
    )
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_holding_id"), ["holding_id"], unique=False)


def _histories() -> None:
    """Create the items' history."""
    op.create_table(
        "item_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("stocktake_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "action IN ('created', 'status', 'used', 'seen', 'stocktake')", name=op.f("ck_item_event_action")
        ),
        sa.CheckConstraint(
            "status IN ('shelf', 'reading_room', 'missing', 'damaged', 'withdrawn')",
            name=op.f("ck_item_event_status"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_item_event_actor_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_item_event_item_id_item"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["stocktake_id"],
            ["stocktake.id"],
            name=op.f("fk_item_event_stocktake_id_stocktake"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_event")),
    )
    with op.batch_alter_table("item_event", schema=None) as batch_op:
        batch_op.create_index("ix_item_event_action_at", ["action", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_item_event_item_id"), ["item_id"], unique=False)


def _scans() -> None:
    """Create the barcodes scanned in stock-takings."""
    op.create_table(
        "stocktake_scan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stocktake_id", sa.Integer(), nullable=False),
        sa.Column("barcode", sa.String(length=40), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_stocktake_scan_actor_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_stocktake_scan_item_id_item"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["stocktake_id"],
            ["stocktake.id"],
            name=op.f("fk_stocktake_scan_stocktake_id_stocktake"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stocktake_scan")),
        sa.UniqueConstraint("stocktake_id", "barcode", name=op.f("uq_stocktake_scan_stocktake_id")),
    )
    with op.batch_alter_table("stocktake_scan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stocktake_scan_stocktake_id"), ["stocktake_id"], unique=False)


def _items_of_holdings() -> None:
    """Make one item per printed copy each holding counts, on the shelf, with its call number."""
    bind = op.get_bind()
    holdings = bind.execute(sa.text("SELECT id, call_number, copies FROM holding ORDER BY id")).all()
    item = sa.table(
        "item",
        sa.column("holding_id", sa.Integer),
        sa.column("barcode", sa.String),
        sa.column("call_number", sa.String),
        sa.column("status", sa.String),
        sa.column("status_at", sa.DateTime),
        sa.column("created_at", sa.DateTime),
        sa.column("note", sa.String),
    )
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows, number = [], 0
    for holding_id, call_number, copies in holdings:
        for _ in range(copies):
            number += 1
            rows.append(
                {
                    "holding_id": holding_id,
                    "barcode": UPGRADE_BARCODE.format(number),
                    "call_number": call_number,
                    "status": "shelf",
                    "status_at": now,
                    "created_at": now,
                    "note": "",
                }
            )
    if rows:
        op.bulk_insert(item, rows)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_publication_subject_id_subject_term"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_publication_subject_id"))
        batch_op.drop_column("subject_id")

    with op.batch_alter_table("stocktake_scan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stocktake_scan_stocktake_id"))

    op.drop_table("stocktake_scan")
    with op.batch_alter_table("item_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_event_item_id"))
        batch_op.drop_index("ix_item_event_action_at")

    op.drop_table("item_event")
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_holding_id"))

    op.drop_table("item")
    with op.batch_alter_table("subject_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subject_alias_term_id"))

    op.drop_table("subject_alias")
    with op.batch_alter_table("subject_term", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subject_term_group_id"))

    op.drop_table("subject_term")
    op.drop_table("stocktake")
    op.drop_table("subject_group")
