"""Pictures of pages saved for a person to look at (a test's assertions never read them).

Taking one costs Chromium a full render and a PNG (about 0.4 s for a whole page), so they are
saved only when asked for: `PUSTAKA_SCREENSHOTS=1`, or `PUSTAKA_SCREENSHOT_DIR` naming the
folder (default `build/screenshots`).
"""

from __future__ import annotations

import os
from pathlib import Path


def wanted() -> bool:
    """Tell whether this run saves pictures of its pages."""
    return os.environ.get("PUSTAKA_SCREENSHOTS", "") not in ("", "0") or bool(
        os.environ.get("PUSTAKA_SCREENSHOT_DIR")
    )


def shoot(target: object, path: Path, *, full_page: bool = False) -> None:
    """Save a picture of the page or element (anything with Playwright's `screenshot`) to `path`."""
    if not wanted():
        return
    if full_page:
        target.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    else:
        target.screenshot(path=str(path))  # type: ignore[attr-defined]
