"""/readyz names each part that is not ready: database, Redis, workers, the queue's age, the disk.

A file store refusing writes (`files`) is tried for real in test_store_unwritable.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from runtime.lane_health import beat


def ready_app(make_app: Callable[..., Flask], **overrides) -> Flask:
    return make_app(**{"ready_min_free_mb": 0, **overrides})


@pytest.fixture
def ready(make_app: Callable[..., Flask]) -> Flask:
    return ready_app(make_app)


def workers_alive(app: Flask, at: dt.datetime | None = None) -> None:
    """Say on both lanes that a worker is alive, as a consuming process does every half lease."""
    for huey in app.extensions["pustaka"].jobs.lanes.values():
        beat(huey, None if at is None else at.timestamp())


def test_ready_when_every_part_is(ready: Flask) -> None:
    workers_alive(ready)
    response = ready.test_client().get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ok" and response.json["failing"] == []
    checks = {"database", "workers", "queue", "disk", "files", "backup"}  # no Redis set
    assert set(response.json["checks"]) == checks
    assert response.json["lanes"]["interactive"]["depth"] == 0


def test_no_live_worker_is_named_per_lane(ready: Flask) -> None:
    response = ready.test_client().get("/readyz")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert response.json["failing"] == ["workers"]
    detail = response.json["checks"]["workers"]["detail"]
    assert "interactive lane" in detail and "batch lane" in detail


def test_a_worker_silent_past_the_lease_is_not_alive(ready: Flask) -> None:
    rt = ready.extensions["pustaka"]
    workers_alive(ready, at=rt.now() - dt.timedelta(seconds=rt.settings.job_lease_seconds + 5))
    response = ready.test_client().get("/readyz")
    assert response.json["failing"] == ["workers"]
    assert "last seen 12" in response.json["checks"]["workers"]["detail"]  # 125 s ago


def test_a_job_waiting_past_the_limit_makes_the_queue_not_ready(ready: Flask) -> None:
    rt = ready.extensions["pustaka"]
    rt.jobs.index(1)  # queued on the batch lane; nobody consumes it here
    started = rt.now()
    for minutes, failing in ((9, []), (11, ["queue"])):
        moved = started + dt.timedelta(minutes=minutes)
        rt.now = lambda moved=moved: moved
        workers_alive(ready, at=moved)
        answer = ready.test_client().get("/readyz").json
        assert answer["failing"] == failing, answer
    assert answer["lanes"]["batch"]["depth"] == 1
    assert answer["lanes"]["batch"]["oldest_seconds"] >= 660
    assert "batch lane's oldest job has waited 11 minutes" in answer["checks"]["queue"]["detail"]


def test_a_job_scheduled_for_later_counts_from_its_due_time(ready: Flask) -> None:
    rt = ready.extensions["pustaka"]
    task = rt.jobs.registered["survey_mail"].s(1)
    task.eta = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=15)
    rt.jobs.lanes["interactive"].enqueue(task)
    moved = rt.now() + dt.timedelta(minutes=12)  # 12 minutes after it was queued, 3 before it is due
    rt.now = lambda: moved
    workers_alive(ready, at=moved)
    answer = ready.test_client().get("/readyz").json
    assert answer["failing"] == [], answer
    assert answer["lanes"]["interactive"]["depth"] == 1
    assert answer["lanes"]["interactive"]["oldest_seconds"] is None


def test_a_disk_below_the_setting_is_named(make_app: Callable[..., Flask]) -> None:
    app = ready_app(make_app, ready_min_free_mb=10**9)
    workers_alive(app)
    answer = app.test_client().get("/readyz").json
    assert answer["failing"] == ["disk"]
    assert "under the 1000000000 MB set" in answer["checks"]["disk"]["detail"]


def test_a_database_without_the_schema_is_named(tmp_path: Path, make_app: Callable[..., Flask]) -> None:
    app = ready_app(make_app, instance_dir=tmp_path / "empty")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert "database" in response.json["failing"]
    assert "pustaka db upgrade" in response.json["checks"]["database"]["detail"]


def test_redis_away_is_named_and_answered_at_once(make_app: Callable[..., Flask]) -> None:
    app = ready_app(make_app, redis_url="redis://127.0.0.1:1/0")  # nothing listens on port 1
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["failing"] == ["redis", "workers", "queue"]
    assert response.json["checks"]["redis"]["detail"].startswith("unreachable")
    assert "cannot be read" in response.json["checks"]["queue"]["detail"]


def test_a_sign_in_while_redis_is_away_is_told_to_try_again_not_a_server_error(
    make_app: Callable[..., Flask],
) -> None:
    app = ready_app(make_app, redis_url="redis://127.0.0.1:1/0")
    client = app.test_client()
    form = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    answer = client.post("/masuk", data={"csrf_token": token, "email": "a@example.id", "password": "x" * 12})
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "60"
    assert "Coba lagi" in answer.get_data(as_text=True) or "coba lagi" in answer.get_data(as_text=True)
