"""Hostile and damaged sources: each function writes one into a folder and returns its path.

Other tests import these by name; keep the names. Every file is deterministic and small.
"""

from __future__ import annotations

import random
import re
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path(__file__).resolve().parents[3] / "watermark" / "marks" / "fonts" / "DejaVuSansCondensed.ttf"

# What intake refuses outright: the name of the function that writes the file, the refusal's code.
REFUSED = [
    ("decompression_bomb_png", "too_many_pixels"),
    ("garbage_pdf", "damaged"),
    ("encrypted_pdf", "encrypted"),
    ("zero_pages_pdf", "no_pages"),
    ("text_renamed_pdf", "unsupported_type"),
    ("empty_file", "empty_file"),
    ("huge_page_tree_pdf", "too_many_pages"),
]


def text_pdf(directory: Path, name: str = "publikasi.pdf", pages: int = 6) -> Path:
    """Write a born-digital PDF with a line of Indonesian statistics on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = directory / name
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setTitle("Kota Metro Dalam Angka 2024")
    for number in range(1, pages + 1):
        pdf.setFont("Helvetica", 11)
        for line in range(30):
            pdf.drawString(
                72,
                760 - line * 20,
                f"Halaman {number} baris {line}: jumlah penduduk "
                "menurut kecamatan dan jenis kelamin di Kota Metro",
            )
        pdf.showPage()
    pdf.save()
    return path


def raw_pdf(path: Path, objects: list[bytes]) -> Path:
    """Write a PDF from object bodies (object 1 is the catalog) with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def page_image(width: int = 1240, height: int = 1754) -> Image.Image:
    """Return a greyscale page image (A4 at 150 dpi) with a few lines of text."""
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 36)
    for index, line in enumerate(
        ("BADAN PUSAT STATISTIK", "Jumlah penduduk menurut kecamatan", "Kota Metro 2024")
    ):
        draw.text((120, 150 + index * 70), line, font=font, fill=20)
    return image


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(
    directory: Path, width: int, height: int, dpi: int | None = None, name: str = "peta.png"
) -> Path:
    """Write a tiny PNG whose header claims width × height pixels (and dpi, if given)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0" + b"\xff" * 1000)  # the first row, barely started
    resolution = b""
    if dpi:
        per_metre = round(dpi / 0.0254)
        resolution = _png_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
    path = directory / name
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + resolution
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )
    return path


def decompression_bomb_png(directory: Path) -> Path:
    """Write a PNG whose header claims 100,000 × 100,000 pixels in a few hundred bytes."""
    return png_claiming(directory, 100_000, 100_000, name="halaman-bom.png")


def broken_xref_pdf(directory: Path) -> Path:
    """Write a PDF with valid content whose xref offsets are garbage (MuPDF repairs it)."""
    data = text_pdf(directory, "xref-rusak.pdf").read_bytes()
    start = data.rindex(b"\nxref")
    path = directory / "xref-rusak.pdf"
    path.write_bytes(data[:start] + re.sub(rb"\d{10} 00000 n", b"0000999999 00000 n", data[start:]))
    return path


def garbage_pdf(directory: Path) -> Path:
    """Write "%PDF-1.7" followed by random bytes: beyond repair."""
    path = directory / "acak.pdf"
    path.write_bytes(b"%PDF-1.7\n" + random.Random(7).randbytes(8000))
    return path


def _encrypt(directory: Path, name: str, user_password: str) -> Path:
    import pymupdf

    source = text_pdf(directory, f"plain-{name}")
    path = directory / name
    with pymupdf.open(source) as doc:
        doc.save(
            path,
            encryption=pymupdf.PDF_ENCRYPT_AES_256,
            owner_pw="pemilik-arsip",
            user_pw=user_password,
            permissions=pymupdf.PDF_PERM_PRINT,
        )
    source.unlink()
    return path


def encrypted_pdf(directory: Path) -> Path:
    """Write a PDF that opens only with the user password "rahasia"."""
    return _encrypt(directory, "terkunci.pdf", "rahasia")


def empty_password_pdf(directory: Path) -> Path:
    """Write a PDF encrypted with an owner password only: anyone can open it."""
    return _encrypt(directory, "izin-terbatas.pdf", "")


def zero_pages_pdf(directory: Path) -> Path:
    """Write a well-formed PDF whose page tree is empty."""
    return raw_pdf(
        directory / "tanpa-halaman.pdf",
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"],
    )


def jpeg_renamed_pdf(directory: Path) -> Path:
    """Write a real JPEG page scan under a .pdf name: it is taken in as an image."""
    path = directory / "hasil-pindai.pdf"
    page_image().save(path, "JPEG", quality=80, dpi=(150, 150))
    return path


def text_renamed_pdf(directory: Path) -> Path:
    """Write a plain text file under a .pdf name."""
    path = directory / "laporan.pdf"
    path.write_text("Laporan bulanan PST: 42 pengunjung, 17 permintaan data.\n")
    return path


def empty_file(directory: Path) -> Path:
    """Write a 0-byte file named like a PDF."""
    path = directory / "kosong.pdf"
    path.write_bytes(b"")
    return path


def huge_page_tree_pdf(directory: Path) -> Path:
    """Write a one-page PDF whose page tree claims 10**7 pages."""
    return raw_pdf(
        directory / "sepuluh-juta.pdf",
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 10000000 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ],
    )


def truncated_pdf(directory: Path) -> Path:
    """Write a real 6-page PDF cut in half, as an interrupted download leaves it."""
    data = text_pdf(directory, "terpotong.pdf").read_bytes()
    path = directory / "terpotong.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path
