"""A reader registers, opens the verification link from the email, signs in, and signs out.

The email leaves from a job after the response, taken by a real consumer of the interactive
lane, as inside `pustaka serve`.
"""

from __future__ import annotations

import email
import email.policy
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from library.settings import Settings
from webapp.consumer import start_embedded
from webapp.jobs import Jobs, Lane
from webapp.runtime import Runtime

PASSWORD = "kopi tubruk pagi hari"


@pytest.fixture
def mail_consumer(live_instance: Path) -> Iterator[Jobs]:
    """Consume the live server's interactive lane while the test runs, as `pustaka serve` does."""
    jobs = Runtime(Settings.from_env({}, instance_dir=live_instance)).jobs
    running = start_embedded(jobs, [Lane.INTERACTIVE])
    yield jobs
    running.stop(graceful=True)
    jobs.runtime.close()


def verification_path(outbox: Path, address: str, timeout: float = 30.0) -> str:
    """Return the path of the verification link in the newest email to the address, once it is there."""
    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        for path in sorted(outbox.glob("*.eml"), reverse=True):
            mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if mail["To"] == address:
                found = re.search(r"https?://[^/\s]+(/verifikasi-email/\S+)", mail.get_content())  # type: ignore[attr-defined]
                assert found, "the email holds no verification link"
                return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no email to {address} in {outbox} after {timeout:g} s")


def test_a_reader_registers_verifies_and_signs_in(
    page, live_server: str, live_instance: Path, mail_consumer: Jobs, screenshots: Path
) -> None:
    address = "dewi.lestari@example.id"
    page.goto(live_server + "/")
    page.get_by_role("group", name="Akun").get_by_role("link", name="Daftar").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name="Daftar").is_visible()
    page.screenshot(path=str(screenshots / "account-1-register.png"), full_page=True)

    page.get_by_role("button", name="Daftar").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    assert summary.get_by_role("heading", name="Ada masalah").is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary.get_by_role("link", name="Isi alamat email Anda.").click()
    assert page.evaluate("document.activeElement.id") == "email"
    page.screenshot(path=str(screenshots / "account-2-register-errors.png"), full_page=True)

    page.get_by_label("Nama lengkap").fill("Dewi Lestari")
    page.get_by_label("Alamat email").fill(address)
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ketik ulang kata sandi").fill(PASSWORD)
    page.get_by_label("Instansi").fill("Universitas Sriwijaya")
    page.get_by_label("Pekerjaan").select_option(label="Peneliti/Dosen")
    page.get_by_label("Saya menyetujui ketentuan penggunaan").check()
    page.get_by_role("button", name="Daftar").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Periksa email Anda").is_visible()
    assert page.get_by_text(f"Kami telah mengirim email ke {address}.").is_visible()
    page.screenshot(path=str(screenshots / "account-3-check-email.png"), full_page=True)

    page.goto(live_server + verification_path(live_instance / "outbox", address))
    assert page.get_by_role("heading", name="Alamat email terverifikasi").is_visible()
    page.screenshot(path=str(screenshots / "account-4-verified.png"), full_page=True)

    page.get_by_role("main").get_by_role("link", name="Masuk").click()
    page.wait_for_load_state()
    page.get_by_label("Alamat email").fill(address)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.screenshot(path=str(screenshots / "account-5-sign-in.png"), full_page=True)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    account = page.get_by_role("group", name="Akun")
    assert account.get_by_text("Dewi Lestari").is_visible()
    assert page.get_by_text("Selamat datang, Dewi Lestari.").is_visible()
    assert not page.get_by_text("Mohon verifikasi alamat email Anda").is_visible()
    page.screenshot(path=str(screenshots / "account-6-signed-in.png"), full_page=True)

    account.get_by_role("link", name="Profil").click()
    page.wait_for_load_state()
    assert page.get_by_label("Instansi").input_value() == "Universitas Sriwijaya"
    page.screenshot(path=str(screenshots / "account-7-profile.png"), full_page=True)

    account.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()
    assert page.get_by_text("Anda telah keluar.").is_visible()
    assert page.get_by_role("group", name="Akun").get_by_role("link", name="Masuk").is_visible()
