"""The board's voice clips on disk: made by espeak-ng, replaced by the office's own, never written over."""

from __future__ import annotations

import io
import math
import shutil
import struct
import wave
from pathlib import Path

import pytest

from library.frontoffice.voice.clips import (
    ClipState,
    VoiceFolders,
    build_clips,
    clip_file,
    clip_states,
    missing_clips,
)
from library.frontoffice.voice.phrases import LANGUAGES, clip_words
from tests.conftest import require_service

SILENCE_RMS = 300  # of 32767: espeak-ng's speech is well above, a silent or empty file 0
SILENCE_PEAK = 2000


def loudness(path: Path | bytes) -> tuple[float, int, float]:
    """Return a 16-bit mono WAV's root mean square, its peak, and its length in seconds."""
    with wave.open(io.BytesIO(path) if isinstance(path, bytes) else str(path)) as audio:
        assert (audio.getsampwidth(), audio.getnchannels()) == (2, 1)
        frames = audio.readframes(audio.getnframes())
        seconds = audio.getnframes() / audio.getframerate()
    samples = struct.unpack(f"<{len(frames) // 2}h", frames)
    rms = math.sqrt(sum(s * s for s in samples) / max(1, len(samples)))
    return rms, max((abs(s) for s in samples), default=0), seconds


def tone(words: str, language: str, target: Path) -> None:
    """Write a short tone as a clip: a stand-in synthesizer that counts what it was asked."""
    with wave.open(str(target), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 3))) for i in range(800)))
    tone.asked.append((language, words))  # type: ignore[attr-defined]


tone.asked = []  # type: ignore[attr-defined]


@pytest.fixture
def folders(tmp_path: Path) -> VoiceFolders:
    """Return the voice folders of an instance where the recordings sit beside the clips."""
    return VoiceFolders(tmp_path / "voice", tmp_path / "voice")


def test_espeak_ng_renders_every_clip_as_a_valid_wav_that_is_not_silence(tmp_path: Path) -> None:
    require_service("espeak-ng", shutil.which("espeak-ng") is not None)
    folders = VoiceFolders(tmp_path / "voice", tmp_path / "voice")
    report = build_clips(folders)
    assert (report.made, report.kept, report.own) == (150, 0, 0)
    assert missing_clips(folders) == {"id": [], "en": []}
    for language in LANGUAGES:
        for clip in clip_words(language):
            path = clip_file(folders, language, clip)
            assert path is not None and path.suffix == ".wav"
            rms, peak, seconds = loudness(path)
            assert rms > SILENCE_RMS and peak > SILENCE_PEAK, f"{language}/{clip} is silence"
            assert 0.2 < seconds < 3, f"{language}/{clip} lasts {seconds:.2f} s"


def test_a_second_build_makes_nothing_and_again_makes_the_synthesized_ones_anew(
    folders: VoiceFolders,
) -> None:
    tone.asked.clear()  # type: ignore[attr-defined]
    assert build_clips(folders, tone).made == 150
    assert len(tone.asked) == 150 and ("id", "dua belas") in tone.asked  # type: ignore[attr-defined]
    assert build_clips(folders, tone).kept == 150
    assert build_clips(folders, tone, again=True).made == 150


def test_the_offices_own_recording_wins_and_a_build_never_writes_over_it(folders: VoiceFolders) -> None:
    build_clips(folders, tone)
    own_wav = folders.own / "id" / "loket.wav"
    own_wav.write_bytes(b"RIFF the office's own loket")  # dropped over the synthesized one
    own_mp3 = folders.own / "id" / "satu.mp3"
    own_mp3.write_bytes(b"ID3 the office's own satu")
    report = build_clips(folders, tone, again=True)
    assert (report.made, report.own) == (148, 2)
    assert own_wav.read_bytes() == b"RIFF the office's own loket"
    assert clip_file(folders, "id", "loket") == own_wav
    assert clip_file(folders, "id", "satu") == own_mp3  # beside the synthesized satu.wav, it wins
    states = clip_states(folders, "id")
    assert (states["loket"], states["satu"], states["dua"]) == (
        ClipState.OWN,
        ClipState.OWN,
        ClipState.SYNTHESIZED,
    )


def test_recordings_in_a_folder_of_their_own_win_over_the_synthesized_clips(tmp_path: Path) -> None:
    folders = VoiceFolders(tmp_path / "voice", tmp_path / "rekaman")
    (folders.own / "en").mkdir(parents=True)
    recorded = folders.own / "en" / "counter.ogg"
    recorded.write_bytes(b"OggS counter")
    report = build_clips(folders, tone)
    assert (report.made, report.own) == (149, 1)
    assert clip_file(folders, "en", "counter") == recorded
    assert not (folders.built / "en" / "counter.wav").exists()


def test_a_missing_clip_is_named_and_nothing_outside_the_clip_set_is_ever_a_file(
    folders: VoiceFolders,
) -> None:
    build_clips(folders, tone, languages=["id"])
    (folders.built / "id" / "dua_belas.wav").unlink()
    missing = missing_clips(folders)
    assert missing["id"] == ["dua_belas"] and len(missing["en"]) == 75
    (folders.built / "id" / "secret.wav").write_bytes(b"RIFF")
    for language, clip in [("id", "secret"), ("id", "../id/satu"), ("xx", "satu"), ("id", "dua_belas")]:
        assert clip_file(folders, language, clip) is None


def test_a_synthesizer_that_writes_nothing_fails_the_build_and_leaves_no_clip(folders: VoiceFolders) -> None:
    def empty(words: str, language: str, target: Path) -> None:
        """Write nothing, as a broken synthesizer does."""

    with pytest.raises(OSError, match="wrote nothing"):
        build_clips(folders, empty)
    assert list((folders.built / "id").glob("*.wav")) == []
