"""Pooled PostgreSQL connections: pinged only after being idle, and replaced when the server closed them."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import Engine, text

from library import db
from library.db import make_engine
from tests.conftest import PG_BASE_URL

pytestmark = pytest.mark.postgres

BACKEND = text("SELECT pg_backend_pid()")


def _close_from_the_server(pid: int) -> None:
    admin = make_engine(PG_BASE_URL)
    try:
        with admin.begin() as conn:
            assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        admin.dispose()


def _pings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    pinged: list[object] = []
    real = engine.dialect.do_ping

    def counted(dbapi_connection: object) -> bool:
        pinged.append(dbapi_connection)
        return real(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return pinged


def test_a_connection_the_server_closed_while_idle_is_replaced_before_a_request_gets_it(
    postgres_schema_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    engine = make_engine(postgres_schema_url, threads=1)
    try:
        with engine.connect() as conn:
            closed = conn.scalar(BACKEND)
        _close_from_the_server(closed)
        monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", -1.0)  # as if idle past the window
        pinged = _pings(engine, monkeypatch)
        with caplog.at_level(logging.WARNING, logger="library.db"), engine.connect() as conn:
            assert conn.scalar(BACKEND) != closed
        assert pinged[0].closed  # type: ignore[attr-defined]  # the dead one was pinged, then replaced
        assert "a pooled database connection idle" in caplog.text
    finally:
        engine.dispose()


def test_a_connection_used_moments_ago_is_handed_out_without_a_round_trip(
    postgres_schema_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(postgres_schema_url, threads=1)
    try:
        monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 3600.0)
        pinged = _pings(engine, monkeypatch)
        backends = set()
        for _ in range(5):
            with engine.connect() as conn:
                backends.add(conn.scalar(BACKEND))
        assert len(backends) == 1  # the same pooled connection each time
        assert pinged == []
    finally:
        engine.dispose()
