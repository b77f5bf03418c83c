"""The waiting-room board's voice: a call as clip names (`phrases`), the clips on disk (`clips`)."""

from library.frontoffice.voice.clips import (
    AUDIO_TYPES,
    BuildReport,
    ClipState,
    VoiceFolders,
    build_clips,
    clip_file,
    clip_states,
    espeak_ng,
    missing_clips,
    synthesizer_voices,
)
from library.frontoffice.voice.phrases import LANGUAGES, English, Reading, clip_words, spoken_call

__all__ = [
    "AUDIO_TYPES",
    "LANGUAGES",
    "BuildReport",
    "ClipState",
    "English",
    "Reading",
    "VoiceFolders",
    "build_clips",
    "clip_file",
    "clip_states",
    "clip_words",
    "espeak_ng",
    "missing_clips",
    "spoken_call",
    "synthesizer_voices",
]
