"""Checking that a page keeps to its screen's width: nothing scrolls sideways, nothing spills over."""

from __future__ import annotations

from playwright.sync_api import Page

# The first five elements whose right edge passes the screen's, unless a box around them scrolls or clips.
WIDER_THAN_THE_SCREEN = """() => [...document.body.querySelectorAll('*')].filter((el) => {
  for (let box = el.parentElement; box; box = box.parentElement)
    if (box !== document.body && getComputedStyle(box).overflowX !== 'visible') return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.right > window.innerWidth + 0.5;
}).slice(0, 5).map((el) => el.tagName + '.' + [...el.classList].join('.'))"""


def loaded(page: Page) -> None:
    """Wait until the page's stylesheets apply, before its layout is measured.

    A check right after a form was sent finds the new page's text before its stylesheets have
    arrived (later on a busy machine), and an unstyled table is wider than a phone.
    """
    page.wait_for_load_state("load")


def fits_the_width(page: Page, part: str = "html") -> bool:
    """Tell whether the page (or its first `part`, a CSS selector) fits the window's width."""
    loaded(page)
    return bool(
        page.evaluate("(part) => document.querySelector(part).scrollWidth <= window.innerWidth", part)
    )


def no_sideways_scroll(page: Page) -> None:
    """Check that the page fits the window's width."""
    loaded(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def nothing_wider_than_the_screen(page: Page) -> None:
    """Check that no element of the page is wider than the screen (a box that scrolls may hold one)."""
    loaded(page)
    assert page.evaluate(WIDER_THAN_THE_SCREEN) == []
