"""Read-only mode (PUSTAKA_READ_ONLY): a reader signs in and downloads a copy already made; nothing new."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from library.models import AccessLevel, SoftcopyRequest
from library.settings import Settings
from tests.functional.accounts.helpers import make_person, page_text, sign_in, submit
from tests.functional.softcopy.helpers import ask, publication_id
from webapp import create_app

NOTICE = "Layanan sedang dalam pemeliharaan: Anda dapat mencari, membaca, dan mengunduh salinan"


@pytest.fixture
def read_only_app(instance_dir: Path) -> Iterator[Flask]:
    """Return a web process of the same instance started with PUSTAKA_READ_ONLY=true."""
    app = create_app(Settings.from_env({"PUSTAKA_READ_ONLY": "true"}, instance_dir=instance_dir))
    app.config["TESTING"] = True
    yield app
    app.extensions["pustaka"].close()


def _whole_page(response: TestResponse) -> str:
    """Return the visible text of the whole page (the banner stands above the main region)."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def _requests(app: Flask) -> int:
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(select(func.count(SoftcopyRequest.id))) or 0


def test_a_read_only_site_reads_and_sends_copies_already_made_and_refuses_every_change(
    app: Flask, client: FlaskClient, read_only_app: Flask
) -> None:
    reader = make_person(app, "ani@example.id")
    sign_in(client, reader)
    pub = publication_id(app, AccessLevel.OPEN)
    number = ask(client, pub).headers["Location"].rsplit("/", 1)[-1]  # made before the switch

    browser = read_only_app.test_client()
    assert NOTICE in _whole_page(browser.get(f"/katalog/{pub}"))  # every page says so
    assert sign_in(browser, reader).status_code == 303
    sent = submit(browser, f"/permintaan/{number}/unduh", {}, form_page=f"/permintaan/{number}")
    assert sent.status_code == 200 and sent.data.startswith(b"%PDF")
    sent.close()
    before = _requests(app)
    refused = ask(browser, pub)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "600"
    assert "Hanya baca untuk sementara" in page_text(refused) and NOTICE in page_text(refused)
    assert _requests(app) == before


def test_a_site_not_read_only_shows_no_notice(app: Flask, client: FlaskClient) -> None:
    assert NOTICE not in _whole_page(client.get("/"))
