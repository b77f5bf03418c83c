"""What a message to a visitor's phone says, in the visitor's language, as short as an SMS allows.

The defaults below may be replaced per office: a file `<kind>.<language>.txt` (e.g.
`called.id.txt`) in PUSTAKA_MESSAGE_TEXTS_DIR, or in its sub-folder named by the office's BPS code
(which wins), holding the text with the same {placeholders}. A placeholder the text does not
know is left as it is typed, never an error: a message is never lost to a typo in a template.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from pathlib import Path

from library.models import MessageKind

LANGUAGES = ("id", "en")
MAX_CHARS = 480  # three SMS segments: a longer office template is cut, with an ellipsis

DEFAULTS: dict[tuple[MessageKind, str], str] = {
    (MessageKind.CALLED, "id"): "PST {office}: nomor antrean {ticket} dipanggil. Silakan ke {counter}.",
    (MessageKind.CALLED, "en"): "PST {office}: queue number {ticket} is called. Please go to {counter}.",
    (MessageKind.TWO_AHEAD, "id"): (
        "PST {office}: tinggal {ahead} pengunjung lagi sebelum nomor antrean {ticket}. "
        "Mohon bersiap di ruang tunggu."
    ),
    (MessageKind.TWO_AHEAD, "en"): (
        "PST {office}: {ahead} visitors are ahead of queue number {ticket}. "
        "Please be ready in the waiting room."
    ),
    (MessageKind.SCAN_READY, "id"): "PST {office}: salinan pindaian Anda siap diunduh: {link}",
    (MessageKind.SCAN_READY, "en"): "PST {office}: the pages scanned for you are ready to download: {link}",
    (
        MessageKind.SURVEY,
        "id",
    ): "PST {office}: terima kasih atas kunjungan Anda. Mohon nilai layanan kami: {link}",
    (MessageKind.SURVEY, "en"): "PST {office}: thank you for your visit. Please rate our service: {link}",
    (
        MessageKind.ANSWERED,
        "id",
    ): "PST {office}: konsultasi {number} Anda telah dijawab. Baca jawabannya: {link}",
    (
        MessageKind.ANSWERED,
        "en",
    ): "PST {office}: your consultation {number} has been answered. Read it here: {link}",
}


class _Kept(dict):
    """Values for a template: a placeholder it does not know stays as typed."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def template(kind: MessageKind, language: str, folder: Path | None, office_code: str) -> str:
    """Return the text of a kind of message in a language: the office's own, else the default."""
    language = language if language in LANGUAGES else "id"
    if folder is not None:
        for place in (folder / office_code, folder):
            path = place / f"{kind.value}.{language}.txt"
            try:
                return path.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                continue
    return DEFAULTS[(kind, language)]


def render(text: str, values: Mapping[str, object]) -> str:
    """Fill a template's placeholders; a malformed template is sent as typed rather than lost."""
    try:
        filled = string.Formatter().vformat(text, (), _Kept({k: str(v) for k, v in values.items()}))
    except (ValueError, IndexError):
        filled = text
    return filled if len(filled) <= MAX_CHARS else filled[: MAX_CHARS - 1] + "…"
