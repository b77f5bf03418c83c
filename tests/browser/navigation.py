"""Following the site's main menu as a person would, on a desktop or on a phone; waiting in the page."""

from __future__ import annotations

from playwright.sync_api import Page


def follow_menu(page: Page, name: str) -> None:
    """Click a link of the main menu, opening the phone's Menu first when it is closed.

    Whether there is a Menu button to press is the layout's choice (the phone's narrow screen), made
    by the style sheet and by menu.js in the page's head before the header is drawn: it is settled
    once the page has loaded, so a look at it now (not a waiting assertion) chooses the way in.
    """
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name=name).click()


# A picture has arrived and been decoded: a function of its CSS selector.
DECODED = "s => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }"


def wait_in_page(page: Page, script: str, arg: object = None, timeout: float = 30.0) -> None:
    """Wait until a script, a function of `arg` (`"x => ..."`), is true in the page.

    It must be a function, not a bare expression: `wait_for_function` turns its text into code
    with `eval` inside the page. A function's text is turned into code once, as the wait starts,
    which the site's Content-Security-Policy (no 'unsafe-eval') lets through; a bare expression
    would be evaluated again on every check, and the policy refuses that.
    """
    if "=>" not in script and not script.lstrip().startswith(("function", "async")):
        raise ValueError(f"not a function, which the site's CSP needs: {script}")
    page.wait_for_function(script, arg=arg, timeout=timeout * 1000)
