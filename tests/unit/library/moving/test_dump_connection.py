"""What pg_dump and pg_restore are given of a PostgreSQL URL: the password and the options apart."""

from __future__ import annotations

import pytest

from library.moving.dumps import _libpq

URL = (
    "postgresql+psycopg://pustaka:rahasia@db.example:5432/pst"
    "?options=-csearch_path%3Dkantor%20-csynchronous_commit%3Doff&sslmode=require"
)


def test_every_server_option_reaches_the_tool_whole_and_the_password_stays_off_its_command_line() -> None:
    conninfo, env, schema = _libpq(URL)
    # Written again into the URL, the space between two options would be a "+", which libpq
    # reads as part of the first one's value (search_path "kantor+-csynchronous_commit=off").
    assert env["PGOPTIONS"] == "-csearch_path=kantor -csynchronous_commit=off"
    assert conninfo == "postgresql://pustaka@db.example:5432/pst?sslmode=require"
    assert env["PGPASSWORD"] == "rahasia" and "rahasia" not in conninfo
    assert schema == ["--schema=kantor"]


def test_a_url_without_options_or_password_sets_neither(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGOPTIONS", raising=False)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    conninfo, env, schema = _libpq("postgresql+psycopg://postgres@127.0.0.1/test")
    assert "PGOPTIONS" not in env and "PGPASSWORD" not in env
    assert (conninfo, schema) == ("postgresql://postgres@127.0.0.1/test", [])
