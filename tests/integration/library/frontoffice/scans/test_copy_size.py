"""A visitor's scanned pages are delivered light: drawn again at 200 dpi, the master kept as it came."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image, ImageDraw, ImageFont

from library.filestore import FileStore
from library.frontoffice.scans.copies import run_visitor_scan
from library.frontoffice.scans.read_models import librarian_copy
from library.models import VisitorScan
from library.uow import UnitOfWork
from tests.integration.library import scan_helpers as sh
from tests.integration.library import terminal_helpers as fo


def heavy_scan(path: Path, pages: int = 2, dpi: int = 300) -> Path:
    """Write a PDF of grey 300-dpi scanned pages with paper grain, as a desk scanner makes them."""
    rng = np.random.default_rng(7)
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    document = pymupdf.open()
    font = ImageFont.truetype(str(sh.FONT), size=dpi // 6)
    for number in range(1, pages + 1):
        grain = rng.normal(232, 9, (height, width)).clip(0, 255).astype(np.uint8)
        picture = Image.fromarray(grain, "L")
        draw = ImageDraw.Draw(picture)
        for line in range(30):
            draw.text(
                (dpi, dpi + line * dpi // 3), f"Tabel {number}.{line} Penduduk Kota Metro 2023", 20, font
            )
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=92, dpi=(dpi, dpi))
        page = document.new_page(width=595, height=842)
        page.insert_image(page.rect, stream=buffer.getvalue())
    document.save(path)
    return path


def test_a_heavy_scan_is_delivered_at_a_few_hundred_kilobytes_a_page(uow: UnitOfWork, tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    fo.load_offices(uow)
    librarian = sh.librarian(uow)
    _, code, _ = sh.visit(uow)
    master = heavy_scan(tmp_path / "pindaian.pdf")
    taken = sh.submit(uow, store, sh.RecordingQueue(), librarian, master, ticket=code)
    assert run_visitor_scan(sh.scan_worker(uow, store, sh.Sent()), taken.scan_id)
    with uow:
        copy = librarian_copy(uow, librarian, taken.scan_id)
        scan = uow.session.get(VisitorScan, taken.scan_id)
        master_sha = scan.source_files[0]["sha256"]
    delivered = store.path_for(copy.sha256).stat().st_size
    assert master.stat().st_size > 2 * 1_000_000  # megabytes a page as scanned
    assert delivered < 2 * 330_000, delivered  # the stamp adds a little to ~280 KB of picture a page
    assert store.path_for(master_sha).read_bytes() == master.read_bytes()  # the master untouched
    with pymupdf.open(store.path_for(copy.sha256)) as pdf:
        assert pdf.page_count == 2
        assert "Dewi" in pdf[0].get_text()  # still stamped for the visitor
