"""Public forms sent all at once from one address: at most the limit taken, never an error.

Each browser opens its form first (its own session and token), then all send together, as a
script would. Limits count in the database (the default) or in Redis; either way an attempt is
counted before it is judged, so a burst cannot slip more than the limit through between a
check and a count. Every request also holds one database connection at a time (the `app`
fixture fails the test otherwise), which is what kept a burst from stalling the site.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from flask.testing import FlaskClient

from library.accounts.ratelimit import ACTION_LIMITS, COMPLAINT, GUEST_BOOK, RedisRateLimiter
from tests.conftest import redis_reachable, require_service
from tests.functional.accounts.helpers import csrf_token
from tests.functional.complaints.helpers import FORM as COMPLAINT_FORM
from tests.functional.kiosk.kiosk_helpers import ENTRY, clock_ahead, form_tokens

ACCOUNT_LIMIT = 10  # the settings' default per client address and per email
EXTRA = 8  # attempts sent beyond the limit


@pytest.fixture(params=["database", "redis"])
def limits_in(request: pytest.FixtureRequest, app: Flask) -> Iterator[str]:
    """Count the app's limits in its database, or in Redis (each test under its own keys)."""
    if request.param == "redis":
        require_service("Redis", redis_reachable())
        import redis

        client = redis.Redis.from_url("redis://127.0.0.1:6379/15")
        limiter = RedisRateLimiter(client)
        limiter.PREFIX = f"pustaka-test-{uuid.uuid4().hex[:8]}:"  # type: ignore[misc]
        rt = app.extensions["pustaka"]
        rt.__dict__["throttle"] = dataclasses.replace(rt.throttle, limiter=limiter)
        yield request.param
        for key in client.scan_iter(limiter.PREFIX + "*"):
            client.delete(key)
        client.close()
        return
    yield request.param


def burst(
    app: Flask, count: int, open_form: Callable[[FlaskClient], dict], path: str, filling: float = 0
) -> list[int]:
    """Open the form in `count` browsers one after another, then send them all at once; return the statuses.

    `filling`: seconds a person takes to fill the form in (the app's clock moves on that much).
    """
    clock_ahead(app, 0)
    forms = [(client, open_form(client)) for client in (app.test_client() for _ in range(count))]
    clock_ahead(app, filling)
    together = threading.Barrier(count)

    def send(index: int) -> int:
        client, data = forms[index]
        together.wait()
        return client.post(path, data=data).status_code

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(send, range(count)))


def passed_at_most(statuses: list[int], limit: int) -> None:
    """Check the burst: refused with 429 past the limit, some taken, none over, no other answer."""
    taken = [s for s in statuses if s == 303]
    assert set(statuses) <= {303, 429}, statuses
    assert 1 <= len(taken) <= limit, statuses


def test_reset_requests_fired_at_once_send_at_most_the_limit(app: Flask, limits_in: str) -> None:
    def open_form(client: FlaskClient) -> dict:
        return {"csrf_token": csrf_token(client, "/lupa-sandi"), "email": "siti@example.id"}

    passed_at_most(burst(app, ACCOUNT_LIMIT + EXTRA, open_form, "/lupa-sandi"), ACCOUNT_LIMIT)


def test_registrations_fired_at_once_make_at_most_the_limit(app: Flask, limits_in: str) -> None:
    def open_form(client: FlaskClient) -> dict:
        email = f"pendaftar-{uuid.uuid4().hex[:8]}@example.id"
        password = "kopi tubruk pagi hari"
        return {
            "csrf_token": csrf_token(client, "/daftar"), "name": "Pendaftar", "email": email,
            "password": password, "confirm_password": password, "institution": "Universitas Lampung",
            "occupation": "student", "consent": "y",
        }  # fmt: skip

    passed_at_most(burst(app, ACCOUNT_LIMIT + EXTRA, open_form, "/daftar"), ACCOUNT_LIMIT)


def test_guest_book_entries_fired_at_once_take_at_most_the_limit(app: Flask, limits_in: str) -> None:
    def open_form(client: FlaskClient) -> dict:
        return {**ENTRY, "name": f"Tamu {uuid.uuid4().hex[:6]}", "services": "library", **form_tokens(client)}

    limit = ACTION_LIMITS[GUEST_BOOK].attempts
    passed_at_most(burst(app, limit + EXTRA, open_form, "/buku-tamu", filling=30), limit)


def test_complaints_fired_at_once_file_at_most_the_limit(app: Flask, limits_in: str) -> None:
    def open_form(client: FlaskClient) -> dict:
        return {"csrf_token": csrf_token(client, "/pengaduan"), **COMPLAINT_FORM, "website": ""}

    limit = ACTION_LIMITS[COMPLAINT].attempts
    passed_at_most(burst(app, limit + EXTRA, open_form, "/pengaduan"), limit)
