"""A librarian searches the delivery ledger and traces a leaked copy back to its recipient."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from library.filestore import FileStore
from library.ledger.deliveries import DeliveryOrder, DeliveryRecord, Recipient, deliver_copy
from library.models import DeliveryChannel, Role
from library.permissions import SYSTEM
from library.settings import Settings
from library.tokens import delivery_key
from tests.browser.live_data import add_account, live_uow
from tests.browser.pictures import shoot
from webapp.desk.ledger import TRACE_SECONDS

PASSWORD = "buku besar di laci kiri"
EMAIL = "lestari.pustaka@bps.go.id"


@pytest.fixture
def leaked(live_instance: Path) -> DeliveryRecord:
    """Make a librarian and deliver one stamped copy to a reader; return the delivery."""
    settings = Settings.from_env({}, instance_dir=live_instance)
    with live_uow(live_instance) as uow:
        add_account(uow, EMAIL, "Lestari Pustakawan", PASSWORD, roles=[Role.LIBRARIAN])
        order = DeliveryOrder(
            recipient=Recipient("Dewi Anggraini", "dewi.anggraini@unila.ac.id"),
            channel=DeliveryChannel.ONLINE,
            secret=delivery_key(live_instance),
            verify_base_url="http://localhost/verifikasi",
            request_number="PST-2026-0107",
            client_address="203.0.113.44",
            delivered_at=dt.datetime(2026, 3, 5, 16, 30, tzinfo=dt.UTC),
        )
        record = deliver_copy(uow, FileStore(settings.files_path), SYSTEM, 1, order)
        uow.commit()
    return record


def test_a_librarian_finds_a_delivery_in_the_ledger_and_traces_its_copy(
    page, live_server: str, leaked: DeliveryRecord, live_instance: Path, screenshots: Path, tmp_path: Path
) -> None:
    page.goto(live_server + "/masuk")
    page.get_by_label("Alamat email").fill(EMAIL)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()

    page.goto(live_server + "/meja/")
    page.locator('.desk-nav a[href="/meja/buku-besar"]').click()
    page.wait_for_load_state()
    page.locator("#orang").fill("anggraini")
    page.locator("#dari").fill("2026-03-05")
    page.locator("#sampai").fill("2026-03-05")
    page.locator(".ledger-filters button[type=submit]").click()
    page.wait_for_load_state()
    row = page.locator("table.ledger tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(leaked.delivery_id)
    expect(row).to_contain_text("5 Maret 2026 23.30 WIB")
    shoot(page, screenshots / "desk-ledger-1-search.png", full_page=True)

    copy = tmp_path / "ditemukan-di-grup-wa.pdf"
    copy.write_bytes(
        FileStore(Settings.from_env({}, instance_dir=live_instance).files_path)
        .path_for(leaked.output_sha256)
        .read_bytes()
    )
    page.locator('.desk-nav a[href="/meja/lacak"]').click()
    page.wait_for_load_state()
    page.locator("input[name=berkas]").set_input_files(str(copy))
    # a trace may take as long as the desk gives it (TRACE_SECONDS): on a busy machine, more than
    # Playwright's 30 s
    page.locator("form.stacked button[type=submit]").click(timeout=TRACE_SECONDS * 1000)
    page.wait_for_load_state()
    report = page.locator(".trace-report")
    expect(report).to_contain_text(leaked.delivery_id)
    expect(report).to_contain_text("Dewi Anggraini")
    expect(report).to_contain_text("PST-2026-0107")
    shoot(page, screenshots / "desk-ledger-2-trace.png", full_page=True)
