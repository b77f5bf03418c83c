"""The librarian's desk: upload a publication, follow its ingest, retry a failure; staff only."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from library.intake.ingest_job import run_ingest
from library.models import IngestJob, Publication, Role
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in
from tests.integration.ingest import hostile_files
from tests.integration.library.pdf_helpers import tiny_pdf


@pytest.fixture
def librarian(app, client):
    person = make_person(app, "pustakawan@bps.go.id", [Role.LIBRARIAN])
    sign_in(client, person)
    return person


def upload(client, files: list[tuple[bytes, str]], **fields: str):
    data = {"csrf_token": csrf_token(client, "/meja/ingest/baru"), **fields}
    data["berkas"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post("/meja/ingest/baru", data=data, content_type="multipart/form-data")


def job_count(app) -> int:
    """Count the jobs of uploads (the demo instance holds the demo catalogue's own)."""
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(select(func.count(IngestJob.id)).where(IngestJob.channel == "upload"))


def test_an_upload_is_queued_and_its_page_follows_it_to_ready(app, client, librarian) -> None:
    response = upload(
        client,
        [(tiny_pdf("Indikator Kesejahteraan Rakyat", 3), "ikr-2023.pdf")],
        title="Indikator Kesejahteraan Rakyat Kota Metro 2023",
        access_level="open",
        katalog_bps="4102004.1872",
    )
    assert response.status_code == 303
    job_id = int(re.search(r"/meja/ingest/(\d+)$", response.headers["Location"]).group(1))
    queued = client.get(f"/meja/ingest/{job_id}")
    assert "Dalam antrean" in page_text(queued) and "Halaman 0 dari 3" in page_text(queued)
    assert "Dalam antrean sejak" in page_text(queued)  # how long: a stuck queue shows its age
    assert client.get(f"/meja/ingest/{job_id}/status.json").get_json()["status"] == "queued"

    run_ingest(app.extensions["pustaka"].ingest_worker(), job_id)

    status = client.get(f"/meja/ingest/{job_id}/status.json").get_json()
    assert status["status"] == "ready" and status["percent"] == 100 and status["finished"]
    page = client.get(f"/meja/ingest/{job_id}")
    assert "Siap" in page_text(page) and "Buka publikasi" in page_text(page)
    with app.extensions["pustaka"].uow() as uow:
        publication = uow.session.get(Publication, status["publication_id"])
        assert publication.title == "Indikator Kesejahteraan Rakyat Kota Metro 2023"
        assert publication.katalog_bps == "4102004.1872"
    listing = page_text(client.get("/meja/"))
    assert "ikr-2023.pdf" in listing and "Siap" in listing


def test_several_page_images_are_one_publication(app, client, librarian, tmp_path) -> None:
    from PIL import Image

    images = []
    for number in (1, 2):
        buffer = io.BytesIO()
        Image.new("L", (850, 1100), 255).save(buffer, format="PNG", dpi=(100, 100))
        images.append((buffer.getvalue(), f"halaman-{number}.png"))
    response = upload(client, images, title="Pindaian dua halaman")
    assert response.status_code == 303
    with app.extensions["pustaka"].uow() as uow:
        job = uow.session.scalar(select(IngestJob).where(IngestJob.channel == "upload"))
        assert job.source_kind == "images" and job.pages_total == 2 and len(job.source_files) == 2


def test_a_hostile_upload_is_refused_in_indonesian_and_nothing_is_kept(
    app, client, librarian, tmp_path
) -> None:
    path = hostile_files.encrypted_pdf(tmp_path)
    before = set(app.extensions["pustaka"].store.digests())
    response = upload(client, [(path.read_bytes(), "rahasia.pdf")], title="Apa saja")
    assert response.status_code == 400
    text = page_text(response)
    assert "rahasia.pdf dilindungi kata sandi" in text
    assert 'value="Apa saja"' in response.get_data(as_text=True)  # the form keeps what was typed
    assert job_count(app) == 0
    assert set(app.extensions["pustaka"].store.digests()) == before


def test_an_upload_without_a_file_asks_for_one(app, client, librarian) -> None:
    response = upload(client, [], title="Tanpa berkas")
    assert response.status_code == 400 and "Pilih berkas yang akan diunggah." in page_text(response)


def test_a_wrong_metadata_field_is_refused_before_the_file_is_kept(app, client, librarian) -> None:
    response = upload(client, [(tiny_pdf("X", 1), "x.pdf")], access_level="embargoed")
    assert response.status_code == 400 and "tanggal embargo" in page_text(response)
    assert job_count(app) == 0


def test_a_failed_job_shows_its_reason_and_can_be_tried_again(app, client, librarian) -> None:
    response = upload(client, [(tiny_pdf("Y", 1), "y.pdf")])
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.extensions["pustaka"].uow() as uow:
        job = uow.session.get(IngestJob, job_id)
        job.status, job.error_code = "failed", "ocr_failed"
        job.error_message = "The text of %(name)s could not be read (OCR failed): %(detail)s"
        job.error_params = {"name": "y.pdf", "detail": "tesseract crashed"}
        uow.commit()
    page = page_text(client.get(f"/meja/ingest/{job_id}"))
    assert "Teks y.pdf tidak dapat dibaca (OCR gagal): tesseract crashed" in page
    again = client.post(
        f"/meja/ingest/{job_id}/ulangi", data={"csrf_token": csrf_token(client, f"/meja/ingest/{job_id}")}
    )
    assert again.status_code == 303
    assert client.get(f"/meja/ingest/{job_id}/status.json").get_json()["status"] == "queued"


def test_a_reader_may_not_use_the_desk(app, client) -> None:
    reader = make_person(app, "pembaca@example.id")
    sign_in(client, reader)
    assert client.get("/meja/").status_code == 403
    assert client.get("/meja/ingest/baru").status_code == 403


def test_a_visitor_is_sent_to_sign_in(client) -> None:
    response = client.get("/meja/ingest/baru")
    assert response.status_code in (302, 303) and "/masuk" in response.headers["Location"]


def test_an_unknown_job_is_a_clear_404(client, librarian) -> None:
    response = client.get("/meja/ingest/9999")
    assert response.status_code == 404 and "9999" in page_text(response)


def test_the_job_list_comes_25_at_a_time(app, client, librarian) -> None:
    with app.extensions["pustaka"].uow() as uow:
        uow.session.add_all(
            IngestJob(
                source_sha256=f"{n:064x}",
                source_kind="pdf",
                media_type="application/pdf",
                source_files=[],
                original_name=f"berkas-{n:02d}.pdf",
                channel="upload",
            )
            for n in range(26)
        )
        uow.commit()
    first = client.get("/meja/").get_data(as_text=True)
    second = client.get("/meja/?halaman=2").get_data(as_text=True)
    assert first.count("berkas-") == 25 and 'rel="next"' in first and 'rel="prev"' not in first
    assert second.count("berkas-") == 1 and 'rel="prev"' in second and 'rel="next"' not in second
