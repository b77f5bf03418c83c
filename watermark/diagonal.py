"""Read the faint diagonal copies of a reader's mark ("Name · ID XXXXXXXX") in a picture or a crop.

The copies are drawn light grey at the page's diagonal. To read them, the faint grey is lifted
out (the page's dark ink and its anti-aliased rims are dropped, the copies turned black), the
picture is turned back by the diagonal's angle, and Tesseract reads it. One read of an id is
often a character off; the copies repeat across the page, so the reads are pooled: an id whose
check character holds is taken as read, and an id one character away from two reads or more
is taken as their consensus. Damaged reads are kept (`Reading.raw`) for the caller to match
against the ids its ledger knows; they never name anyone by themselves.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from watermark.mark import ALPHABET, READING_ID_LENGTH, is_delivery_id
from watermark.ocr import read_straight_text

# The page diagonals a reader's picture is drawn at: A4 (and Letter, F4: within Tesseract's
# tolerance of a few degrees) upright, then A4 on its side.
ANGLES = (math.degrees(math.atan2(297, 210)), math.degrees(math.atan2(210, 297)))
_INK = 170  # darker than this is the page's own ink, never the faint copies (about 229 on white)
_FLOOR = 6  # differences from the paper smaller than this are JPEG noise
_GAIN = 14  # how much the faint grey is deepened, so Tesseract sees black text
_ID_READ = re.compile(r"\bI[D0O]\s*[:.]?\s*([0-9A-Za-z]{6,10})")
_OCR_FIXES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


@dataclass(frozen=True)
class Reading:
    """What the diagonal copies gave: ids read whole or agreed on, and every read as it came."""

    ids: tuple[str, ...]
    raw: tuple[str, ...]


def read_diagonal(picture: Image.Image, angles: tuple[float, ...] = ANGLES) -> Reading:
    """Return the reading-session ids the faint diagonal copies in a picture spell."""
    faint = lift_faint(picture.convert("L"))
    raw: list[str] = []
    for angle in angles:
        turned = faint.rotate(-angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
        raw += [match.upper().translate(_OCR_FIXES) for match in _ID_READ.findall(read_straight_text(turned))]
        ids = pool(raw)
        if ids:
            break
    return Reading(ids, tuple(dict.fromkeys(raw)))


def lift_faint(gray: Image.Image) -> Image.Image:
    """Return the faint grey of a picture as black on white, its dark ink and their rims removed."""
    pixels = np.asarray(gray, dtype=np.int16)
    ink = Image.fromarray(((pixels < _INK) * 255).astype(np.uint8))
    near_ink = np.asarray(ink.filter(ImageFilter.MaxFilter(5))) > 0
    paper = np.asarray(gray.filter(ImageFilter.MaxFilter(9)), dtype=np.int16)  # the lightest nearby
    depth = np.clip(paper - pixels - _FLOOR, 0, None) * _GAIN
    lifted = np.clip(255 - depth, 0, 255).astype(np.uint8)
    lifted[near_ink] = 255
    return Image.fromarray(lifted)


def pool(reads: list[str]) -> tuple[str, ...]:
    """Return the ids the reads spell: read whole, or one character away from two reads."""
    exact = {read for read in reads if len(read) == READING_ID_LENGTH and is_delivery_id(read)}
    support: Counter[str] = Counter()
    for read in set(reads) - exact:
        for candidate in set(one_off(read)):
            support[candidate] += reads.count(read)
    agreed = {candidate for candidate, count in support.items() if count >= 2}
    return tuple(sorted(exact | agreed))


def one_off(read: str) -> list[str]:
    """Return the well-formed ids one misread character away from a read.

    A substituted, missing or extra character each leaves a single choice at each place,
    because the check character's weights are odd.
    """
    candidates: list[str] = []
    length = READING_ID_LENGTH
    if any(ch not in ALPHABET for ch in read):
        # An unreadable character is the one wrong: only its place is tried.
        places = [i for i, ch in enumerate(read) if ch not in ALPHABET]
        if len(places) == 1 and len(read) == length:
            candidates += _fill(read[: places[0]], read[places[0] + 1 :])
        return [c for c in candidates if is_delivery_id(c)]
    if len(read) == length:
        for i in range(length):
            candidates += _fill(read[:i], read[i + 1 :])
    elif len(read) == length - 1:
        for i in range(length):
            candidates += _fill(read[:i], read[i:])
    elif len(read) == length + 1:
        candidates += [read[:i] + read[i + 1 :] for i in range(length + 1)]
    return [c for c in dict.fromkeys(candidates) if c != read and is_delivery_id(c)]


def _fill(before: str, after: str) -> list[str]:
    """Return the ids with one character between `before` and `after` whose check character holds."""
    return [f"{before}{ch}{after}" for ch in ALPHABET if is_delivery_id(f"{before}{ch}{after}")]
