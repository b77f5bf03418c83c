"""Following the site's main menu as a person would, on a desktop or on a phone."""

from __future__ import annotations

import time

from playwright.sync_api import Page


def follow_menu(page: Page, name: str) -> None:
    """Click a link of the main menu, opening the phone's Menu first when it is closed."""
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name=name).click()


# A picture has arrived and been decoded: a function of its CSS selector.
DECODED = "s => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }"


def wait_until(page: Page, script: str, arg: object = None, timeout: float = 30.0) -> None:
    """Wait until a script (a function of `arg`) is true in the page.

    Polled from here with `evaluate`, not with `wait_for_function`: that evaluates its text with
    `eval` inside the page, which the site's Content-Security-Policy forbids.
    """
    stop = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        if time.monotonic() > stop:
            raise AssertionError(f"still false after {timeout:g} s: {script}")
        page.wait_for_timeout(100)
