"""Damaged, encrypted and foreign files: repaired where qpdf can, else refused clearly."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from tests.integration.watermark import watermark_samples as samples
from tests.integration.watermark.conftest import MARK, SECRET, page_texts, run
from watermark import WatermarkError, stamp_pdf
from watermark.marks import layout as layout_module


@pytest.fixture(scope="module")
def simple(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return samples.simple(tmp_path_factory.mktemp("simple") / "simple.pdf")


def test_a_broken_xref_is_repaired_and_the_copy_is_clean(simple: Path, tmp_path: Path) -> None:
    broken = samples.broken_xref(simple, tmp_path / "broken.pdf")
    result = stamp_pdf(broken, tmp_path / "out.pdf", MARK, SECRET)
    assert result.repaired and result.warnings
    assert run("qpdf", "--check", tmp_path / "out.pdf").returncode == 0
    assert len(page_texts(tmp_path / "out.pdf")) == 3


@pytest.mark.parametrize(
    ("spoil", "note"),
    [
        (samples.lost_page_tree, "The page list was rebuilt from 3 page objects."),
        (samples.cut_short, "The page list was rebuilt from 3 page objects."),
        (samples.stale_encryption, "An encryption entry that encrypts nothing was ignored."),
    ],
)
def test_damage_qpdf_refuses_is_repaired_and_the_repair_told(
    spoil, note: str, simple: Path, tmp_path: Path
) -> None:
    damaged = spoil(simple, tmp_path / "damaged.pdf")
    with pytest.raises(pikepdf.PdfError):  # qpdf alone cannot use it: opened, or written and read back
        with pikepdf.open(damaged) as pdf, pikepdf.open(io.BytesIO(_saved(pdf))) as again:
            assert len(again.pages) == 3
    result = stamp_pdf(damaged, tmp_path / "out.pdf", MARK, SECRET)
    assert result.repaired and str(result.warnings[0]) == note
    # No error (2); a warning (3) only for what the cut took from the last page's drawing.
    assert run("qpdf", "--check", tmp_path / "out.pdf").returncode in (0, 3)
    assert all("ID Pengiriman 7K3M9QPXW2RM" in text for text in page_texts(tmp_path / "out.pdf"))


def test_what_qpdf_says_of_a_repaired_file_names_no_python_object(simple: Path, tmp_path: Path) -> None:
    # Blanking the stale entry leaves the broken xref: qpdf rebuilds it on the repaired bytes, in memory.
    damaged = samples.stale_encryption(
        samples.broken_xref(simple, tmp_path / "broken.pdf"), tmp_path / "both.pdf"
    )
    result = stamp_pdf(damaged, tmp_path / "out.pdf", MARK, SECRET)
    assert str(result.warnings[0]) == "An encryption entry that encrypts nothing was ignored."
    assert "PDF: Attempting to reconstruct cross-reference table" in result.warnings
    assert not any("BytesIO" in str(warning) or " at 0x" in str(warning) for warning in result.warnings)


def test_a_copy_that_cannot_be_written_says_where_and_why_and_leaves_nothing(
    simple: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(WatermarkError, match=r"is a folder: name the file") as folder:
        stamp_pdf(simple, tmp_path, MARK, SECRET)
    assert folder.value.code == "not_writable"
    with pytest.raises(WatermarkError, match=r"is a folder, not a file"):
        stamp_pdf(tmp_path, tmp_path / "out.pdf", MARK, SECRET)

    def refused(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("watermark.stamping.copies.os.replace", refused)
    with pytest.raises(WatermarkError) as denied:
        stamp_pdf(simple, tmp_path / "out.pdf", MARK, SECRET)
    assert str(denied.value) == f"The copy cannot be written to {tmp_path}: permission denied"
    assert list(tmp_path.iterdir()) == []  # the copy written aside is removed


def _saved(pdf: pikepdf.Pdf) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda d, _: samples.hopeless(d / "hopeless.pdf"), "damaged"),
        (lambda d, _: (d / "notes.txt").write_text("bukan pdf") and d / "notes.txt", "not_pdf"),
        (lambda d, _: d / "missing.pdf", "not_found"),
        (lambda d, s: samples.encrypted(s, d / "locked.pdf", user="rahasia"), "encrypted"),
    ],
)
def test_unusable_files_are_refused_with_a_clear_message(
    make, code: str, simple: Path, tmp_path: Path
) -> None:
    source = make(tmp_path, simple)
    with pytest.raises(WatermarkError) as caught:
        stamp_pdf(source, tmp_path / "out.pdf", MARK, SECRET)
    assert caught.value.code == code
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "out.pdf").exists()


def test_an_owner_password_file_is_stamped_and_keeps_its_restrictions(simple: Path, tmp_path: Path) -> None:
    restricted = pikepdf.Permissions(extract=False, print_highres=False, modify_other=False)
    source = samples.encrypted(simple, tmp_path / "owner.pdf", user="", allow=restricted)
    stamp_pdf(source, tmp_path / "out.pdf", MARK, SECRET)
    with pikepdf.open(tmp_path / "out.pdf") as pdf:
        assert pdf.is_encrypted
        assert not pdf.allow.extract and not pdf.allow.print_highres and not pdf.allow.modify_other
        assert pdf.allow.print_lowres
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(tmp_path / "out.pdf", password="pemilik")  # the old owner password is gone
    assert "ID Pengiriman 7K3M9QPXW2RM" in page_texts(tmp_path / "out.pdf")[0]


def test_a_copy_that_fails_the_check_is_an_error_and_nothing_is_written(
    simple: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = layout_module.StampLayout.page_content

    def lose_page_two(self, box, page_number, placement=None):  # a stamp that silently skipped a page
        content, token = real(self, box, page_number, placement)
        return (b"\nQ\n" if page_number == 2 else content), token

    monkeypatch.setattr(layout_module.StampLayout, "page_content", lose_page_two)
    with pytest.raises(WatermarkError) as caught:
        stamp_pdf(simple, tmp_path / "out.pdf", MARK, SECRET)
    assert caught.value.code == "verify_failed"
    assert "page 2 has no stamp" in str(caught.value)
    assert list(tmp_path.iterdir()) == []
