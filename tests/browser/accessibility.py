"""Every page the browser tests visit, checked by axe-core for WCAG 2.1 A and AA.

The session's browser is wrapped so that each context it opens is watched: the addresses its
pages go to are noted (a listener that only records, so it never calls the browser from an
event). When a context is closed, by the test or after it, its audit runs while it is still
open: the state each page was left in, then each address it visited again in a fresh page of
the same context (same cookies), at desktop and at phone width. An address pattern (digits and
tokens folded, query keys kept) is checked once per layout (phone, tablet, desktop) in a run:
the test processes of one pytest-xdist run claim each pattern and layout with a file of their
own (`Claims`), so no two of them check the same one.

axe is evaluated through the DevTools protocol, as a developer would in the console: the
app's Content-Security-Policy stays on. A violation of a WCAG 2.x A/AA rule fails the test
that opened the page; the items axe cannot decide ("incomplete": needs review) go to a report
(build/accessibility/needs-review-<worker>.jsonl) for a person to read.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}


def layout(width: int) -> str:
    """Name the layout a width gets (the style sheets change between 640 and 960 px): one check each."""
    return "phone" if width < 640 else "tablet" if width < 1000 else "desktop"


REPORT_DIR = Path(os.environ.get("PUSTAKA_ACCESSIBILITY_DIR", "build/accessibility"))
NOT_PAGES = ("image", "media", "font")  # what a replay need not load: axe reads the markup and CSS

RUN_AXE = """async (tags) => {
  const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations', 'incomplete']};
  const result = await axe.run(document, options);
  const brief = (items) => items.map((item) => ({
    id: item.id, impact: item.impact, help: item.help,
    nodes: item.nodes.slice(0, 5).map(
      (node) => ({target: node.target.join(' '), summary: node.failureSummary || ''})),
  }));
  return {violations: brief(result.violations), incomplete: brief(result.incomplete)};
}"""


def address_pattern(url: str) -> str:
    """Fold an address to the page it shows: numbers and tokens as placeholders, query keys only."""
    parts = urlsplit(url)
    segments = ["<token>" if len(s) >= 20 else re.sub(r"\d+", "<n>", s) for s in parts.path.split("/")]
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return "/".join(segments) + ("?" + "&".join(keys) if keys else "")


def is_own_page(url: str) -> bool:
    """Tell whether an address is one of the app's (served on loopback), not about:blank or data."""
    return url.startswith(("http://127.0.0.1:", "http://localhost:"))


