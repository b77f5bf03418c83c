"""The administrators' backups page in a browser: a backup started from it, listed, at desktop and 360 px."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from library.models import Role
from tests.browser.screen_width import no_sideways_scroll
from tests.browser.softcopy_helpers import make_person, served_copy, sign_in

ADMIN = "admin.cadangan@bps.go.id"


def test_an_administrator_starts_a_backup_and_sees_it_listed_on_a_desktop_and_a_phone(
    browser: Browser, demo_instance: Path, tmp_path: Path
) -> None:
    with served_copy(demo_instance, tmp_path) as server:
        make_person(server.app, ADMIN, "Admin Cadangan", (Role.ADMIN,))
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        sign_in(page, server.url, ADMIN)
        page.goto(server.url + "/admin/cadangan/")
        expect(page.get_by_text("Belum ada cadangan yang dibuat.")).to_be_visible()
        page.get_by_role("button", name="Cadangkan sekarang").click()
        expect(page.get_by_text("Pencadangan dimulai")).to_be_visible()
        row = page.locator("table tbody tr").first
        expect(row).to_contain_text("baik")
        expect(row).to_contain_text("newest")
        no_sideways_scroll(page)
        page.set_viewport_size({"width": 360, "height": 740})
        page.reload()
        expect(page.get_by_role("button", name="Cadangkan sekarang")).to_be_visible()
        no_sideways_scroll(page)
        context.close()
        backups = server.app.extensions["pustaka"].settings.backup_path
        assert len([p for p in backups.iterdir() if (p / "manifest.json").exists()]) == 1
