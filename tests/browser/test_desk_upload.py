"""A librarian uploads a publication at the desk and watches its ingest reach ready."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from library.models import Role
from library.settings import Settings
from runtime.consumer import start_embedded
from runtime.root import Runtime
from tests.browser.live_data import add_account, live_uow
from tests.browser.pictures import shoot
from tests.integration.library.pdf_helpers import tiny_pdf
from tests.waiting import wait_until

PASSWORD = "rak buku paling atas"


@pytest.fixture
def consumer(live_instance: Path):
    """Consume the live server's job queue while the test runs, as `pustaka serve` does."""
    jobs = Runtime(Settings.from_env({}, instance_dir=live_instance, ocr_processes=1)).jobs
    running = start_embedded(jobs)
    yield jobs
    running.stop(graceful=True)
    jobs.rt.close()


@pytest.fixture
def librarian(live_instance: Path) -> str:
    with live_uow(live_instance) as uow:
        add_account(uow, "rina@bps.go.id", "Rina Pustakawan", PASSWORD, roles=[Role.LIBRARIAN])
        uow.commit()
    return "rina@bps.go.id"


def test_a_librarian_uploads_a_pdf_and_follows_it_to_ready(
    page, live_server: str, consumer, librarian: str, screenshots: Path, tmp_path: Path
) -> None:
    source = tmp_path / "statistik-kesejahteraan-2022.pdf"
    source.write_bytes(tiny_pdf("Statistik Kesejahteraan Rakyat Kota Metro 2022", 4))
    page.goto(live_server + "/masuk")
    page.get_by_label("Alamat email").fill(librarian)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()

    page.goto(live_server + "/meja/ingest/baru")
    expect(page.get_by_role("heading", level=1, name="Tambah publikasi")).to_be_visible()
    page.get_by_label("PDF, TIFF, atau gambar halaman").set_input_files(str(source))
    page.get_by_label("Judul", exact=True).fill("Statistik Kesejahteraan Rakyat Kota Metro 2022")
    page.get_by_label("Katalog BPS").fill("4101002.1872")
    shoot(page, screenshots / "desk-1-upload-form.png", full_page=True)
    page.get_by_role("button", name="Unggah dan proses").click()

    page.wait_for_url(re.compile(r"/meja/ingest/\d+$"))
    shoot(page, screenshots / "desk-2-job-queued.png", full_page=True)
    # The ingest job really runs (OCR included) on a consumer: longer than the default 5 s.
    expect(page.get_by_text("Siap", exact=True)).to_be_visible(timeout=60_000)  # the page polls, then reloads
    expect(page.get_by_text("Halaman 4 dari 4")).to_be_visible()
    shoot(page, screenshots / "desk-3-job-ready.png", full_page=True)

    page.get_by_role("link", name="Buka publikasi").click()
    page.wait_for_url(re.compile(r"/katalog/\d+$"))
    expect(
        page.get_by_role("heading", level=1, name="Statistik Kesejahteraan Rakyat Kota Metro 2022")
    ).to_be_visible()
    shoot(page, screenshots / "desk-4-publication.png", full_page=True)

    # A draft until published: the librarian reviews it beside its first page, then publishes.
    publication_id = page.url.rsplit("/", 1)[1]
    page.get_by_role("link", name="Periksa dan terbitkan").click()
    expect(page.get_by_role("heading", name="Draf: belum terbit")).to_be_visible()
    expect(page.get_by_role("img", name="Halaman pertama")).to_be_visible()
    shoot(page, screenshots / "desk-4b-draft-review.png", full_page=True)
    page.get_by_role("button", name="Terbitkan publikasi").click()
    expect(page.get_by_text("Publikasi diterbitkan")).to_be_visible()

    # The index is updated by its own job once the publication is published: wait for the index
    # to hold it (what the search page reads), then search once.
    wait_until(
        lambda: publication_id in consumer.rt.search().ids(),
        timeout=30,
        message=f"publication {publication_id} never reached the search index",
    )
    page.goto(live_server + "/cari/?q=kesejahteraan+rakyat")
    expect(page.get_by_role("link", name="Statistik Kesejahteraan Rakyat Kota Metro 2022")).to_be_visible()
    shoot(page, screenshots / "desk-5-found.png", full_page=True)
