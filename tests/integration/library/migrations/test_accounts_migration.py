"""Migration 0004 adds the account columns to existing rows without losing anyone's roles."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import Engine, text

from library import migrate


def migrate_to(engine: Engine, revision: str, down: bool = False) -> None:
    config = migrate.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def test_existing_accounts_get_defaults_and_verified_ones_a_verification_time(engine: Engine) -> None:
    migrate_to(engine, "0003", down=True)
    created = dt.datetime(2025, 5, 1, 9, 30)
    with engine.begin() as conn:
        for email, verified in (("staf@bps.go.id", True), ("baru@example.id", False)):
            conn.execute(
                text(
                    "INSERT INTO user_account (email, name, email_verified, active, created_at) "
                    "VALUES (:e, 'Nama', :v, :a, :c)"
                ),
                {"e": email, "v": verified, "a": True, "c": created},
            )
        conn.execute(text("INSERT INTO user_role (user_id, role) SELECT id, 'librarian' FROM user_account"))
    migrate_to(engine, "head")
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT email, CASE WHEN email_verified_at = created_at THEN 'created' "
                "WHEN email_verified_at IS NULL THEN 'never' ELSE 'other' END, "
                "institution, session_version, occupation FROM user_account ORDER BY email"
            )
        ).all()
        roles = conn.execute(text("SELECT count(*) FROM user_role")).scalar()
    assert [tuple(r) for r in rows] == [
        ("baru@example.id", "never", "", 0, None),
        ("staf@bps.go.id", "created", "", 0, None),
    ]
    assert roles == 2


def test_going_back_to_0003_keeps_accounts_and_roles(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO user_account "
                "(email, name, email_verified, active, created_at, institution, session_version) "
                "VALUES ('a@bps.go.id', 'A', :t, :t, :c, 'BPS', 3)"
            ),
            {"t": True, "c": dt.datetime(2025, 1, 1)},
        )
        conn.execute(text("INSERT INTO user_role (user_id, role) SELECT id, 'admin' FROM user_account"))
    migrate_to(engine, "0003", down=True)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT email FROM user_account")).scalars().all() == ["a@bps.go.id"]
        assert conn.execute(text("SELECT role FROM user_role")).scalars().all() == ["admin"]
    migrate_to(engine, "head")
    assert migrate.is_up_to_date(engine)
