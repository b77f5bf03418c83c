"""Read the faint diagonal copies of a reader's mark ("Name · ID XXXXXXXX") in a picture or a crop.

The copies are drawn light grey at the page's diagonal. To read them, the faint grey is lifted
out (the page's dark ink and its anti-aliased rims are dropped, the copies turned black), the
picture is turned back by the diagonal's angle, and Tesseract reads it. A read whose check
character holds is taken as an id; the others, often a character or two off where a copy
crosses the page's own ink, are kept (`Reading.raw`) for the caller to match against the ids
its ledger knows: they never name anyone by themselves.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from watermark.marks.mark import READING_ID_LENGTH, is_delivery_id
from watermark.trace.ocr import read_straight_text

# The page diagonals a reader's picture is drawn at: A4 (and Letter, F4: within Tesseract's
# tolerance of a few degrees) upright, then A4 on its side.
ANGLES = (math.degrees(math.atan2(297, 210)), math.degrees(math.atan2(210, 297)))
_INK = 170  # darker than this is the page's own ink, never the faint copies (about 229 on white)
_FLOOR = 12  # lighter differences from the paper are JPEG noise and the edges of shaded table rows
_GAIN = 14  # how much the faint grey is deepened, so Tesseract sees black text
# "ID" and what follows, spaces inside it dropped (Tesseract splits a word where a stroke is lost).
_ID_READ = re.compile(r"[I1l][D0O]\s*[:.]?\s*((?:[0-9A-Z]\s?){6,10})")
_OCR_FIXES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


@dataclass(frozen=True)
class Reading:
    """What the diagonal copies gave: the ids read whole, and every read as it came."""

    ids: tuple[str, ...]
    raw: tuple[str, ...]


def read_diagonal(picture: Image.Image, angles: tuple[float, ...] = ANGLES) -> Reading:
    """Return the reading-session ids the faint diagonal copies in a picture spell, and every read."""
    faint = lift_faint(picture.convert("L"))
    raw: list[str] = []
    for angle in angles:
        turned = faint.rotate(-angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
        black = turned.point(lambda value: 255 if value > 128 else 0)
        # Tesseract's page layout trips over table rules in some crops and not in others: read
        # the grey picture, then the black and white one as one block, until an id is whole.
        for variant, block in ((turned, False), (black, True), (black, False)):
            raw += _id_reads(read_straight_text(variant, block=block))
            if any(_whole(read) for read in raw):
                return Reading(tuple(sorted({r for r in raw if _whole(r)})), tuple(dict.fromkeys(raw)))
    return Reading((), tuple(dict.fromkeys(raw)))


def _id_reads(text: str) -> list[str]:
    """Return what follows each "ID" in a text, as an id would be written."""
    reads = []
    for match in _ID_READ.findall(text):
        read = "".join(match.split()).translate(_OCR_FIXES)
        # A capital starting the name after the id may have joined it.
        reads += [read, read[:READING_ID_LENGTH]] if len(read) > READING_ID_LENGTH else [read]
    return reads


def lift_faint(gray: Image.Image) -> Image.Image:
    """Return the faint grey of a picture as black on white, its dark ink and their rims removed."""
    pixels = np.asarray(gray, dtype=np.int16)
    ink = Image.fromarray(((pixels < _INK) * 255).astype(np.uint8))
    near_ink = np.asarray(ink.filter(ImageFilter.MaxFilter(3))) > 0
    paper = np.asarray(gray.filter(ImageFilter.MaxFilter(9)), dtype=np.int16)  # the lightest nearby
    depth = np.clip(paper - pixels - _FLOOR, 0, None) * _GAIN
    lifted = np.clip(255 - depth, 0, 255).astype(np.uint8)
    lifted[near_ink] = 255
    # Close small gaps in the strokes (where a copy crossed a rim of ink) before reading.
    return Image.fromarray(lifted).filter(ImageFilter.MinFilter(3)).filter(ImageFilter.MaxFilter(3))


def _whole(read: str) -> bool:
    return len(read) == READING_ID_LENGTH and is_delivery_id(read)
