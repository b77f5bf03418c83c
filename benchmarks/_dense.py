"""A text-dense synthetic publication with an outline, for the first-stamp benchmark (`stamp --dense`)."""

from __future__ import annotations

import random
from pathlib import Path

from benchmarks._common import _WORDS, OUT


def dense_publication(pages: int, directory: Path = OUT) -> Path:
    """Return a publication of `pages` pages each full of small text (two columns, tables), with an outline.

    Each page holds about 9,000 characters in 7-point type in two columns, as a statistical
    yearbook's dense pages do, above a running footer (the page number and the book's title),
    and a bookmark per page under one per chapter of 20 pages: PDF interpreters spend a page's
    measuring on its many text-showing operations. The stamp finds room between the text and
    the running footer. Cached.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"dense-{pages}.pdf"
    if path.exists():
        return path
    rng = random.Random(pages * 7 + 1)
    pdf = canvas.Canvas(str(path), pagesize=A4, pageCompression=1)
    pdf.setTitle(f"Statistik Daerah Padat ({pages} halaman)")
    width, height = A4
    column = (width - 2 * 48 - 18) / 2
    for number in range(1, pages + 1):
        if number % 20 == 1:
            chapter = f"bab-{number // 20 + 1}"
            pdf.bookmarkPage(chapter)
            pdf.addOutlineEntry(f"Bab {number // 20 + 1}", chapter, level=0)
        key = f"p{number}"
        pdf.bookmarkPage(key)
        pdf.addOutlineEntry(f"Tabel {number}. " + " ".join(rng.sample(_WORDS, 4)).title(), key, level=1)
        pdf.setFont("Helvetica-Bold", 9)
        pdf.drawString(48, height - 48, f"Tabel {number}. " + " ".join(rng.sample(_WORDS, 7)).title())
        for left in (48, 48 + column + 18):
            y = height - 64
            pdf.setFont("Helvetica", 7)
            while y > 112:  # prose and rows of figures, down to the running footer's margin
                if rng.random() < 0.6:
                    pdf.drawString(left, y, " ".join(rng.choice(_WORDS) for _ in range(8)))
                else:
                    pdf.drawString(left, y, rng.choice(_WORDS).title())
                    for col in range(4):
                        figure = f"{rng.randint(0, 999999):,}".replace(",", ".")
                        pdf.drawRightString(left + 110 + col * 40, y, figure)
                y -= 8
        pdf.setFont("Helvetica", 8)
        pdf.drawString(48, 40, "Statistik Daerah Kota Metro")
        pdf.drawRightString(width - 48, 40, str(number))
        pdf.showPage()
    pdf.showOutline()
    pdf.save()
    return path
