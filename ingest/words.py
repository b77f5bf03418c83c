"""Words read by OCR: the Word value, and Tesseract's TSV output turned into words and text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

WORD_LEVEL = "5"  # TSV rows of level 5 are words; 1-4 are page, block, paragraph, line

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Word:
    """A word and its box in PDF points, in the page's unrotated space (origin top-left)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def read_tsv(
    tsv: str, place: Callable[[float, float, float, float], Box]
) -> tuple[str, tuple[Word, ...], float]:
    """Return (text, words, mean confidence) from Tesseract TSV; `place` maps boxes to points."""
    words: list[Word] = []
    confidences: list[float] = []
    paragraphs: list[list[list[str]]] = []
    last_paragraph = last_line = None
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t", 11)
        if len(cells) != 12 or cells[0] != WORD_LEVEL or not cells[11].strip():
            continue
        text = cells[11].strip()
        block, paragraph, line = cells[2:5]
        left, top, width, height = (float(v) for v in cells[6:10])
        words.append(Word(text, *place(left, top, width, height)))
        confidences.append(max(0.0, float(cells[10])))
        # Keep Tesseract's grouping: words into lines, lines into paragraphs.
        if (block, paragraph) != last_paragraph:
            paragraphs.append([])
            last_paragraph, last_line = (block, paragraph), None
        if line != last_line:
            paragraphs[-1].append([])
            last_line = line
        paragraphs[-1][-1].append(text)
    text = "\n\n".join("\n".join(" ".join(line) for line in lines) for lines in paragraphs)
    mean = round(sum(confidences) / len(confidences), 2) if confidences else 0.0
    return text, tuple(words), mean
