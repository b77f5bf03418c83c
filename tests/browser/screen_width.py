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


def no_sideways_scroll(page: Page) -> None:
    """Check that the page fits the window's width."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def nothing_wider_than_the_screen(page: Page) -> None:
    """Check that no element of the page is wider than the screen (a box that scrolls may hold one)."""
    assert page.evaluate(WIDER_THAN_THE_SCREEN) == []
