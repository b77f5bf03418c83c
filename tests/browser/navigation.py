"""Following the site's main menu as a person would, on a desktop or on a phone."""

from __future__ import annotations

from playwright.sync_api import Page


def follow_menu(page: Page, name: str) -> None:
    """Click a link of the main menu, opening the phone's Menu first when it is closed."""
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name=name).click()
