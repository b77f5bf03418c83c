"""Every page carries the security headers; no template needs inline script or style."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

TEMPLATES = Path(__file__).resolve().parents[2] / "webapp" / "templates"
SCRIPTS = Path(__file__).resolve().parents[2] / "webapp" / "static"


@pytest.mark.parametrize("path", ["/", "/katalog/", "/cari/?q=penduduk", "/masuk", "/buku-tamu", "/antrean"])
def test_pages_forbid_inline_script_and_framing_by_other_sites(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer")  # pages with tokens: none
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # served over http here


def test_error_pages_carry_the_headers_too(client: FlaskClient) -> None:
    response = client.get("/tidak-ada-halaman-ini")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response.headers


def test_files_that_are_not_pages_carry_no_page_policy(client: FlaskClient) -> None:
    response = client.get("/static/pustaka.css")
    response.close()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in response.headers  # a PDF with one would not open in Chromium


def test_a_site_served_over_https_asks_browsers_to_stay_on_https(make_app: Callable[..., Flask]) -> None:
    app = make_app(base_url="https://pst.example.id")
    response = app.test_client().get("/")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_has_inline_script_style_or_event_handlers(template: Path) -> None:
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert "<style" not in text and not re.search(r"\sstyle=", text), "inline style"
    assert not re.search(r"\son[a-z]+\s*=", text), "event-handler attribute"
    assert "javascript:" not in text


@pytest.mark.parametrize("script", sorted(SCRIPTS.glob("*.js")), ids=lambda p: p.name)
def test_no_script_sets_a_style_attribute_or_evaluates_text(script: Path) -> None:
    text = script.read_text()
    assert not re.search(r"setAttribute\(\s*[\"']style", text)
    assert "eval(" not in text and "new Function(" not in text
