"""`pustaka voice build` and `list`, and the `pustaka check` line of the board's voice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from cli.check_voice import check_voice
from library.frontoffice.voice import clips
from library.settings import Settings
from runtime.root import Runtime
from tests.integration.library.frontoffice.voice.test_clips import tone


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Return the settings of a new instance, its recordings in a folder of their own."""
    return Settings.from_env(
        {}, instance_dir=tmp_path / "instance", voice_recordings_dir=str(tmp_path / "rekaman")
    )


def voice(settings: Settings, *args: str):
    """Run `pustaka voice ARGS` on the instance."""
    return CliRunner().invoke(main, ["voice", *args], obj=Runtime(settings))


def test_build_makes_the_missing_clips_and_list_tells_them_from_the_offices_own(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clips, "espeak_ng", tone)
    own = Path(settings.voice_recordings_dir) / "id" / "loket.ogg"
    own.parent.mkdir(parents=True)
    own.write_bytes(b"OggS")
    result = voice(settings, "build")
    assert result.exit_code == 0, result.output
    assert "149 clips made, 0 made before and kept, 1 the office's own recordings" in result.output
    assert (settings.instance_path / "voice" / "en" / "twelve.wav").is_file()
    listed = voice(settings, "list").output
    assert "id: 74 synthesized, 1 the office's own, 0 missing" in listed
    assert "  loket            own\n" in listed and "  dua_belas        synthesized\n" in listed


def test_build_without_espeak_ng_says_how_to_install_it(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = voice(settings, "build")
    assert result.exit_code == 1
    assert "espeak-ng is not installed" in result.output and "apt-get install espeak-ng" in result.output


def test_the_check_line_names_the_missing_clips_then_passes_once_they_are_made(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = check_voice(settings)
    assert not before.ok and not before.required  # a board without voice still chimes
    assert "id: missing nomor_antrean, silakan_ke, loket, A, B, C and 69 more" in before.detail
    assert "Run 'pustaka voice build'" in before.hint or "Install espeak-ng" in before.hint
    monkeypatch.setattr(clips, "espeak_ng", tone)
    assert voice(settings, "build").exit_code == 0
    after = check_voice(settings)
    assert after.ok and after.detail.startswith("every clip in id and en; espeak-ng")


def test_the_check_line_says_when_espeak_ng_is_missing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    line = check_voice(settings)
    assert "espeak-ng is not installed" in line.detail
    assert line.hint == "Install espeak-ng, then run 'pustaka voice build'."
