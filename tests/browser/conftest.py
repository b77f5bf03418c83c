"""Browser tests: the real app served by waitress on loopback, driven in headless Chromium."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from flask import Flask

from library.settings import Settings
from tests.browser.accessibility import Audit, AuditedBrowser, Claims
from tests.conftest import require_service
from tests.demo_fixtures import clone_instance
from tests.serving import serve
from webapp import create_app

PRISTINE = "pristine.sqlite3"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Find the system Chromium (Playwright cannot download browsers here); `PUSTAKA_TEST_CHROMIUM` chooses.

    Chromium's headless shell first: the same engine (Blink, V8, the same release) without the
    full browser around it, as Playwright itself runs headless tests; the full browser's headless
    mode costs more CPU a page.
    """
    chosen = os.environ.get("PUSTAKA_TEST_CHROMIUM")
    for name in (
        (chosen,) if chosen else ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")
    ):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def live_instance(tmp_path_factory: pytest.TempPathFactory, demo_instance: Path) -> Path:
    """Build the demo instance folder the live server serves (its outbox holds the emails sent).

    A copy of its database as built is kept beside it (`pristine_database`): the other tests
    change the served one (tickets, requests of the real today) in whatever order they run.
    """
    instance = clone_instance(demo_instance, tmp_path_factory.mktemp("browser") / "instance")
    shutil.copyfile(instance / "pustaka.sqlite3", instance.parent / PRISTINE)
    return instance


@pytest.fixture(scope="session")
def pristine_database(live_instance: Path) -> Path:
    """Return the demo database as it was built, before any test used the live server."""
    return live_instance.parent / PRISTINE


@pytest.fixture(scope="session")
def app_as_built(
    tmp_path_factory: pytest.TempPathFactory, live_instance: Path, pristine_database: Path
) -> Callable[[str], Flask]:
    """Return a maker of apps, each on its own copy (in a folder so named) of the demo database as built."""

    def made(name: str) -> Flask:
        folder = tmp_path_factory.mktemp(name)
        with (
            closing(sqlite3.connect(pristine_database)) as source,
            closing(sqlite3.connect(folder / "pustaka.sqlite3")) as copy,
        ):
            source.backup(copy)  # SQLite's backup: a consistent copy whatever else holds the file
        (folder / "files").symlink_to(live_instance / "files", target_is_directory=True)
        return create_app(Settings.from_env({}, instance_dir=folder))

    return made


@pytest.fixture(scope="session")
def live_server(live_instance: Path) -> Iterator[str]:
    """Serve a demo instance with waitress on a free loopback port for the whole session."""
    with serve(create_app(Settings.from_env({}, instance_dir=live_instance))) as url:
        yield url


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Launch headless Chromium once per session."""
    executable = chromium_path()
    require_service("Chromium", executable is not None)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
        audited = AuditedBrowser(launched, Audit(claims=Claims.of_this_run(tmp_path_factory.getbasetemp())))
        yield audited
        left = audited.finish_test()  # contexts of module fixtures, closed after their last test
        audited.audit.write_checked()
        launched.close()
        if left:
            pytest.fail("Pages that break WCAG 2.1 A/AA (axe-core):\n" + "\n".join(left))


@pytest.fixture(autouse=True)
def accessible_pages(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a browser test whose pages break a WCAG 2.1 A/AA rule (tests/browser/accessibility.py)."""
    yield
    if "browser" in request.fixturenames:
        found = request.getfixturevalue("browser").finish_test()
        if found:
            pytest.fail("Pages that break WCAG 2.1 A/AA (axe-core):\n" + "\n".join(found))


@pytest.fixture
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """Open a fresh browser context (no cookies) and page for one test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshots() -> Path:
    """Return the folder screenshots are saved to for a person to look at."""
    folder = Path(os.environ.get("PUSTAKA_SCREENSHOT_DIR", "build/screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
