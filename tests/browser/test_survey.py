"""The SKM survey in Chromium: rated on a library terminal as the visitor leaves, from an online
user's request page once the copy is ready, and on a 360-pixel phone.

The module serves its own demo instance with the copy job run as it is queued (Huey in
immediate mode), so a request for an open publication is ready on the page the browser lands
on. The terminal's thank-you page sends the screen back to its start by itself after 10 s (its
script's timer): the test moves the page's fake clock past them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from library.models import AccessLevel, Role, SurveyAnswer, SurveyResponse
from tests.browser.navigation import DECODED, wait_in_page
from tests.browser.pictures import shoot
from tests.browser.screen_width import no_sideways_scroll
from tests.browser.softcopy_helpers import (
    LiveServer,
    ask_for_softcopy,
    make_person,
    publication,
    served_copy,
    sign_in,
)
from tests.browser.terminal_site import TERMINAL_HOME, register_terminal, scanned, start_session
from tests.functional.terminal_helpers import walk_in

# The answer picked for each of the nine questions (0: the worst of four, 3: the best).
PICKS = {"U1": 3, "U2": 2, "U3": 3, "U4": 3, "U5": 2, "U6": 3, "U7": 3, "U8": 1, "U9": 2}


@pytest.fixture(scope="module")
def survey_server(tmp_path_factory: pytest.TempPathFactory, demo_instance: Path) -> Iterator[LiveServer]:
    """Serve a demo instance for this module, its jobs run as they are queued."""
    with served_copy(demo_instance, tmp_path_factory.mktemp("survey")) as server:
        yield server


@pytest.fixture
def server(survey_server: LiveServer) -> LiveServer:
    """Return the module's server."""
    return survey_server


def open_browser(browser: Browser, width: int, height: int) -> Page:
    """Open a fresh browser (no cookies) with a window of this size."""
    return browser.new_context(viewport={"width": width, "height": height}, locale="id-ID").new_page()


def rate(page: Page, comment: str) -> None:
    """Answer the nine questions by clicking the answers' words, and write a comment."""
    for code, pick in PICKS.items():
        question = page.locator(f"fieldset#{code}")
        question.locator("label").nth(pick).click()
        expect(question.locator("input[type=radio]").nth(pick)).to_be_checked()
    page.get_by_label("Komentar atau saran (tidak wajib)").fill(comment)


def stored_with(server: LiveServer, comment: str) -> tuple[str, str, list[tuple[str, int]]]:
    """Return the service, channel and answers of the one response with this comment."""
    with server.app.extensions["pustaka"].uow() as uow:
        response = uow.session.scalars(select(SurveyResponse).where(SurveyResponse.comment == comment)).one()
        answers = uow.session.execute(
            select(SurveyAnswer.element, SurveyAnswer.score)
            .where(SurveyAnswer.response_id == response.id)
            .order_by(SurveyAnswer.element)
        ).all()
        return response.service, response.channel, [tuple(a) for a in answers]  # type: ignore[misc]


def responses(server: LiveServer) -> int:
    with server.app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(SurveyResponse)) or 0


def test_a_visitor_rates_the_service_on_the_terminal_as_they_leave_and_it_returns_to_its_start(
    server: LiveServer, browser: Browser, screenshots: Path
) -> None:
    page = open_browser(browser, 1280, 900)
    admin = make_person(server.app, "admin.survei@bps.go.id", "Admin PST", (Role.ADMIN,))
    register_terminal(page, server.url, admin, "Terminal Survei")
    ticket = walk_in(server.app, "Fitri Handayani", email="fitri@example.id")
    start_session(page, scanned(server.url, server.app, ticket))  # her ticket's QR held to the scanner
    # She reads a publication: a session used is a service to rate (one opened and closed at once is not).
    page.goto(f"{server.url}/baca/{publication(server.app, AccessLevel.OPEN)[0]}")
    wait_in_page(page, DECODED, "#hal-1 img")
    page.get_by_role("button", name="Selesai").click()

    expect(page.get_by_role("heading", name="Nilai layanan kami")).to_be_visible()
    expect(page.get_by_text("Terima kasih. Sesi Anda telah berakhir")).to_be_visible()
    assert "Fitri Handayani" not in page.content()  # signed out before the survey
    expect(page.locator("fieldset.survey-question")).to_have_count(9)
    expect(page.get_by_role("link", name="Masuk")).to_have_count(0)  # the kiosk's frame: no way out
    page.get_by_role("link", name="English").click()  # the language changes, the survey stays
    expect(page.get_by_role("heading", name="Rate our service")).to_be_visible()
    page.get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.get_by_role("heading", name="Nilai layanan kami")).to_be_visible()
    rate(page, "Terminal cepat, ruang baca sejuk.")
    shoot(page, screenshots / "survey-terminal-1-answered.png", full_page=True)
    page.clock.install()  # the thank-you page's timer runs on a clock the test moves
    page.get_by_role("button", name="Kirim penilaian").click()

    expect(page.get_by_role("heading", name="Terima kasih atas penilaian Anda")).to_be_visible()
    shoot(page, screenshots / "survey-terminal-2-thanks.png", full_page=True)
    assert stored_with(server, "Terminal cepat, ruang baca sejuk.") == (
        "library",
        "visit",
        [(code, pick + 1) for code, pick in sorted(PICKS.items())],
    )
    page.wait_for_load_state("domcontentloaded")  # its deferred script has armed the timer
    page.clock.fast_forward("00:09")
    expect(page.get_by_role("heading", name="Terima kasih atas penilaian Anda")).to_be_visible()
    page.clock.fast_forward("00:02")  # 11 s untouched: back to the start
    page.wait_for_url(server.url + "/terminal")
    expect(page.get_by_role("heading", name=TERMINAL_HOME)).to_be_visible()
    shoot(page, screenshots / "survey-terminal-3-home-again.png", full_page=True)


