"""A file store that refuses writes: /readyz names it, and a visitor reads their language, no path.

The store is made to refuse for real (its `tmp` folder, where every write starts, marked
immutable with chattr, which binds root too); where chattr cannot do it, the test is skipped.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.functional.accounts.helpers import page_text
from tests.functional.complaints.helpers import PNG, code_of, file_complaint
from tests.functional.complaints.test_complaint_form import stored_complaints
from tests.functional.health.test_readiness import workers_alive


@pytest.fixture
def refusing_store(app: Flask) -> Iterator[Path]:
    """Make the app's file store refuse every new file until the test ends."""
    folder = app.extensions["pustaka"].settings.files_path / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode:
        pytest.skip("chattr +i is not possible here: no way to make the store refuse writes")
    try:
        yield folder
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_a_store_refusing_writes_fails_readyz_and_tells_the_visitor_without_a_path(
    app: Flask, client: FlaskClient, refusing_store: Path
) -> None:
    workers_alive(app)
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 503 and ready.json["failing"] == ["files"]
    assert str(app.extensions["pustaka"].settings.files_path) in ready.json["checks"]["files"]["detail"]

    before = stored_complaints(app)
    refused = file_complaint(client, files=[(PNG, "bukti.png")])
    assert refused.status_code == 503 and refused.headers["Retry-After"]
    text = page_text(refused)
    assert "Server tidak dapat menyimpan berkas saat ini" in text
    assert "file store" not in text and str(refusing_store.parent) not in refused.get_data(as_text=True)
    assert stored_complaints(app) == before  # nothing half-kept

    subprocess.run(["chattr", "-i", str(refusing_store)], check=True)
    assert app.test_client().get("/readyz").status_code == 200
    code_of(file_complaint(client, files=[(PNG, "bukti.png")]))  # the same form, taken once the store writes
