"""Helpers for the kiosk's pages through the Flask test client: the form with its tokens, a moved clock."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
STARTED = re.compile(r'name="started" type="hidden" value="([^"]+)"')
ENTRY: Mapping[str, object] = {
    "name": "Siti Aminah",
    "sex": "female",
    "age_band": "17_25",
    "education": "bachelor",
    "occupation": "student",
    "institution": "Universitas Lampung",
    "phone": "0812 3456 7890",
    "email": "",
    "purpose": "Mencari data kemiskinan",
    "services": ["library", "consultation"],
    "website": "",
    "same_name": "y",  # many tests sign this name again at once; the question is tested on its own
}


def clock_ahead(app: Flask, seconds: float) -> None:
    """Run the app's clock `seconds` ahead of the real time (a visitor filling in the form)."""
    app.extensions["pustaka"].now = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)


def form_tokens_of(page: str) -> dict[str, str]:
    """Return the CSRF token and signed opening time of a guest book page."""
    csrf, started = CSRF.search(page), STARTED.search(page)
    assert csrf and started, "the guest book has no tokens"
    return {"csrf_token": csrf.group(1), "started": started.group(1)}


def form_tokens(client: FlaskClient, path: str = "/buku-tamu") -> dict[str, str]:
    """Open the guest book and return its CSRF token and signed opening time."""
    return form_tokens_of(client.get(path).get_data(as_text=True))


def sign(
    app: Flask, client: FlaskClient, path: str = "/buku-tamu", after: float = 30, **changes: object
) -> TestResponse:
    """Open the guest book, fill it in for `after` seconds, and send it."""
    clock_ahead(app, 0)
    tokens = form_tokens(client, path)
    clock_ahead(app, after)
    return client.post(path, data={**ENTRY, **tokens, **changes})


def token_of(response: TestResponse) -> str:
    """Return the visit's status token from the redirect after signing."""
    return response.headers["Location"].rsplit("/", 1)[1]
