"""A publication's file replaced by a corrected edition: its history, copies and reader for each version."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from library.intake.ingest_job import run_ingest
from library.ledger.deliveries import find_delivery
from library.ledger.housekeeping import prune_copies
from library.models import Delivery, FileVersion, IngestJob, ReadingSession, Role
from library.tokens import delivery_key
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in
from tests.functional.ledger_helpers import deliver
from tests.integration.ingest import hostile_files
from tests.integration.library.pdf_helpers import tiny_pdf
from watermark.marks.mark import sign

PUBLICATION = 1
REASON = "Revisi: tabel 3.2 diperbaiki"
NEW_WORD = "zabarqoni"  # a word only the corrected edition holds


@pytest.fixture
def librarian(app, client):
    """Sign a librarian in, reading pages in English (the msgids, whatever the catalogue holds)."""
    person = make_person(app, "pustakawan@bps.go.id", [Role.LIBRARIAN], name="Sri Pustakawati")
    sign_in(client, person)
    client.set_cookie("lang", "en")
    return person


def send_replacement(client, content: bytes, reason: str = REASON, name: str = "revisi.pdf"):
    """Post the replacement form of the publication with one file and a reason."""
    path = f"/meja/publikasi/{PUBLICATION}/berkas"
    data = {"csrf_token": csrf_token(client, path), "alasan": reason, "berkas": (io.BytesIO(content), name)}
    return client.post(path, data=data, content_type="multipart/form-data")


def replace(app: Flask, client, *, index: bool = False) -> int:
    """Replace the publication's file and run its ingest (its index job too, if `index`); return the job."""
    response = send_replacement(client, tiny_pdf(f"Edisi revisi {NEW_WORD}", 2))
    assert response.status_code == 303
    job_id = int(re.search(r"/meja/ingest/(\d+)$", response.headers["Location"]).group(1))
    app.extensions["pustaka"].jobs.immediate = index  # the index job the ingest queues runs at once
    run_ingest(app.extensions["pustaka"].ingest_worker(), job_id)
    return job_id


def versions(app: Flask) -> list[tuple[int, str]]:
    """Return the publication's versions as (number, reason)."""
    with app.extensions["pustaka"].uow() as uow:
        rows = uow.session.execute(
            select(FileVersion.number, FileVersion.reason)
            .where(FileVersion.publication_id == PUBLICATION)
            .order_by(FileVersion.number)
        )
        return [tuple(row) for row in rows]


def test_a_replacement_becomes_the_current_version_and_the_page_shows_why(app, client, librarian) -> None:
    assert versions(app) == [(1, "")]  # the demo's file, taken in as version 1
    replace(app, client)
    assert versions(app) == [(1, ""), (2, REASON)]
    staff = page_text(client.get(f"/katalog/{PUBLICATION}"))
    assert "File versions" in staff and REASON in staff and "2 (current)" in staff
    assert "Sri Pustakawati" in staff  # staff see who replaced it
    public = app.test_client()
    public.set_cookie("lang", "en")
    shown = page_text(public.get(f"/katalog/{PUBLICATION}"))
    assert REASON in shown and "2 (current)" in shown and "Sri Pustakawati" not in shown
    assert "Pages 2" in shown  # the page count is the new file's


def test_a_copy_of_the_old_version_verifies_and_says_a_newer_version_exists(
    app, client, librarian, instance_dir
) -> None:
    old = deliver(app, "Ani Suryani", "ani@example.id")
    replace(app, client)
    new = deliver(app, "Budi Santoso", "budi@example.id")
    assert (old.version.number, new.version.number) == (1, 2)
    assert new.source_sha256 != old.source_sha256  # stamped from the corrected file
    with app.extensions["pustaka"].uow() as uow:
        recorded = dict(uow.session.execute(select(Delivery.delivery_id, Delivery.file_version)).all())
    assert recorded[old.delivery_id] == 1 and recorded[new.delivery_id] == 2
    public = app.test_client()
    public.set_cookie("lang", "en")
    page = page_text(
        public.get(f"/verifikasi/{old.delivery_id}/{sign(old.delivery_id, delivery_key(instance_dir))}")
    )
    assert "Authentic copy" in page and "This copy was made from version 1 of the file." in page
    assert "A newer version (2, " in page and REASON in page
    current = page_text(
        public.get(f"/verifikasi/{new.delivery_id}/{sign(new.delivery_id, delivery_key(instance_dir))}")
    )
    assert "made from version 2" in current and "A newer version" not in current


