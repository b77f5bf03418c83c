"""The board says each call: a chime, then the clips in order, again at a recall, the chime alone when told.

The board's audio is stubbed (an `Audio` and an `AudioContext` that record what they are asked to
play, injected before the page's scripts): no speaker is needed. What was played is checked
against the call the console made, and each clip the board fetched is checked to be speech, not
silence, by its loudness.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from library.frontoffice.queue.actions import call_next
from library.frontoffice.voice.clips import VoiceFolders, build_clips
from library.frontoffice.voice.phrases import English, Reading, spoken_call
from library.models import Role, Ticket, User, Visit
from library.settings import Settings
from tests.browser.pictures import shoot
from tests.browser.screen_width import fits_the_width
from tests.browser.test_queue_board_and_console import (
    DESKTOP,
    PHONE,
    live_uow,
    make_staff,
    press,
    sign_in,
    walk_in,
)
from tests.conftest import require_service
from tests.integration.library.frontoffice.voice.test_clips import SILENCE_PEAK, SILENCE_RMS, loudness
from tests.integration.library.queue_helpers import OFFICE

# Records in `window.played` each tone the chime starts ({tone: hz}) and each clip played ({clip: path}).
AUDIO_STUB = """(() => {
  window.played = [];
  class RecordedAudio {
    constructor(src) { this.src = src || ""; this.volume = 1; this.currentTime = 0; this.handlers = {}; }
    addEventListener(kind, handler) { (this.handlers[kind] = this.handlers[kind] || []).push(handler); }
    removeEventListener(kind, handler) {
      this.handlers[kind] = (this.handlers[kind] || []).filter((h) => h !== handler);
    }
    play() {
      window.played.push({ clip: new URL(this.src, location.href).pathname, volume: this.volume });
      setTimeout(() => (this.handlers.ended || []).slice().forEach((h) => h()), 30);
      return Promise.resolve();
    }
    pause() {}
  }
  class RecordedContext {
    constructor() { this.state = "suspended"; this.currentTime = 0; this.destination = {}; }
    resume() { this.state = "running"; return Promise.resolve(); }
    createOscillator() {
      const oscillator = { frequency: { value: 0 }, connect() {}, stop() {} };
      oscillator.start = () => window.played.push({ tone: oscillator.frequency.value });
      return oscillator;
    }
    createGain() {
      return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect() {} };
    }
  }
  window.Audio = RecordedAudio;
  window.AudioContext = RecordedContext;
  window.webkitAudioContext = RecordedContext;
})();"""
CHIME = [{"tone": 880}, {"tone": 659.25}]


@pytest.fixture(scope="module")
def voiced(live_instance: Path) -> Iterator[VoiceFolders]:
    """Make the live instance's clips with the real espeak-ng, as `pustaka voice build` does."""
    require_service("espeak-ng", shutil.which("espeak-ng") is not None)
    folders = VoiceFolders.of(Settings.from_env({}, instance_dir=live_instance))
    build_clips(folders)
    yield folders
    shutil.rmtree(folders.built)


def open_board(browser, live_server: str, viewport: dict[str, int]) -> Page:  # type: ignore[no-untyped-def]
    """Open the board with its audio recorded; turn its sound on with the one-time button."""
    context = browser.new_context(viewport=viewport, locale="id-ID")
    board = context.new_page()
    board.add_init_script(AUDIO_STUB)
    board.goto(live_server + "/antrean")
    button = board.get_by_role("button", name="Aktifkan suara")
    expect(button).to_be_visible()
    button.click()
    expect(
        board.get_by_role("button", name="Suara menyala: bel berbunyi, lalu panggilan diucapkan.")
    ).to_be_visible()
    assert fits_the_width(board)
    return board


def take_a_counter(browser, live_server: str, email: str, counter: str) -> Page:  # type: ignore[no-untyped-def]
    """Sign a member of staff in at the library's console and open the counter."""
    console = browser.new_context(viewport=DESKTOP, locale="id-ID").new_page()
    sign_in(console, live_server, email)
    console.goto(live_server + "/loket/perpustakaan")
    console.get_by_label("Loket Anda").fill(counter)
    press(console, console.get_by_role("button", name="Mulai bertugas di loket ini"))
    return console


def call_next_visitor(console: Page, counter: str) -> str:
    """Call the next visitor from the console; return their ticket's code."""
    press(console, console.get_by_role("button", name="Panggil berikutnya"))
    flash = console.locator(".flash-success")
    expect(flash).to_contain_text(f"dipanggil ke {counter}.")
    return flash.inner_text().split()[0]


def clips_played(board: Page, count: int) -> list[str]:
    """Wait until the board has played `count` entries and is quiet; return the clip paths, in order."""
    board.wait_for_function(
        "(count) => window.played.length >= count && window.pustakaBoardSound.idle()",
        arg=count,
        timeout=20_000,
    )
    return [entry["clip"] for entry in board.evaluate("window.played") if "clip" in entry]


def expected(code: str, counter: str, language: str = "") -> list[str]:
    """Return the clip paths the board should play for a call (office settings by default)."""
    said = spoken_call(code, counter, language, Reading.WHOLE, English.AFTER)
    return [f"/antrean/suara/{lang}/{clip}" for lang, clip in said]


