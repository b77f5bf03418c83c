"""A synthetic 300-dpi grey scan: A4 pages of text on grey, grainy paper, each turned a little."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image, ImageDraw, ImageFont

FONT = Path(__file__).resolve().parents[3] / "watermark" / "marks" / "fonts" / "DejaVuSansCondensed.ttf"
DPI = 300
SIZE = (2480, 3508)  # A4 at 300 dpi
PAPER = 236
MARKER = "KECAMATAN"
LINE = "Jumlah penduduk menurut jenis kelamin dan kelompok umur di Kota Metro tahun 2023"


@dataclass(frozen=True)
class ScanPage:
    """One page of the synthetic scan: how much it is turned, and where its marker word was printed."""

    skew_degrees: float
    marker_box: tuple[float, float, float, float]  # in points of the upright page


def grey_scan(path: Path, skews: tuple[float, ...], seed: int = 14, lines: int = 40) -> list[ScanPage]:
    """Write a PDF of grey 300-dpi page pictures (stored losslessly, as many scanners do)."""
    rng = np.random.default_rng(seed)
    font = ImageFont.truetype(str(FONT), 46)  # about 11 pt at 300 dpi
    pages = []
    with pymupdf.open() as doc:
        for number, skew in enumerate(skews, start=1):
            image = Image.new("L", SIZE, PAPER)
            draw = ImageDraw.Draw(image)
            for line in range(lines):
                y = 300 + line * 72
                if line == min(12, lines // 2):
                    draw.text((300, y), "Tabel", font=font, fill=25)
                    box = draw.textbbox((500, y), MARKER, font=font)
                    draw.text((500, y), MARKER, font=font, fill=25)
                    draw.text((900, y), f"halaman {number}", font=font, fill=25)
                else:
                    draw.text((300, y), LINE, font=font, fill=25)
            # PIL turns counter-clockwise about the centre, as a page laid crooked on the glass.
            image = image.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=PAPER)
            grain = rng.normal(0, 5, (SIZE[1], SIZE[0]))
            image = Image.fromarray(np.clip(np.asarray(image) + grain, 0, 255).astype(np.uint8))
            png = io.BytesIO()
            image.save(png, "PNG", dpi=(DPI, DPI))
            page = doc.new_page(width=SIZE[0] * 72 / DPI, height=SIZE[1] * 72 / DPI)
            page.insert_image(page.rect, stream=png.getvalue())
            pages.append(ScanPage(skew, tuple(v * 72 / DPI for v in box)))  # type: ignore[arg-type]
        doc.save(path, garbage=3, deflate=True)
    return pages
