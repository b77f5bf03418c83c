"""An upload is a draft until a librarian publishes it: nobody else finds, reads or harvests it before.

The title of an upload is read from the file (OCR, the PDF's own details): a librarian checks it
beside the pages and publishes. Until then the catalogue page, search, the reader, a softcopy
request and the OAI harvester know nothing of it; afterwards all of them do.
"""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.intake.ingest_job import run_ingest
from library.models import Publication
from runtime.root import Runtime
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in, submit
from tests.functional.desk.test_desk import librarian, upload  # noqa: F401
from tests.integration.library.pdf_helpers import tiny_pdf

TITLE = "Statistik Ketenagakerjaan Kota Metro 2025"


def _uploaded(app: Flask, client: FlaskClient) -> int:
    """Upload a PDF through the desk and take it in; return its publication's id."""
    response = upload(client, [(tiny_pdf(TITLE, 2), "sakernas-2025.pdf")], access_level="open")
    job_id = int(re.search(r"/meja/ingest/(\d+)$", response.headers["Location"]).group(1))
    rt: Runtime = app.extensions["pustaka"]
    rt.jobs.immediate = True
    run_ingest(rt.ingest_worker(), job_id)
    return client.get(f"/meja/ingest/{job_id}/status.json").get_json()["publication_id"]


def _public_sees(app: Flask, publication_id: int) -> dict[str, bool]:
    """Say what a reader (signed in, not staff) and a harvester find of the publication."""
    reader = app.test_client()
    app.config["readers"] = app.config.get("readers", 0) + 1
    sign_in(reader, make_person(app, f"pembaca{app.config['readers']}@example.id"))
    found = reader.get("/cari/?q=ketenagakerjaan").get_data(as_text=True)
    harvested = (
        app.test_client().get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").get_data(as_text=True)
    )
    with app.extensions["pustaka"].uow() as uow:
        identifier = uow.session.get(Publication, publication_id).identifier  # type: ignore[union-attr]
    return {
        "page": reader.get(f"/katalog/{publication_id}").status_code == 200,
        "search": f"/katalog/{publication_id}" in found,
        "reader": reader.get(f"/baca/{publication_id}").status_code == 200,
        "harvest": f":{identifier}<" in harvested,
    }


def test_an_upload_is_a_draft_nobody_else_sees_until_a_librarian_publishes_it(
    app: Flask,
    client: FlaskClient,
    librarian,  # noqa: F811
) -> None:
    publication_id = _uploaded(app, client)
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.get(Publication, publication_id).draft
    assert _public_sees(app, publication_id) == {
        "page": False,
        "search": False,
        "reader": False,
        "harvest": False,
    }
    draft_page = page_text(client.get(f"/katalog/{publication_id}"))  # the librarian's own view
    assert "Draf" in draft_page
    listing = page_text(client.get("/meja/publikasi?draf=1"))
    assert TITLE[:20] in listing or "sakernas" in listing.lower()
    edit = page_text(client.get(f"/meja/publikasi/{publication_id}/ubah"))
    assert "Draf: belum terbit" in edit and "Terbitkan publikasi" in edit

    published = submit(
        client,
        f"/meja/publikasi/{publication_id}/terbitkan",
        {"terbitkan-version": _version(app, publication_id)},
        form_page=f"/meja/publikasi/{publication_id}/ubah",
    )
    assert published.status_code == 303
    assert _public_sees(app, publication_id) == {
        "page": True,
        "search": True,
        "reader": True,
        "harvest": True,
    }
    history = page_text(client.get(f"/meja/publikasi/{publication_id}/ubah"))
    assert "Status : Draf → Diterbitkan" in history and "Draf: belum terbit" not in history


def test_publishing_twice_or_an_old_version_is_refused(
    app: Flask,
    client: FlaskClient,
    librarian,  # noqa: F811
) -> None:
    publication_id = _uploaded(app, client)
    version = _version(app, publication_id)
    form = f"/meja/publikasi/{publication_id}/ubah"
    first = submit(
        client, f"/meja/publikasi/{publication_id}/terbitkan", {"terbitkan-version": version}, form
    )
    assert first.status_code == 303
    again = submit(
        client, f"/meja/publikasi/{publication_id}/terbitkan", {"terbitkan-version": version}, form
    )
    assert again.status_code in (400, 409) and "Traceback" not in page_text(again)


def test_a_reader_cannot_publish(app: Flask, client: FlaskClient, librarian) -> None:  # noqa: F811
    publication_id = _uploaded(app, client)
    other = app.test_client()
    token = csrf_token(other, "/masuk")
    refused = other.post(f"/meja/publikasi/{publication_id}/terbitkan", data={"csrf_token": token})
    assert refused.status_code in (302, 303, 403)
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.get(Publication, publication_id).draft


def _version(app: Flask, publication_id: int) -> str:
    with app.extensions["pustaka"].uow() as uow:
        return str(uow.session.scalar(select(Publication.version).where(Publication.id == publication_id)))