def assert_speech(board: Page, live_server: str, paths: list[str]) -> None:
    """Check that each clip the board played is fetched as a WAV whose sound is speech, not silence."""
    for path in dict.fromkeys(paths):
        response = board.request.get(live_server + path)
        assert response.ok, path
        rms, peak, _seconds = loudness(response.body())
        assert rms > SILENCE_RMS and peak > SILENCE_PEAK, f"{path} is silence"


def test_a_call_and_its_recall_are_said_and_with_the_voice_off_only_the_chime_sounds(
    browser, live_server: str, live_instance: Path, voiced: VoiceFolders, screenshots: Path
) -> None:
    email = make_staff(live_instance, Role.FRONT_OFFICE)
    walk_in(live_instance, "Kartini Suara")
    board = open_board(browser, live_server, DESKTOP)
    console = take_a_counter(browser, live_server, email, "Loket 4")
    try:
        code = call_next_visitor(console, "Loket 4")
        said = expected(code, "Loket 4")
        assert said[:2] == ["/antrean/suara/id/nomor_antrean", "/antrean/suara/id/P"]
        assert said[-2:] == ["/antrean/suara/id/loket", "/antrean/suara/id/empat"]
        entries = len(CHIME) + len(said)
        assert clips_played(board, entries) == said
        assert board.evaluate("window.played.slice(0, 2)") == CHIME  # the chime first
        assert_speech(board, live_server, said)
        expect(board.locator("#now-code")).to_have_text(code)
        shoot(board, screenshots / "board-voice-1366.png")

        # A recall: said once more, whole.
        card = console.locator(".ticket-card.status-called.mine")
        press(console, card.get_by_role("button", name="Panggil ulang"))
        assert clips_played(board, 2 * entries) == said + said

        # This board's voice turned off (kept for the next visit): a recall only chimes.
        board.get_by_label("Ucapkan panggilan").uncheck()
        assert board.evaluate("localStorage.getItem('pustaka.board.voice')") == "off"
        card = console.locator(".ticket-card.status-called.mine")
        press(console, card.get_by_role("button", name="Tidak hadir"))  # the visitor is gone: a new one
        walk_in(live_instance, "Kartono Suara")
        call_next_visitor(console, "Loket 4")
        clips = clips_played(board, 2 * entries + len(CHIME))
        assert clips == said + said
        assert board.evaluate("window.played.slice(-2)") == CHIME
        board.reload()
        expect(board.get_by_label("Ucapkan panggilan")).not_to_be_checked()
    finally:
        board.context.close()
        console.context.close()


def test_a_phone_board_says_an_english_visitors_call_in_indonesian_then_english(
    browser, live_server: str, live_instance: Path, voiced: VoiceFolders, screenshots: Path
) -> None:
    email = make_staff(live_instance, Role.FRONT_OFFICE)
    code = walk_in(live_instance, "Jane Voice")
    with live_uow(live_instance) as uow:
        visit = uow.session.scalar(
            select(Visit).join(Ticket).where(Ticket.code == code).order_by(Ticket.id.desc())
        )
        assert visit is not None
        visit.language = "en"
        uow.commit()
    board = open_board(browser, live_server, PHONE)
    board.get_by_label("Volume").fill("50")
    console = take_a_counter(browser, live_server, email, "Loket 11")
    try:
        assert call_next_visitor(console, "Loket 11") == code
        said = expected(code, "Loket 11", "en")
        assert said[-3:] == [
            "/antrean/suara/en/please_go_to",
            "/antrean/suara/en/counter",
            "/antrean/suara/en/eleven",
        ]
        assert clips_played(board, len(CHIME) + len(said)) == said
        assert {entry["volume"] for entry in board.evaluate("window.played") if "clip" in entry} == {0.5}
        assert_speech(board, live_server, said)
        shoot(board, screenshots / "board-voice-360.png", full_page=True)
        assert fits_the_width(board)
    finally:
        board.context.close()
        console.context.close()


def test_a_call_that_comes_while_another_is_said_waits_its_turn(
    browser, live_server: str, live_instance: Path, voiced: VoiceFolders
) -> None:
    email = make_staff(live_instance, Role.FRONT_OFFICE)
    first, second = walk_in(live_instance, "Lestari Antre"), walk_in(live_instance, "Mulyono Antre")
    board = open_board(browser, live_server, DESKTOP)
    with live_uow(live_instance) as uow:
        staff = uow.session.scalars(select(User).where(User.email == email)).one()
        for counter in ("Loket 8", "Loket 9"):
            call_next(uow, staff, OFFICE, "library", counter, dt.datetime.now(dt.UTC))
            uow.commit()
            if counter == "Loket 8":  # the second call is made once the board is saying the first
                board.wait_for_function("() => window.played.some((entry) => entry.clip)", timeout=20_000)
    try:
        codes = {code: board_counter(live_instance, code) for code in (first, second)}
        said_first, said_second = (expected(code, codes[code]) for code in (first, second))
        said = said_first + said_second
        assert clips_played(board, 2 * len(CHIME) + len(said)) == said  # the first whole, then the second
        between = len(CHIME) + len(said_first)
        assert board.evaluate("window.played")[between : between + len(CHIME)] == CHIME
    finally:
        board.context.close()


def board_counter(live_instance: Path, code: str) -> str:
    """Return the counter today's ticket with the code was called to."""
    with live_uow(live_instance) as uow:
        return uow.session.scalars(
            select(Ticket.counter).where(Ticket.code == code).order_by(Ticket.id.desc())
        ).first()