def test_an_online_user_rates_a_ready_softcopy_from_the_request_page(
    server: LiveServer, browser: Browser, screenshots: Path
) -> None:
    page = open_browser(browser, 1280, 900)
    address = make_person(server.app, "gita.survei@example.id", "Gita Purnama")
    sign_in(page, server.url, address)
    number = ask_for_softcopy(page, server.url, publication(server.app, AccessLevel.OPEN)[0])
    invite = page.get_by_role("region", name="Bagaimana layanan kami?")
    expect(invite).to_be_visible()
    shoot(page, screenshots / "survey-request-1-invite.png", full_page=True)
    invite.get_by_role("link", name="Nilai layanan kami").click()

    expect(page.get_by_role("heading", name="Nilai layanan kami")).to_be_visible()
    expect(page.locator("p.lead")).to_contain_text("Perpustakaan")
    survey = page.url
    before = responses(server)
    page.get_by_role("button", name="Kirim penilaian").click()  # nothing chosen: every question named
    expect(page.locator(".field-error")).to_have_count(9)
    shoot(page, screenshots / "survey-request-2-errors.png", full_page=True)
    assert responses(server) == before
    rate(page, "Salinan cepat siap.")
    page.clock.install()  # the thank-you page's timer runs on a clock the test moves
    page.get_by_role("button", name="Kirim penilaian").click()

    expect(page.get_by_role("heading", name="Terima kasih atas penilaian Anda")).to_be_visible()
    assert stored_with(server, "Salinan cepat siap.")[:2] == ("library", "softcopy")
    page.goto(f"{server.url}/permintaan/{number}")
    expect(page.get_by_role("heading", name=f"Permintaan {number}")).to_be_visible()
    expect(page.get_by_role("region", name="Bagaimana layanan kami?")).to_have_count(0)  # asked once
    # The survey's address again (Back would not show it: pages are never cached, and the
    # answers' page was a POST's): answered already.
    page.goto(survey)
    expect(page.get_by_text("Survei ini sudah diisi")).to_be_visible()


def test_the_survey_fits_a_360_pixel_phone(server: LiveServer, browser: Browser, screenshots: Path) -> None:
    page = open_browser(browser, 360, 740)
    address = make_person(server.app, "hana.survei@example.id", "Hana Sekar Ayu Kusumaningtyas")
    sign_in(page, server.url, address)
    ask_for_softcopy(page, server.url, publication(server.app, AccessLevel.OPEN)[0])
    no_sideways_scroll(page)
    page.get_by_role("region", name="Bagaimana layanan kami?").get_by_role(
        "link", name="Nilai layanan kami"
    ).click()
    expect(page.get_by_role("heading", name="Nilai layanan kami")).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, screenshots / "survey-360-1-form.png", full_page=True)
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.locator(".field-error")).to_have_count(9)
    no_sideways_scroll(page)
    shoot(page, screenshots / "survey-360-2-errors.png", full_page=True)
    rate(page, "Bisa diisi dari ponsel dengan nyaman.")
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.get_by_role("heading", name="Terima kasih atas penilaian Anda")).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, screenshots / "survey-360-3-thanks.png", full_page=True)
