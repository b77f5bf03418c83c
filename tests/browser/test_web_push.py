"""Web Push on the visitor's status page in Chromium: offered, refused plainly, and never a dead button.

Headless Chromium has the Push API but no push service to reach here, so what is checked is
what a visitor meets whatever their browser answers: the offer appears only with JavaScript and
the Push API, a refused permission says how to allow it, a browser whose push service cannot be
reached says to keep the page open, and the service worker is registered for the whole site.
What the office then sends is proven in tests/functional/messaging/test_web_push.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from library.settings import Settings
from runtime.root import Runtime
from tests.serving import serve
from tests.visits import walk_in
from webapp import create_app

PHONE = {"width": 360, "height": 740}
OFFER = "Beri tahu saya di ponsel ini"


@pytest.fixture(scope="module")
def pushing(live_instance: Path) -> Iterator[tuple[str, str]]:
    """Serve the demo instance offering Web Push; return its address and a waiting visit's status page."""
    rt = Runtime(Settings.from_env({}, instance_dir=live_instance, web_push=True))
    with rt.transaction() as uow:
        visit, _ = walk_in(uow, "Sari Push", dt.datetime.now(dt.UTC), ("library",))
        uow.session.flush()
        token = visit.status_token
    with serve(create_app(rt)) as url:
        yield url, f"{url}/kunjungan/{token}"


def test_a_refused_permission_tells_the_visitor_how_to_allow_it(browser, pushing: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    _, status = pushing
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    tab = context.new_page()
    tab.goto(status)
    offer = tab.get_by_role("button", name=OFFER)
    expect(offer).to_be_visible()
    offer.click()
    expect(tab.get_by_role("status")).to_contain_text("Pemberitahuan untuk situs ini diblokir")
    expect(offer).to_be_visible()  # offered again, once allowed
    context.close()


def test_a_browser_whose_push_service_cannot_be_reached_is_told_to_keep_the_page_open(  # type: ignore[no-untyped-def]
    browser, pushing: tuple[str, str]
) -> None:
    url, status = pushing
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    context.grant_permissions(["notifications"], origin=url)
    tab = context.new_page()
    tab.goto(status)
    tab.get_by_role("button", name=OFFER).click()
    expect(tab.get_by_role("status")).to_contain_text("Biarkan halaman ini tetap terbuka", timeout=20_000)
    scope = tab.evaluate("navigator.serviceWorker.getRegistration('/').then((r) => r && r.scope)")
    assert scope == f"{url}/"
    context.close()