def test_a_leaked_copy_of_the_old_version_is_traced_and_the_newer_version_named(
    app, client, librarian
) -> None:
    old = deliver(app, "Dewi Lestari", "dewi@unila.ac.id")
    content = app.extensions["pustaka"].store.path_for(old.output_sha256).read_bytes()
    replace(app, client)
    data = {"csrf_token": csrf_token(client, "/meja/lacak"), "berkas": (io.BytesIO(content), "bocoran.pdf")}
    text = page_text(client.post("/meja/lacak", data=data, content_type="multipart/form-data"))
    assert f"This file is exactly delivery {old.delivery_id}" in text and "Dewi Lestari" in text
    assert "Made from version 1." in text and "A newer version (2, " in text and REASON in text


def test_an_old_ledger_row_without_its_version_is_read_from_its_source_file(app, client, librarian) -> None:
    old = deliver(app, "Ani Suryani", "ani@example.id")
    with app.extensions["pustaka"].transaction() as uow:  # as written before the version column
        row = uow.session.scalar(select(Delivery).where(Delivery.delivery_id == old.delivery_id))
        values = {c.name: getattr(row, c.key) for c in Delivery.__table__.columns if c.name != "id"}
        uow.session.execute(
            Delivery.__table__.insert().values(
                {**values, "delivery_id": "OLDROW000001", "file_version": None, "output_sha256": "0" * 64}
            )
        )
    replace(app, client)
    with app.extensions["pustaka"].uow() as uow:
        record = find_delivery(uow, "OLDROW000001")
    assert record.version.number == 1 and record.version.newer.number == 2


def test_the_reader_draws_the_new_versions_pages_in_a_new_session(app, client, librarian) -> None:
    cache = app.extensions["pustaka"].settings.instance_dir / "page-cache"
    first = client.get(f"/baca/{PUBLICATION}/halaman/1.jpg")
    assert first.status_code == 200
    replace(app, client)
    with app.extensions["pustaka"].uow() as uow:
        copy_sha = uow.session.scalar(
            select(FileVersion.copy_sha256).where(
                FileVersion.publication_id == PUBLICATION, FileVersion.number == 2
            )
        )
    assert not list(cache.rglob(f"{copy_sha}-*"))  # nothing of the new file was drawn before
    second = client.get(f"/baca/{PUBLICATION}/halaman/1.jpg")
    assert second.status_code == 200
    assert list(cache.rglob(f"{copy_sha}-*"))  # drawn from the new file, not served from the old one's
    assert client.get(f"/baca/{PUBLICATION}/halaman/3.jpg").status_code == 404  # the new file has 2 pages
    with app.extensions["pustaka"].uow() as uow:
        shown = uow.session.scalars(
            select(ReadingSession.file_version)
            .where(ReadingSession.publication_id == PUBLICATION)
            .order_by(ReadingSession.id)
        ).all()
    assert shown[0] == 1 and shown[-1] == 2


def test_search_finds_a_word_only_the_new_version_holds(app, client, librarian) -> None:
    assert f"/katalog/{PUBLICATION}" not in client.get(f"/cari/?q={NEW_WORD}").get_data(as_text=True)
    replace(app, client, index=True)
    assert f'/katalog/{PUBLICATION}"' in client.get(f"/cari/?q={NEW_WORD}").get_data(as_text=True)


def test_a_damaged_or_protected_file_is_refused_and_leaves_no_version_nor_job(
    app, client, librarian, tmp_path
) -> None:
    jobs_before = _jobs(app)
    for path, said in (
        (hostile_files.encrypted_pdf(tmp_path), "is protected by a password"),
        (hostile_files.garbage_pdf(tmp_path), "revisi.pdf"),
    ):
        response = send_replacement(client, path.read_bytes())
        assert response.status_code == 400 and said in page_text(response)
        assert f'value="{REASON}"' in response.get_data(as_text=True)  # the reason typed is kept
    assert versions(app) == [(1, "")] and _jobs(app) == jobs_before


