"""A reader registers, opens the verification link from the email, signs in, and signs out.

The email leaves from a job after the response, taken by a real consumer of the interactive
lane, as inside `pustaka serve`.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from library.settings import Settings
from runtime.consumer import start_embedded
from runtime.lanes import Jobs, Lane
from runtime.root import Runtime
from tests.browser.pictures import shoot
from tests.waiting import wait_until

PASSWORD = "kopi tubruk pagi hari"


@pytest.fixture
def mail_consumer(live_instance: Path) -> Iterator[Jobs]:
    """Consume the live server's interactive lane while the test runs, as `pustaka serve` does."""
    jobs = Runtime(Settings.from_env({}, instance_dir=live_instance)).jobs
    running = start_embedded(jobs, [Lane.INTERACTIVE])
    yield jobs
    running.stop(graceful=True)
    jobs.rt.close()


def newest_mail_to(outbox: Path, address: str) -> email.message.EmailMessage | None:
    """Return the newest email to the address in the outbox folder, or None while there is none."""
    for path in sorted(outbox.glob("*.eml"), reverse=True):
        mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if mail["To"] == address:
            return mail
    return None


def verification_path(outbox: Path, address: str, timeout: float = 30.0) -> str:
    """Return the path of the verification link in the newest email to the address, once it is there.

    The email leaves from a job the consumer takes after the response: it may come a while later.
    """
    mail = wait_until(
        lambda: newest_mail_to(outbox, address), timeout=timeout, message=f"no email to {address} in {outbox}"
    )
    found = re.search(r"https?://[^/\s]+(/verifikasi-email/\S+)", mail.get_content())
    assert found, "the email holds no verification link"
    return found.group(1)


def test_a_reader_registers_verifies_and_signs_in(
    page, live_server: str, live_instance: Path, mail_consumer: Jobs, screenshots: Path
) -> None:
    address = "dewi.lestari@example.id"
    page.goto(live_server + "/")
    page.get_by_role("group", name="Akun").get_by_role("link", name="Daftar").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1, name="Daftar")).to_be_visible()
    shoot(page, screenshots / "account-1-register.png", full_page=True)

    page.get_by_role("button", name="Daftar").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="Ada masalah")).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()
    summary.get_by_role("link", name="Isi alamat email Anda.").click()
    expect(page.locator("#email")).to_be_focused()
    shoot(page, screenshots / "account-2-register-errors.png", full_page=True)

    page.get_by_label("Nama lengkap").fill("Dewi Lestari")
    page.get_by_label("Alamat email").fill(address)
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ketik ulang kata sandi").fill(PASSWORD)
    page.get_by_label("Instansi").fill("Universitas Sriwijaya")
    page.get_by_label("Pekerjaan").select_option(label="Peneliti/Dosen")
    page.get_by_label("Saya menyetujui ketentuan penggunaan").check()
    page.get_by_role("button", name="Daftar").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Periksa email Anda")).to_be_visible()
    expect(page.get_by_text(f"Kami telah mengirim email ke {address}.")).to_be_visible()
    shoot(page, screenshots / "account-3-check-email.png", full_page=True)

    page.goto(live_server + verification_path(live_instance / "outbox", address))
    expect(page.get_by_role("heading", name="Alamat email terverifikasi")).to_be_visible()
    shoot(page, screenshots / "account-4-verified.png", full_page=True)

    page.get_by_role("main").get_by_role("link", name="Masuk").click()
    page.wait_for_load_state()
    page.get_by_label("Alamat email").fill(address)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    shoot(page, screenshots / "account-5-sign-in.png", full_page=True)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    account = page.get_by_role("group", name="Akun")
    expect(account.get_by_text("Dewi Lestari")).to_be_visible()
    expect(page.get_by_text("Selamat datang, Dewi Lestari.")).to_be_visible()
    expect(page.get_by_text("Mohon verifikasi alamat email Anda")).not_to_be_visible()
    shoot(page, screenshots / "account-6-signed-in.png", full_page=True)

    account.get_by_role("link", name="Profil").click()
    page.wait_for_load_state()
    expect(page.get_by_label("Instansi")).to_have_value("Universitas Sriwijaya")
    shoot(page, screenshots / "account-7-profile.png", full_page=True)

    account.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Anda telah keluar.")).to_be_visible()
    expect(page.get_by_role("group", name="Akun").get_by_role("link", name="Masuk")).to_be_visible()
