"""Helpers for softcopy-request tests through the Flask test client."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from library.models import AccessLevel, Publication
from library.softcopy.copies import prepare_copy
from runtime.root import Runtime

FORM = {
    "scope": "whole",
    "pages": "",
    "tables": "",
    "purpose": "thesis",
    "intended_use": "Tabel penduduk untuk skripsi saya tentang migrasi.",
    "agreed": "y",
}


def publication_id(app: Flask, level: AccessLevel) -> int:
    """Return the id of a demo publication with this access level."""
    with app.extensions["pustaka"].uow() as uow:
        found = uow.session.scalar(
            select(Publication.id).where(Publication.access_level == level.value).order_by(Publication.id)
        )
    assert found is not None, f"the demo sample has no {level} publication"
    return found


def ask(client: FlaskClient, pub_id: int, **changes: str) -> TestResponse:
    """Fill in and send the request form of a publication."""
    from tests.functional.accounts.helpers import submit

    return submit(client, f"/katalog/{pub_id}/minta", {**FORM, **changes})


def run_copy_jobs(app: Flask, queued: list[int]) -> None:
    """Run the copy jobs the app queued, as a worker would."""
    rt: Runtime = app.extensions["pustaka"]
    for request_id in queued:
        prepare_copy(rt.copy_worker(), request_id)
    queued.clear()


def publish_draft(app: Flask, librarian: FlaskClient, pub_id: int) -> None:
    """Publish an uploaded draft through its desk page, as a librarian does once it is checked."""
    from tests.functional.accounts.helpers import submit

    with app.extensions["pustaka"].uow() as uow:
        version = uow.session.scalar(select(Publication.version).where(Publication.id == pub_id))
    page = f"/meja/publikasi/{pub_id}/ubah"
    done = submit(librarian, f"/meja/publikasi/{pub_id}/terbitkan", {"terbitkan-version": str(version)}, page)
    assert done.status_code == 303, done.get_data(as_text=True)[-500:]
