"""Account emails leave from the interactive lane: a real consumer on the SQLite queue (as in `pustaka
serve`) or on Redis (as `pustaka worker`) takes the job and the email reaches the outbox."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import uuid
from pathlib import Path

import pytest

from library import migrate
from library.accounts.credentials import check_request_password_reset
from library.accounts.ratelimit import Limit, SqlRateLimiter, Throttle
from library.accounts.registration import AccountServices
from library.accounts.users import check_create_user
from library.db import make_engine
from library.models import Role
from library.models.base import utcnow
from library.settings import Settings
from runtime.consumer import start_embedded
from runtime.lanes import Lane
from runtime.root import Runtime
from tests.conftest import redis_reachable, require_service
from tests.waiting import wait_until


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    engine.dispose()
    return Settings.from_env({}, instance_dir=tmp_path / "instance", database_url=database_url)


def outbox_after(folder: Path, count: int, timeout: float = 30) -> list[email.message.EmailMessage]:
    """Wait until the outbox holds `count` emails; return them."""

    def arrived() -> list[Path] | None:
        found = sorted(folder.glob("*.eml"))
        return found if len(found) >= count else None

    found = wait_until(arrived, timeout=timeout, message=f"fewer than {count} emails in {folder}")
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
        for p in found
    ]


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_reset_request_is_mailed_by_a_consumer_of_the_interactive_lane(
    settings: Settings, backend: str
) -> None:
    if backend == "redis":
        require_service("Redis", redis_reachable())
        settings = dataclasses.replace(settings, redis_url="redis://127.0.0.1:6379/0")
    rt = Runtime(settings, f"pustaka-test-{uuid.uuid4().hex[:8]}")
    jobs = rt.jobs
    with rt.uow() as uow:
        check_create_user(
            uow,
            None,
            email="rina@example.id",
            name="Rina",
            roles=[Role.READER],
            password="kopi tubruk pagi",
            now=utcnow(),
        )
        uow.commit()
    # The use case as the web calls it, counting attempts in the database (not in the shared Redis).
    throttle = Throttle(SqlRateLimiter(rt.session_factory), Limit(10, dt.timedelta(minutes=15)))
    services = AccountServices(secret=rt.secret_key, queue=jobs, throttle=throttle)
    for address in ("siapa@example.id", "rina@example.id"):
        with rt.uow() as uow:
            check_request_password_reset(uow, services, email=address, client="10.0.0.1", now=rt.now())
            uow.commit()
    assert jobs.lanes[Lane.INTERACTIVE].pending_count() == 2
    consuming = start_embedded(jobs, [Lane.INTERACTIVE])
    try:
        [mail] = outbox_after(settings.instance_path / "outbox", 1)
        wait_until(
            lambda: jobs.lanes[Lane.INTERACTIVE].pending_count() == 0,
            timeout=30,
            message="the stranger's job was never taken from the lane",
        )
    finally:
        consuming.stop(graceful=True)
        jobs.flush()
        rt.close()
    assert mail["To"] == "rina@example.id" and "/atur-ulang-sandi/" in mail.get_content()
    assert len(list((settings.instance_path / "outbox").glob("*.eml"))) == 1  # none for the stranger
