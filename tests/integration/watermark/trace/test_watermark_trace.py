"""Tracing: after each way a copy leaks, the marks that survive still name the delivery."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw

from tests.conftest import require_service
from tests.integration.watermark.conftest import MARK, SECRET, run
from watermark import WatermarkError
from watermark.trace.reading import read_marks

Stamped = tuple[Path, object]
DOCUMENT_KINDS = {"xmp", "docinfo", "document_id"}
TEXT_KINDS = {"hidden_text", "visible_text"}


def strip_metadata(source: Path, target: Path) -> Path:
    with pikepdf.open(source) as pdf:
        del pdf.Root.Metadata
        del pdf.trailer.Info
        pdf.save(target)
    return target


def qpdf_rewrite(source: Path, target: Path) -> Path:
    assert run("qpdf", source, target).returncode == 0
    return target


def ghostscript_reprint(source: Path, target: Path) -> Path:
    result = run("gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pdfwrite", f"-sOutputFile={target}", source)
    assert result.returncode == 0, result.stderr
    return target


def extract_text(source: Path, target: Path) -> Path:
    assert run("pdftotext", source, target.with_suffix(".txt")).returncode == 0
    return target.with_suffix(".txt")


def cut_out_page_three(source: Path, target: Path) -> Path:
    assert run("qpdf", "--empty", "--pages", source, "3", "--", target).returncode == 0
    return target


def crop_margins(source: Path, target: Path) -> Path:
    """Cut 15% off every side of every page, footer and QR code with it."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.cropbox)
            dx, dy = 0.15 * (x1 - x0), 0.15 * (y1 - y0)
            page.obj.CropBox = pikepdf.Array([x0 + dx, y0 + dy, x1 - dx, y1 - dy])
        pdf.save(target)
    return qpdf_rewrite(target, target.with_name("cropped-rewritten.pdf"))


TRANSFORMATIONS: dict[str, tuple[Callable[[Path, Path], Path], set[str], set[str]]] = {
    # name: (transformation, kinds that must be found, kinds that must be gone)
    "untouched": (lambda s, t: s, DOCUMENT_KINDS | TEXT_KINDS, set()),
    "metadata stripped": (strip_metadata, {"document_id"} | TEXT_KINDS, {"xmp", "docinfo"}),
    "qpdf rewrite": (qpdf_rewrite, DOCUMENT_KINDS | TEXT_KINDS, set()),
    "ghostscript re-print": (ghostscript_reprint, TEXT_KINDS, set()),
    "text extracted": (extract_text, TEXT_KINDS, DOCUMENT_KINDS | {"qr"}),
    "one page cut out": (cut_out_page_three, TEXT_KINDS, {"xmp", "docinfo"}),
    "margins cropped": (crop_margins, DOCUMENT_KINDS | TEXT_KINDS, set()),
}


@pytest.mark.parametrize("name", TRANSFORMATIONS)
def test_the_trace_names_the_delivery_after_each_transformation(
    name: str, stamped: Stamped, tmp_path: Path
) -> None:
    transform, present, absent = TRANSFORMATIONS[name]
    leaked = transform(stamped[0], tmp_path / "leaked.pdf")
    result = read_marks(leaked, secret=SECRET)
    assert result.delivery_ids == (MARK.delivery_id,)
    assert present <= result.kinds()
    assert not absent & result.kinds()


def test_a_page_cut_out_still_says_which_page_of_the_delivery_it_was(
    stamped: Stamped, tmp_path: Path
) -> None:
    result = read_marks(cut_out_page_three(stamped[0], tmp_path / "cut.pdf"))
    hidden = [e for e in result.evidence if e.kind == "hidden_text"]
    assert [(e.page, e.detail) for e in hidden] == [(1, "page token 3")]


