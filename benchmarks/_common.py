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


def publication(pages: int, directory: Path = OUT, edition: str = "") -> Path:
    """Return a synthetic statistical publication of `pages` pages (text and tables), cached.

    Another `edition` is the same pages under another title: a different file, the same work.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"publication-{pages}{'-' + edition if edition else ''}.pdf"
    if path.exists():
        return path
    rng = random.Random(pages)
    pdf = canvas.Canvas(str(path), pagesize=A4, pageCompression=1)
    pdf.setTitle(f"Kota Metro Dalam Angka ({pages} halaman){' ' + edition if edition else ''}")
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


def scanned_publication(
    pages: int, edition: str = "", directory: Path = OUT, dpi: int = 200, jpeg: bool = False
) -> Path:
    """Return an image-only PDF of `pages` pages (pictures of text, as a scanner makes), cached.

    Every edition has the same page pictures under another title: a different file that
    costs the same OCR. The pictures are Flate-compressed (lossless); `jpeg` stores each as a
    greyscale JPEG (quality 75) drawn over the whole page and nothing else, as scanners and
    img2pdf write them.
    """
    if jpeg:
        return _jpeg_scans(scanned_publication(pages, edition, directory, dpi), dpi)
    import io

    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    directory.mkdir(parents=True, exist_ok=True)
    path = (
        directory / f"scan-{pages}{'-' + edition if edition else ''}{'' if dpi == 200 else f'-{dpi}dpi'}.pdf"
    )
    if path.exists():
        return path
    font_path = (
        Path(__file__).resolve().parent.parent / "watermark" / "marks" / "fonts" / "DejaVuSansCondensed.ttf"
    )
    font = ImageFont.truetype(str(font_path), size=int(dpi * 0.13))
    width, height = int(A4[0] / 72 * dpi), int(A4[1] / 72 * dpi)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setTitle(f"Hasil Pindaian Statistik Daerah ({pages} halaman){' ' + edition if edition else ''}")
    for number in range(1, pages + 1):
        rng = random.Random(number)
        image = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(image)
        lines = [f"Tabel {number}. " + " ".join(rng.sample(_WORDS, 5)).title()]
        lines += [" ".join(rng.choice(_WORDS) for _ in range(9)) for _ in range(12)]
        lines += [
            f"{rng.choice(_WORDS).title():<14} " + "  ".join(str(rng.randint(100, 99999)) for _ in range(4))
            for _ in range(14)
        ]
        for row, line in enumerate(lines):
            draw.text((int(dpi * 0.8), int(dpi * (0.9 + row * 0.33))), line, fill=0, font=font)
        png = io.BytesIO()
        image.save(png, format="PNG")
        png.seek(0)
        pdf.drawImage(ImageReader(png), 0, 0, width=A4[0], height=A4[1])
        pdf.showPage()
    pdf.save()
    return path


def _jpeg_scans(flate: Path, dpi: int) -> Path:
    """Return the pages of a Flate scan each stored again as one greyscale JPEG, cached beside it."""
    import io

    import pikepdf

    path = flate.with_name(flate.stem + "-jpeg.pdf")
    if path.exists():
        return path
    with pikepdf.open(flate) as source, pikepdf.new() as pdf:
        for page in source.pages:
            picture = pikepdf.PdfImage(next(iter(page.images.values()))).as_pil_image().convert("L")
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=75, dpi=(dpi, dpi))
            width, height = (float(v) for v in page.mediabox[2:])
            image = pikepdf.Stream(pdf, buffer.getvalue())
            image.Type, image.Subtype, image.Filter = (
                pikepdf.Name.XObject,
                pikepdf.Name.Image,
                pikepdf.Name.DCTDecode,
            )
            image.Width, image.Height = picture.size
            image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceGray, 8
            added = pdf.add_blank_page(page_size=(width, height))
            added.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
            added.Contents = pdf.make_stream(f"q {width:g} 0 0 {height:g} 0 0 cm /Im0 Do Q".encode())
        pdf.docinfo.Title = str(source.docinfo.get("/Title", "")) + " (JPEG)"
        pdf.save(path)
    return path


def median_time(action: Callable[[], object], repeats: int) -> float:
    """Return the median wall-clock time of `repeats` runs of `action`."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
