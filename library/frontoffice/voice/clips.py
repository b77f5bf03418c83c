"""The board's voice clips on disk: synthesized once per host, replaceable by the office's recordings.

`pustaka voice build` renders every clip `phrases.clip_words` names with espeak-ng (offline, a
Debian package with an Indonesian voice) into `<VOICE_DIR>/<lang>/<clip>.wav`, and notes each file
it wrote, with its sha256, in `<VOICE_DIR>/<lang>/synthesized.json`. A file the office puts in
its recordings folder (`PUSTAKA_VOICE_RECORDINGS_DIR`, by default the same folder) under a clip's
name, as WAV, MP3 or OGG, is its own recording: it is what the board plays, and a build never
writes over it (a `.wav` in the same folder that the notes do not name, or whose bytes differ
from what they record, is the office's).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from library.frontoffice.voice.phrases import LANGUAGES, clip_words

log = logging.getLogger(__name__)

AUDIO_TYPES = {
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
}  # an office's own: in this order
NOTES = "synthesized.json"  # per language folder: the clips a build wrote, by sha256
SYNTHESIZER = "espeak-ng"
VOICES = {"id": "id", "en": "en"}  # espeak-ng's own voices (mbrola voices sound better, but are optional)
SPEED = 140  # words a minute: espeak-ng's default, 175, is hurried for a waiting room
TIMEOUT_SECONDS = 30

Synthesizer = Callable[[str, str, Path], None]  # (words, language, WAV to write)


class ClipState(StrEnum):
    """Where a clip the board may play comes from."""

    SYNTHESIZED = "synthesized"
    OWN = "own"  # the office's recording
    MISSING = "missing"


@dataclass(frozen=True)
class VoiceFolders:
    """Where a host keeps its synthesized clips and where the office's recordings are."""

    built: Path
    own: Path

    @classmethod
    def of(cls, settings: Any) -> VoiceFolders:
        """Return the folders the settings name (the recordings beside the clips unless set apart)."""
        own = settings.voice_recordings_dir
        built = settings.voice_path
        return cls(built, Path(own).expanduser().resolve() if own else built)


@dataclass(frozen=True)
class BuildReport:
    """What a build did: clips written now, synthesized before and kept, the office's left alone."""

    made: int
    kept: int
    own: int


def is_clip(language: str, clip: str) -> bool:
    """Tell whether a language and a clip name are ones a call can ask for (nothing else is served)."""
    return language in LANGUAGES and clip in clip_words(language)


def clip_file(folders: VoiceFolders, language: str, clip: str) -> Path | None:
    """Return the file the board plays for a clip: the office's recording, else the synthesized one."""
    if not is_clip(language, clip):
        return None
    own = _own_file(folders, language, clip, _notes(folders.built / language))
    built = folders.built / language / f"{clip}.wav"
    return own or (built if built.is_file() else None)


def clip_states(folders: VoiceFolders, language: str) -> dict[str, ClipState]:
    """Return every clip of a language with where it comes from (or that it is missing)."""
    notes = _notes(folders.built / language)
    states = {}
    for clip in clip_words(language):
        if _own_file(folders, language, clip, notes) is not None:
            states[clip] = ClipState.OWN
        elif (folders.built / language / f"{clip}.wav").is_file():
            states[clip] = ClipState.SYNTHESIZED
        else:
            states[clip] = ClipState.MISSING
    return states


def missing_clips(folders: VoiceFolders) -> dict[str, list[str]]:
    """Return, per language, the clips that have no file (the board skips them)."""
    found = {}
    for language in LANGUAGES:
        states = clip_states(folders, language)
        found[language] = [clip for clip, state in states.items() if state is ClipState.MISSING]
    return found


def build_clips(
    folders: VoiceFolders,
    synthesize: Synthesizer | None = None,
    *,
    again: bool = False,
    languages: Iterable[str] = LANGUAGES,
) -> BuildReport:
    """Render every clip that is missing (or, `again`, every synthesized one); never an office's own."""
    synthesize = synthesize or espeak_ng
    made = kept = own = 0
    for language in languages:
        folder = folders.built / language
        folder.mkdir(parents=True, exist_ok=True)
        notes = _notes(folder)
        try:
            for clip, words in clip_words(language).items():
                target = folder / f"{clip}.wav"
                if _own_file(folders, language, clip, notes) is not None:
                    own += 1
                elif target.is_file() and not again:
                    kept += 1
                else:
                    notes[clip] = _render(synthesize, words, language, target)
                    made += 1
        finally:
            _write_notes(folder, notes)
    log.info("voice clips built: %s made, %s kept, %s the office's own", made, kept, own)
    return BuildReport(made, kept, own)


def espeak_ng(words: str, language: str, target: Path) -> None:
    """Say the words with espeak-ng's voice for the language into a WAV file."""
    program = shutil.which(SYNTHESIZER)
    if program is None:
        raise FileNotFoundError(SYNTHESIZER)
    subprocess.run(
        [program, "-v", VOICES[language], "-s", str(SPEED), "-w", str(target), words],
        check=True,
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
    )


def synthesizer_voices() -> list[str] | None:
    """Return the languages espeak-ng has a voice for among those the board speaks, or None without it."""
    program = shutil.which(SYNTHESIZER)
    if program is None:
        return None
    found = []
    for language, voice in VOICES.items():
        listed = subprocess.run(
            [program, f"--voices={voice}"],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        if len(listed.stdout.strip().splitlines()) > 1:  # a header line, then a line per voice
            found.append(language)
    return found


def _render(synthesize: Synthesizer, words: str, language: str, target: Path) -> str:
    """Synthesize one clip beside its place, then move it in; return its sha256."""
    handle, name = tempfile.mkstemp(suffix=".wav", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        synthesize(words, language, temporary)
        if temporary.stat().st_size == 0:
            raise OSError(f"{SYNTHESIZER} wrote nothing for {words!r}")
        temporary.chmod(0o644)  # the mode a file the office copies in would have
        digest = hashlib.sha256(temporary.read_bytes()).hexdigest()
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return digest


def _own_file(folders: VoiceFolders, language: str, clip: str, notes: dict[str, str]) -> Path | None:
    """Return the office's recording of a clip, if it made one."""
    for suffix in AUDIO_TYPES:
        path = folders.own / language / f"{clip}{suffix}"
        if not path.is_file():
            continue
        if suffix == ".wav" and folders.own == folders.built and _synthesized(path, notes.get(clip)):
            continue
        return path
    return None


def _synthesized(path: Path, digest: str | None) -> bool:
    """Tell whether a WAV file is the one a build wrote (its bytes as the notes record them)."""
    return digest is not None and hashlib.sha256(path.read_bytes()).hexdigest() == digest


def _notes(folder: Path) -> dict[str, str]:
    """Return the clips a build wrote in a language's folder, by sha256 (none when never built)."""
    try:
        notes = json.loads((folder / NOTES).read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in notes.items()} if isinstance(notes, dict) else {}


def _write_notes(folder: Path, notes: dict[str, str]) -> None:
    """Write the notes of a language's folder by temporary file and rename."""
    temporary = folder / f".{NOTES}.tmp"
    temporary.write_text(json.dumps(notes, indent=1, sort_keys=True))
    os.replace(temporary, folder / NOTES)