@dataclass(frozen=True)
class Claims:
    """The page patterns and layouts the test processes of one run have checked, as empty files.

    A claim is a file created exclusively (O_EXCL): of two processes, one makes it and checks the
    page, the other finds it made. The folder is in the run's temporary folder, which pytest-xdist's
    workers share (and pytest removes with it); a run of one process needs none.
    """

    folder: Path | None = None

    @classmethod
    def of_this_run(cls, basetemp: Path) -> Claims:
        """Return the claims of the run whose process has this base temporary folder."""
        if not os.environ.get("PYTEST_XDIST_WORKER"):
            return cls(None)
        folder = basetemp.parent / "accessibility-claims"
        folder.mkdir(exist_ok=True)
        return cls(folder)

    def _file(self, key: tuple[str, str]) -> Path:
        assert self.folder is not None
        return self.folder / hashlib.sha256("\t".join(key).encode()).hexdigest()[:32]

    def take(self, key: tuple[str, str]) -> bool:
        """Claim the key for this process; tell whether it was free."""
        if self.folder is None:
            return True
        try:
            os.close(os.open(self._file(key), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True

    def taken(self, key: tuple[str, str]) -> bool:
        """Tell whether any process of the run has claimed the key."""
        return self.folder is not None and self._file(key).exists()


@dataclass
class Audit:
    """What one test process has checked, found and needs reviewed."""

    worker: str = os.environ.get("PYTEST_XDIST_WORKER", "main")
    checked: set[tuple[str, str]] = field(default_factory=set)  # (page pattern, layout), by this process
    claims: Claims = field(default_factory=Claims)
    found: list[str] = field(default_factory=list)  # this test's violations, as lines to read
    _axe: str | None = None

    def axe_source(self) -> str:
        """Return axe-core's script (installed by scripts/bootstrap --test)."""
        if self._axe is None:
            if not AXE.exists():
                raise RuntimeError(f"axe-core is missing ({AXE}): run scripts/bootstrap --test")
            self._axe = AXE.read_text()
        return self._axe

    def check(self, page: Any, url: str, width: int) -> None:
        """Run axe on the page as it is now; note violations and items needing review."""
        key = (address_pattern(url), layout(width))
        if key in self.checked or not self.claims.take(key):
            return
        self.checked.add(key)
        if page.evaluate("() => typeof window.__pwClock !== 'undefined'"):
            page.clock.resume()  # a test's paused clock would hold axe's own timers (the test is over)
        page.emulate_media(reduced_motion="reduce")  # no animation half-way through a colour check
        if not page.evaluate("() => typeof axe !== 'undefined'"):
            page.evaluate(self.axe_source())
        result = page.evaluate(RUN_AXE, WCAG_TAGS)
        for item in result["violations"]:
            where = "; ".join(f"{node['target']}: {node['summary']}" for node in item["nodes"])
            self.found.append(
                f"{key[0]} at {width}px: {item['id']} ({item['impact']}): {item['help']} -- {where}"
            )
        if result["incomplete"]:
            REPORT_DIR.mkdir(parents=True, exist_ok=True)
            line = {"page": key[0], "width": width, "needs_review": result["incomplete"]}
            with open(REPORT_DIR / f"needs-review-{self.worker}.jsonl", "a") as report:
                report.write(json.dumps(line, ensure_ascii=False) + "\n")

    def write_checked(self) -> None:
        """List the page patterns and widths this test process checked (build/accessibility/)."""
        REPORT_DIR.mkdir(parents=True, exist_ok=True)
        lines = [f"{shape}\t{pattern}" for pattern, shape in sorted(self.checked)]
        (REPORT_DIR / f"checked-{self.worker}.tsv").write_text("\n".join(lines) + "\n")

    def has_checked(self, url: str, size: dict[str, int]) -> bool:
        """Tell whether the address's pattern was checked at the size's width (by any process)."""
        key = (address_pattern(url), layout(size["width"]))
        return key in self.checked or self.claims.taken(key)

    def take_found(self) -> list[str]:
        """Return the violations found since the last call, and forget them."""
        found, self.found = self.found, []
        return found


@dataclass
class WatchedContext:
    """A browser context whose pages' addresses are noted, audited before it closes."""

    context: Any
    audit: Audit
    scripted: Callable[[], Any] | None = None  # opens a context with JavaScript, for one without
    visited: list[str] = field(default_factory=list)
    done: bool = False

    def watch(self, page: Any) -> None:
        """Note each address the page's main frame goes to."""

        def navigated(frame: Any) -> None:
            if frame.parent_frame is None and is_own_page(frame.url):
                self.visited.append(frame.url)

        page.on("framenavigated", navigated)

    def run(self) -> None:
        """Audit each page as it was left, then each address visited, at both widths (once).

        axe is a script: a context without JavaScript has its addresses audited again in a
        context with it, holding the same cookies.
        """
        if self.done:
            return
        self.done = True
        if self.scripted is None:
            for page in list(self.context.pages):
                if not page.is_closed() and is_own_page(page.url) and _shows_html(page):
                    self.audit.check(page, page.url, (page.viewport_size or DESKTOP)["width"])
        replays = self.context if self.scripted is None else self.scripted()
        try:
            for url in dict.fromkeys(self.visited):
                wanted = [size for size in (DESKTOP, PHONE) if not self.audit.has_checked(url, size)]
                if wanted:
                    _replay(replays, url, wanted, self.audit)
        finally:
            if replays is not self.context:
                replays.close()


def audit_where_it_stands(browser: Any, page: Any) -> None:
    """Audit the page as it stands (a form's errors shown, a menu open) at its phone width, then at a
    desktop's: a tour of many pages, audited as it goes instead of each opened again after it."""
    audit = getattr(browser, "audit", None)
    if audit is None:
        return
    audit.check(page, page.url, (page.viewport_size or PHONE)["width"])
    page.set_viewport_size(DESKTOP)
    audit.check(page, page.url, DESKTOP["width"])


def _replay(context: Any, url: str, sizes: list[dict[str, int]], audit: Audit) -> None:
    """Open the address again in a fresh page of the context; audit it at each size."""
    page = context.new_page()
    try:
        page.route("**/*", _skip_media)
        response = page.goto(url, wait_until="load")
        if response is None or response.status >= 500 or not _shows_html(page):
            return
        for size in sizes:
            page.set_viewport_size(size)
            audit.check(page, url, size["width"])
    finally:
        page.close()


def _skip_media(route: Any) -> None:
    """Let documents, styles and scripts load; skip images, media and fonts in a replay."""
    if route.request.resource_type in NOT_PAGES:
        route.abort()
    else:
        route.continue_()


def _shows_html(page: Any) -> bool:
    """Tell whether the page shows an HTML document (not a PDF, an image or a download)."""
    return bool(page.evaluate("() => document.contentType === 'text/html' && !!document.body"))


class AuditedBrowser:
    """The session's browser, each context it opens watched and audited before it closes."""

    def __init__(self, browser: Any, audit: Audit) -> None:
        self._browser = browser
        self.audit = audit
        self.open: list[WatchedContext] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)

    def new_context(self, **options: Any) -> Any:
        """Open a context as the browser does, watched."""
        context = self._browser.new_context(**options)
        scripted = None
        if options.get("java_script_enabled") is False:

            def scripted() -> Any:
                return self._browser.new_context(
                    storage_state=context.storage_state(), locale=options.get("locale", "id-ID")
                )

        watched = WatchedContext(context, self.audit, scripted)
        context.on("page", watched.watch)
        close: Callable[..., None] = context.close

        def audited_close(**close_options: Any) -> None:
            try:
                watched.run()
            finally:
                close(**close_options)

        context.close = audited_close
        self.open.append(watched)
        return context

    def new_page(self, **options: Any) -> Any:
        """Open a page in a context of its own, watched; closing the page closes the context too."""
        context = self.new_context(**options)
        page = context.new_page()
        close_page: Callable[..., None] = page.close

        def close_both(**close_options: Any) -> None:
            try:
                context.close()
            finally:
                close_page(**close_options)

        page.close = close_both
        return page

    def finish_test(self) -> list[str]:
        """Audit the contexts a test left open; return the violations found during the test."""
        for watched in self.open:
            if not watched.done:
                watched.run()
        self.open = [watched for watched in self.open if not watched.done]
        return self.audit.take_found()