def test_a_replacement_without_a_reason_is_refused(app, client, librarian) -> None:
    response = send_replacement(client, tiny_pdf("Tanpa alasan", 1), reason="  ")
    assert response.status_code == 400 and "Say why the file is replaced" in page_text(response)
    assert versions(app) == [(1, "")]


def test_only_a_librarian_may_replace_a_file(app, client) -> None:
    reader = make_person(app, "pembaca@example.id")
    sign_in(client, reader)
    assert client.get(f"/meja/publikasi/{PUBLICATION}/berkas").status_code == 403


def _jobs(app: Flask) -> int:
    """Count every ingest job."""
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(select(func.count(IngestJob.id)))


def post_form(client, form_page: str, action: str, **fields: str):
    """Post a small form of a page with the page's CSRF token."""
    return client.post(action, data={"csrf_token": csrf_token(client, form_page), **fields})


def test_a_librarian_takes_a_stamped_copy_of_the_old_version_recorded_as_such(app, client, librarian) -> None:
    replace(app, client)
    desk = f"/meja/publikasi/{PUBLICATION}/berkas"
    response = post_form(client, desk, f"{desk.rsplit('/', 1)[0]}/versi/1/salinan")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    with app.extensions["pustaka"].uow() as uow:
        row = uow.session.scalar(select(Delivery).order_by(Delivery.id.desc()).limit(1))
        old_copy = uow.session.scalar(
            select(FileVersion.copy_sha256).where(
                FileVersion.publication_id == PUBLICATION, FileVersion.number == 1
            )
        )
    assert (row.file_version, row.source_sha256, row.recipient_name) == (1, old_copy, "Sri Pustakawati")


def test_the_public_gets_an_old_version_only_once_a_librarian_makes_it_public(app, client, librarian) -> None:
    replace(app, client)
    reader = app.test_client()
    sign_in(reader, make_person(app, "pembaca@example.id", name="Rina Pembaca"))
    reader.set_cookie("lang", "en")
    detail = f"/katalog/{PUBLICATION}"
    copy_path = f"/katalog/{PUBLICATION}/versi/1/salinan"
    assert copy_path not in reader.get(detail).get_data(as_text=True)
    refused = post_form(reader, detail, copy_path)
    assert refused.status_code == 303  # told there is no such version for them
    desk = f"/meja/publikasi/{PUBLICATION}/berkas"
    assert (
        post_form(client, desk, f"/meja/publikasi/{PUBLICATION}/versi/1/publik", publik="1").status_code
        == 303
    )
    assert "1 (public)" in page_text(reader.get(detail))
    response = post_form(reader, detail, copy_path)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    with app.extensions["pustaka"].uow() as uow:
        row = uow.session.scalar(select(Delivery).order_by(Delivery.id.desc()).limit(1))
    assert (row.file_version, row.recipient_name, row.channel) == (1, "Rina Pembaca", "online")
    current = post_form(client, desk, f"/meja/publikasi/{PUBLICATION}/versi/2/publik", publik="0")
    assert current.status_code == 303  # refused: the current version is always the public's


def test_housekeeping_keeps_every_versions_files(app, client, librarian) -> None:
    old = deliver(app, "Ani Suryani", "ani@example.id")
    replace(app, client)
    state = app.extensions["pustaka"]
    far = state.now() + dt.timedelta(days=3650)
    with state.uow() as uow:
        pruned = prune_copies(uow, state.store, far, dt.timedelta(0))
        files = uow.session.execute(
            select(FileVersion.master_sha256, FileVersion.copy_sha256, FileVersion.thumbnail_sha256)
        ).all()
    assert pruned.copies >= 1 and not state.store.exists(old.output_sha256)  # a stamped copy may go
    assert all(state.store.exists(sha) for row in files for sha in row if sha)  # every version stays
