"""One safe-next check for every redirect that takes an address from the visitor."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from runtime.links import safe_next

# What open-redirect scanners try: schemes, protocol-relative paths, backslashes, and the
# characters browsers strip or rewrite before they parse (tab, newline, CR, NUL, odd spaces).
HOSTILE = [
    "https://evil.example/",
    "http:evil.example",
    "http:/evil.example",
    "//evil.example",
    "///evil.example",
    "////evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/\x00/evil.example",
    "/\x0b/evil.example",
    "/\u3000/evil.example",
    "/\u200b/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "/ok\r\nSet-Cookie: x=1",
    "",
]


def browser_host(location: str) -> str:
    """Return the host a browser on https://pst.example/ would go to for this Location."""
    cleaned = "".join(ch for ch in location if ch not in "\t\n\r").strip("\x00 ").replace("\\", "/")
    return urlsplit(urljoin("https://pst.example/here", cleaned)).netloc


@pytest.mark.parametrize("target", HOSTILE)
def test_an_address_that_could_leave_the_site_gives_the_default(target: str) -> None:
    assert safe_next(target, "/beranda") == "/beranda"


@pytest.mark.parametrize("target", ["/", "/katalog/?halaman=2", "/baca/3?halaman=4#top", "/cari/?q=%09x"])
def test_a_path_on_this_site_is_kept(target: str) -> None:
    assert safe_next(target, "/beranda") == target
    assert browser_host(target) == "pst.example"


def test_nothing_kept_leads_a_browser_elsewhere() -> None:
    for target in HOSTILE:
        assert browser_host(safe_next(target, "/")) == "pst.example"
