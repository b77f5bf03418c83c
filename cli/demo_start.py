"""A demo instance's first start: an administrator to sign in as, and the demo catalogue.

The catalogue is loaded in batch children, so the memory it takes does not stay in the server's.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import click
from sqlalchemy import func, select

from cli.context import clear_errors
from cli.database import load_demo_catalogue
from library.accounts.users import check_create_user
from library.models import Role, User, UserRole
from library.permissions import SYSTEM
from library.settings import Settings
from runtime.batch_child import run_in_child
from runtime.root import Runtime

log = logging.getLogger(__name__)
DEMO_ADMIN = "admin@pustaka.demo"
DEMO_ROLES = frozenset({Role.ADMIN, Role.LIBRARIAN, Role.FRONT_OFFICE, Role.CONSULTANT, Role.OFFICE_HEAD})


def demo_administrator(rt: Runtime) -> str | None:
    """Give a new demo instance an administrator (unless it has one); return how to sign in as them.

    Nobody could sign in as staff on a fresh demo: the administrator is made without a password,
    and the one-time link printed (valid 7 days, used once) lets whoever started the demo choose it.
    """
    with rt.transaction() as uow:
        admins = uow.session.scalar(
            select(func.count(UserRole.user_id)).where(UserRole.role == Role.ADMIN.value)
        )
        if admins:
            return None
        made = check_create_user(
            uow,
            SYSTEM,
            email=DEMO_ADMIN,
            name="Administrator Demo",
            roles=DEMO_ROLES,
            password=None,
            email_verified=True,
            now=rt.now(),
        )
        first = rt.password_links().for_account(uow.session.get_one(User, made.id), rt.now())
    assert first is not None  # made without a password
    return (
        f"Staff: sign in as {DEMO_ADMIN} (every staff role) after choosing its password through this "
        f"one-time link (valid 7 days):\n  {first.link}"
    )


def load_demo(settings: Settings, queue_name: str, marker: Path, attempts: int = 3) -> None:
    """Take the rest of the demo catalogue in (in a batch child), then mark it loaded (unless it is)."""
    if marker.exists():
        return  # loaded while an earlier job process ran
    for attempt in range(1, attempts + 1):
        try:
            run_in_child(load_demo_in_child, settings, queue_name)
        except Exception as exc:  # noqa: BLE001 - the site keeps serving; the next start resumes the load
            log.warning("Demo catalogue, attempt %s of %s: %s", attempt, attempts, exc)
            time.sleep(settings.job_lease_seconds + 5)  # a job held by a stopped server is free by then
            continue
        marker.write_text("The demo catalogue was loaded; delete this file to load it again.\n")
        return
    log.error("The demo catalogue could not be loaded completely; it resumes on the next start.")


def load_demo_in_child(settings: Settings, queue_name: str, scanned: bool | None = None) -> None:
    """Load the demo catalogue (what is missing) with a runtime of its own.

    Only the born-digital records (`scanned=False`) are indexed here, at once; the others
    are queued for the job process to index as each is ready.
    """
    logging.getLogger("huey").setLevel(logging.WARNING)
    rt = Runtime(settings, queue_name)
    try:
        with clear_errors():
            load_demo_catalogue(rt, show_progress=False, scanned=scanned, index_now=scanned is False)
    except click.ClickException as exc:
        raise SystemExit(exc.message) from None
    finally:
        rt.close()
