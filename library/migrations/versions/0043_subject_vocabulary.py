"""Controlled subjects: BPS's vocabulary seeded, publications matched to it (data only)

Revision ID: 0043
Revises: 0042
Create Date: 2026-11-29

Seeds the groups, subjects and aliases of `catalog_data/subjects.toml` that the database lacks,
then gives each publication whose subject text folds (accents, case and spaces aside) to a
subject's name or alias that subject's id. A text matched through an alias or spelled
differently ("kemiskinan ", "Ketenagakerjaan") becomes the subject's Indonesian name, recorded
in the publication's history as the upgrade's change and raising its version; a text that
matches nothing is kept as it is (the librarian's subject screen lists it, to merge by hand).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from catalog_data import fold, load_subjects

revision: str = "0043"
down_revision: str | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = "Reads every publication's subject once to match it to the controlled subjects."
# Who the history names for the upgrade's changes.
CHANGED_BY = "pustaka db upgrade"

GROUP = sa.table(
    "subject_group",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name_id", sa.String),
    sa.column("name_en", sa.String),
    sa.column("position", sa.Integer),
)
TERM = sa.table(
    "subject_term",
    sa.column("id", sa.Integer),
    sa.column("group_id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name_id", sa.String),
    sa.column("name_en", sa.String),
    sa.column("bps_id", sa.String),
    sa.column("origin", sa.String),
    sa.column("active", sa.Boolean),
    sa.column("created_at", sa.DateTime),
)
ALIAS = sa.table(
    "subject_alias",
    sa.column("id", sa.Integer),
    sa.column("term_id", sa.Integer),
    sa.column("text", sa.String),
    sa.column("created_at", sa.DateTime),
)
PUBLICATION = sa.table(
    "publication",
    sa.column("id", sa.Integer),
    sa.column("subject", sa.String),
    sa.column("subject_id", sa.Integer),
    sa.column("version", sa.Integer),
)
CHANGE = sa.table(
    "publication_change",
    sa.column("publication_id", sa.Integer),
    sa.column("version", sa.Integer),
    sa.column("changed_at", sa.DateTime),
    sa.column("changed_by_name", sa.String),
    sa.column("field", sa.String),
    sa.column("old_value", sa.Text),
    sa.column("new_value", sa.Text),
)


def upgrade() -> None:
    """Apply this revision."""
    bind = op.get_bind()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    _seed(bind, now)
    names = {
        fold(name): (term_id, name) for term_id, name in bind.execute(sa.select(TERM.c.id, TERM.c.name_id))
    }
    by_alias = {
        text: (term_id, name)
        for text, term_id, name in bind.execute(
            sa.select(ALIAS.c.text, TERM.c.id, TERM.c.name_id).join(TERM, TERM.c.id == ALIAS.c.term_id)
        )
    }
    rows = bind.execute(
        sa.select(PUBLICATION.c.id, PUBLICATION.c.subject, PUBLICATION.c.version).where(
            PUBLICATION.c.subject != "", PUBLICATION.c.subject_id.is_(None)
        )
    ).all()
    for publication_id, subject, version in rows:
        match = names.get(fold(subject)) or by_alias.get(fold(subject))
        if match is None:
            continue  # free text: kept, and listed on the subject screen
        term_id, name = match
        values: dict[str, object] = {"subject_id": term_id}
        if subject != name:
            values.update(subject=name, version=version + 1)
            bind.execute(
                sa.insert(CHANGE).values(
                    publication_id=publication_id,
                    version=version + 1,
                    changed_at=now,
                    changed_by_name=CHANGED_BY,
                    field="subject",
                    old_value=subject,
                    new_value=name,
                )
            )
        bind.execute(sa.update(PUBLICATION).where(PUBLICATION.c.id == publication_id).values(**values))


def _seed(bind: sa.Connection, now: dt.datetime) -> None:
    """Insert the groups, subjects and aliases the database lacks (none twice)."""
    groups = dict(bind.execute(sa.select(GROUP.c.code, GROUP.c.id)).all())
    terms = {fold(name): term_id for name, term_id in bind.execute(sa.select(TERM.c.name_id, TERM.c.id))}
    aliases = set(bind.execute(sa.select(ALIAS.c.text)).scalars())
    for position, group in enumerate(load_subjects()):
        if group.code not in groups:
            groups[group.code] = bind.execute(
                sa.insert(GROUP)
                .values(code=group.code, name_id=group.name, name_en=group.name_en, position=position)
                .returning(GROUP.c.id)
            ).scalar_one()
        for term in group.terms:
            if fold(term.name) not in terms:
                terms[fold(term.name)] = bind.execute(
                    sa.insert(TERM)
                    .values(
                        group_id=groups[group.code],
                        code=term.code,
                        name_id=term.name,
                        name_en=term.name_en,
                        bps_id=term.bps_id,
                        origin=term.origin,
                        active=True,
                        created_at=now,
                    )
                    .returning(TERM.c.id)
                ).scalar_one()
            for alias in {fold(a) for a in term.aliases} - aliases - set(terms):
                bind.execute(
                    sa.insert(ALIAS).values(term_id=terms[fold(term.name)], text=alias, created_at=now)
                )
                aliases.add(alias)


def downgrade() -> None:
    """Revert this revision: nothing to undo (0042's downgrade drops the tables and their rows)."""
