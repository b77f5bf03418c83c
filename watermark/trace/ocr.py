"""Last-resort reading of a mark with Tesseract, for pictures whose QR code is unreadable."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image


def tesseract_available() -> bool:
    """Tell whether the tesseract command is installed."""
    return shutil.which("tesseract") is not None


def read_text(image: Image.Image) -> str:
    """Return what Tesseract reads anywhere on a picture (the footer is small: enlarge)."""
    gray = image.convert("L")
    if gray.width < 2000:
        gray = gray.resize((gray.width * 2, gray.height * 2))
    return _tesseract(gray)


# Letters of the ids, and what the text around them is made of: fewer shapes to confuse.
_MARK_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz·-. "


def read_straight_text(image: Image.Image, *, block: bool = False) -> str:
    """Return what Tesseract reads in a picture of large, straightened mark text (no enlarging).

    `block` reads the picture as one block of lines instead of scattered words.
    """
    layout = ("--psm", "6" if block else "11")
    return _tesseract(image.convert("L"), *layout, "-c", f"tessedit_char_whitelist={_MARK_CHARACTERS}")


def _tesseract(image: Image.Image, *options: str) -> str:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "page.png"
        image.save(source)
        result = subprocess.run(
            ["tesseract", str(source), "stdout", "-l", "eng", *(options or ("--psm", "11"))],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env=dict(os.environ, OMP_THREAD_LIMIT="1"),  # one core per call is faster
        )
    return " ".join(result.stdout.split())
