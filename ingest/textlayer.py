"""Invisible text over scanned pages, so that they can be searched and their words selected."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.words import Word
from watermark.pdf.mupdf import load_pymupdf

if TYPE_CHECKING:
    import pymupdf

FONT = "helv"  # a standard font: nothing is embedded, WinAnsi covers Indonesian text


def add_text_layer(base_pdf: Path, target: Path, pages: Mapping[int, Sequence[Word]]) -> None:
    """Write target: base_pdf with the OCR words laid invisibly (render mode 3) on their pages."""
    pymupdf = load_pymupdf()

    font = pymupdf.Font(FONT)
    with pymupdf.open(base_pdf) as doc:
        for number, words in sorted(pages.items()):
            if words:
                _lay_words(doc, doc.load_page(number - 1), words, font)
        # A full rewrite, not an incremental save: the access copy carries no history.
        doc.save(target, garbage=3, deflate=True)


def _lay_words(doc: pymupdf.Document, page: pymupdf.Page, words: Sequence[Word], font: pymupdf.Font) -> None:
    pymupdf = load_pymupdf()

    # Placed in the page as shown (rotation applied) so that the text runs the way the
    # reader sees the line, then mapped to PDF user space, whatever /Rotate or CropBox.
    to_pdf = page.derotation_matrix * ~page.transformation_matrix
    boxes = [
        (word.text, pymupdf.Rect(word.x0, word.y0, word.x1, word.y1) * page.rotation_matrix) for word in words
    ]
    page.insert_font(fontname=FONT)  # the /helv resource, inherited resources kept
    if not page.is_wrapped:  # an unbalanced q or cm in the page must not move the words
        page.wrap_contents()
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    doc.update_stream(xref, word_operators(boxes, to_pdf, font))
    contents = [*page.get_contents(), xref]
    doc.xref_set_key(page.xref, "Contents", "[%s]" % " ".join(f"{x} 0 R" for x in contents))


def word_operators(
    boxes: Iterable[tuple[str, pymupdf.Rect]], to_pdf: pymupdf.Matrix, font: pymupdf.Font
) -> bytes:
    """Return the operators that lay words invisibly (render mode 3) in their boxes, as shown."""
    pymupdf = load_pymupdf()

    a, b, c, d = to_pdf.a, to_pdf.b, to_pdf.c, to_pdf.d
    height_per_size = font.ascender - font.descender
    ops = [b"BT 3 Tr"]
    for word, box in boxes:
        text = word.encode("cp1252", "replace")  # WinAnsi; unmappable -> "?"
        length = font.text_length(text.decode("cp1252"), fontsize=1)
        if box.is_empty or length <= 0:
            continue
        # The font size fills the box's height, horizontal scaling its width: the selection
        # and search hits then cover the word as printed.
        size = box.height / height_per_size
        stretch = 100 * box.width / (length * size)
        origin = pymupdf.Point(box.x0, box.y1 + font.descender * size) * to_pdf
        ops.append(
            b"/%s %.2f Tf %.2f Tz %.4f %.4f %.4f %.4f %.2f %.2f Tm (%s) Tj"
            % (FONT.encode(), size, stretch, a, b, -c, -d, origin.x, origin.y, _escape(text))
        )
    ops.append(b"ET")
    return b"\n".join(ops)


def _escape(text: bytes) -> bytes:
    return text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
