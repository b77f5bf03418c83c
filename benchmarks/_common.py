"""Shared helpers for the on-demand benchmarks: synthetic publications and timing."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).with_name("out")

_WORDS = (
    "jumlah penduduk menurut kecamatan dan jenis kelamin tahun laju pertumbuhan persen "
    "rumah tangga produksi padi sawah ladang luas panen ton hektare indeks harga konsumen "
    "inflasi tenaga kerja angkatan pengangguran terbuka sekolah murid guru kesehatan "
    "puskesmas desa kelurahan kabupaten kota provinsi lampung metro statistik daerah"
).split()


def publication(pages: int, directory: Path = OUT) -> Path:
    """Return a synthetic statistical publication of `pages` pages (text and tables), cached."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"publication-{pages}.pdf"
    if path.exists():
        return path
    rng = random.Random(pages)
    pdf = canvas.Canvas(str(path), pagesize=A4, pageCompression=1)
    pdf.setTitle(f"Kota Metro Dalam Angka ({pages} halaman)")
    width, height = A4
    for number in range(1, pages + 1):
        pdf.setFont("Helvetica-Bold", 12)
        pdf.drawString(72, height - 72, f"Tabel {number}. " + " ".join(rng.sample(_WORDS, 6)).title())
        pdf.setFont("Helvetica", 9)
        y = height - 100
        for _ in range(18):  # a paragraph of prose
            pdf.drawString(72, y, " ".join(rng.choice(_WORDS) for _ in range(13)))
            y -= 12
        y -= 10
        for _row in range(22):  # a ruled table of figures
            pdf.line(72, y + 9, width - 72, y + 9)
            pdf.drawString(76, y, rng.choice(_WORDS).title())
            for col in range(5):
                pdf.drawRightString(250 + col * 60, y, f"{rng.randint(0, 999999):,}".replace(",", "."))
            y -= 13
        pdf.line(72, y + 9, width - 72, y + 9)
        pdf.drawCentredString(width / 2, 40, str(number))
        pdf.showPage()
    pdf.save()
    return path


def median_time(action: Callable[[], object], repeats: int) -> float:
    """Return the median wall-clock time of `repeats` runs of `action`."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
