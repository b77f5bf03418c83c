"""A new demo instance has an administrator whose password is chosen through a printed one-time link."""

from __future__ import annotations

import re
from pathlib import Path

from cli.demo_start import DEMO_ADMIN, demo_administrator
from library import migrate
from library.accounts.credentials import check_reset_password
from library.accounts.registration import AccountServices
from library.settings import Settings
from runtime.root import Runtime


def test_the_first_start_prints_a_one_time_link_for_the_demo_administrator(tmp_path: Path) -> None:
    rt = Runtime(
        Settings.from_env({}, instance_dir=tmp_path / "instance", base_url="http://pst.example:8080")
    )
    migrate.upgrade(rt.engine)
    said = demo_administrator(rt)
    assert said is not None and DEMO_ADMIN in said
    found = re.search(r"http://pst\.example:8080/atur-ulang-sandi/(\S+)", said)
    assert found is not None
    services = AccountServices(secret=rt.secret_key, queue=rt.jobs, throttle=rt.throttle)
    with rt.transaction() as uow:
        target = check_reset_password(
            uow, services, found.group(1), password="kopi tubruk pagi hari", now=rt.now()
        )
    assert target.email == DEMO_ADMIN
    assert demo_administrator(rt) is None  # an instance with an administrator gets no second one
    rt.close()