def test_every_page_rasterised_to_jpeg_is_traced_by_its_qr_code(
    stamped: Stamped, stamped_scan: Stamped, tmp_path: Path
) -> None:
    for path, _ in (stamped, stamped_scan):
        run("pdftoppm", "-cropbox", "-r", "150", "-jpeg", path, tmp_path / path.stem)
    pictures = sorted(tmp_path.glob("*.jpg"))
    assert len(pictures) == 9 + 2
    for picture in pictures:
        result = read_marks(picture, secret=SECRET, ocr=False)
        assert result.file_type == "image"
        assert result.delivery_ids == (MARK.delivery_id,), picture.name
        assert [e.signature_valid for e in result.evidence] == [True]


def test_ghostscript_reprint_keeps_a_qr_code_that_decodes(stamped: Stamped, tmp_path: Path) -> None:
    reprint = ghostscript_reprint(stamped[0], tmp_path / "gs.pdf")
    result = read_marks(reprint, qr="always")
    assert {e.page for e in result.evidence if e.kind == "qr"} == set(range(1, 10))


def test_cropped_margins_take_the_qr_code_but_not_the_centre_marks(stamped: Stamped, tmp_path: Path) -> None:
    result = read_marks(crop_margins(stamped[0], tmp_path / "crop.pdf"), qr="always")
    assert "qr" not in result.kinds()
    assert {e.page for e in result.evidence if e.kind == "hidden_text"} == set(range(1, 10))


def test_a_scan_stamped_then_printed_to_pdf_images_is_traced_by_qr(
    stamped_scan: Stamped, tmp_path: Path
) -> None:
    run("pdftoppm", "-r", "150", "-jpeg", stamped_scan[0], tmp_path / "scan")
    pages = [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("scan-*.jpg"))]
    pages[0].save(tmp_path / "rescanned.pdf", save_all=True, append_images=pages[1:], resolution=150)
    result = read_marks(tmp_path / "rescanned.pdf", secret=SECRET)
    assert result.kinds() == {"qr"}
    assert {e.page for e in result.evidence} == {1, 2}


def test_ocr_reads_the_footer_when_the_qr_code_is_gone(stamped: Stamped, tmp_path: Path) -> None:
    from watermark.trace.ocr import tesseract_available

    require_service("tesseract", tesseract_available())
    run("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", stamped[0], tmp_path / "page")
    picture = Image.open(next(tmp_path.glob("page-*.png"))).convert("RGB")
    width, height = picture.size
    ImageDraw.Draw(picture).rectangle((int(width * 0.8), int(height * 0.85), width, height), fill="white")
    picture.save(tmp_path / "no-qr.png")
    result = read_marks(tmp_path / "no-qr.png")
    assert result.delivery_ids == (MARK.delivery_id,)
    # The footer read by OCR, and the page's invisible tiled code beside it.
    assert sorted((e.kind, e.detail.startswith("OCR")) for e in result.evidence) == [
        ("print_code", False),
        ("visible_text", True),
    ]


def test_an_unstamped_file_and_look_alike_ids_give_no_evidence(born_digital: Path, tmp_path: Path) -> None:
    assert read_marks(born_digital, qr="never").evidence == ()
    (tmp_path / "note.txt").write_text("ID Pengiriman 7K3M9QPXW2RT\nPSTK-7K3M9QPXW2RT-1\n")
    assert read_marks(tmp_path / "note.txt").evidence == ()


def test_a_wrong_secret_marks_the_qr_signature_invalid(stamped: Stamped) -> None:
    result = read_marks(stamped[0], secret=b"bukan-rahasianya", qr="always")
    assert {e.signature_valid for e in result.evidence if e.kind == "qr"} == {False}


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WatermarkError) as caught:
        read_marks(tmp_path / "nothing.pdf")
    assert caught.value.code == "not_found"


def test_a_decompression_bomb_picture_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    Image.new("1", (20_000, 20_000)).save(bomb)  # 400 Mpx, a few kB on disk
    with pytest.raises(WatermarkError) as refused:
        read_marks(bomb)
    assert refused.value.code == "too_large"
