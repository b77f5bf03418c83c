"""A copy of some pages: exactly those pages, in order, each stamped and traceable, written once."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from tests.integration.watermark import watermark_samples as samples
from tests.integration.watermark.conftest import MARK, SECRET, page_texts, run
from watermark import WatermarkError, stamp_pdf, stamp_pdf_bytes
from watermark.pictures.image import page_sizes
from watermark.trace.reading import read_marks

TITLES = ("Tabel 1. Penduduk", "Tabel 2. Lanskap", "Tabel 6. Warisan", "Pindaian", "Tabel 9. Q")


def titles_on(text: str) -> list[str]:
    return [title for title in TITLES if title in text]


def test_a_page_range_copy_holds_the_chosen_pages_in_the_order_asked_each_stamped(
    born_digital: Path, tmp_path: Path
) -> None:
    # Page 6 inherits its resources and MediaBox, page 2 is turned, page 9 leaves a q open.
    result = stamp_pdf(born_digital, tmp_path / "part.pdf", MARK, SECRET, pages=(6, 2, 9))
    texts = page_texts(tmp_path / "part.pdf")
    assert result.page_count == len(texts) == 3
    assert [titles_on(text) for text in texts] == [["Tabel 6. Warisan"], ["Tabel 2. Lanskap"], ["Tabel 9. Q"]]
    whole = len(page_sizes(born_digital))
    for number, text in zip((6, 2, 9), texts, strict=True):  # each named as the publication numbers it
        flat = " ".join(text.split())
        assert "Diberikan kepada Ni Luh Putu Ayu Wulandari" in flat
        assert f"ID Pengiriman {MARK.delivery_id} · Halaman {number}/{whole}" in flat
        assert f"PSTK-{MARK.delivery_id}-{number}" in flat
    sizes = page_sizes(born_digital)
    assert page_sizes(tmp_path / "part.pdf") == [sizes[5], sizes[1], sizes[8]]
    check = run("qpdf", "--check", tmp_path / "part.pdf")
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize(("page", "title"), [(1, "Tabel 1. Penduduk"), (9, "Tabel 9. Q")])
def test_a_copy_of_one_page_first_or_last_is_that_page_stamped(
    born_digital: Path, tmp_path: Path, page: int, title: str
) -> None:
    data, result = stamp_pdf_bytes(born_digital, MARK, SECRET, pages=(page,))
    (tmp_path / "one.pdf").write_bytes(data)
    [text] = page_texts(tmp_path / "one.pdf")
    assert result.page_count == 1 and titles_on(text) == [title]
    whole = len(page_sizes(born_digital))
    assert f"ID Pengiriman {MARK.delivery_id} · Halaman {page}/{whole}" in " ".join(text.split())


def test_a_page_range_copy_carries_every_kind_of_mark(born_digital: Path, tmp_path: Path) -> None:
    stamp_pdf(born_digital, tmp_path / "part.pdf", MARK, SECRET, pages=(2, 3))
    found = read_marks(tmp_path / "part.pdf", secret=SECRET, qr="always", ocr=False)
    assert found.delivery_ids == (MARK.delivery_id,)
    assert {"xmp", "docinfo", "document_id", "hidden_text", "visible_text", "qr"} <= found.kinds()
    assert {e.page for e in found.evidence if e.kind == "qr"} == {1, 2}
    assert all(e.signature_valid for e in found.evidence if e.kind == "qr")


def test_the_chosen_pages_are_stamped_and_written_in_one_save(
    born_digital: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saves: list[object] = []
    real_save = pikepdf.Pdf.save

    def counting_save(self: pikepdf.Pdf, *args: object, **kwargs: object) -> None:
        saves.append(args[0] if args else kwargs.get("filename_or_stream"))
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(pikepdf.Pdf, "save", counting_save)
    stamp_pdf_bytes(born_digital, MARK, SECRET, pages=(1, 2, 3))
    assert len(saves) == 1


@pytest.mark.parametrize(("pages", "named"), [((0,), "0"), ((10,), "10"), ((8, 9, 10, 11), "10, 11")])
def test_pages_outside_the_file_are_refused_by_number_and_nothing_is_written(
    born_digital: Path, tmp_path: Path, pages: tuple[int, ...], named: str
) -> None:
    with pytest.raises(WatermarkError) as caught:
        stamp_pdf(born_digital, tmp_path / "part.pdf", MARK, SECRET, pages=pages)
    assert caught.value.code == "bad_pages"
    assert str(caught.value) == f"Page {named} does not exist: this PDF has pages 1 to 9."
    assert list(tmp_path.iterdir()) == []


def test_a_page_range_of_a_restricted_file_keeps_its_restrictions(tmp_path: Path) -> None:
    simple = samples.simple(tmp_path / "simple.pdf")
    restricted = pikepdf.Permissions(extract=False, modify_other=False)
    source = samples.encrypted(simple, tmp_path / "owner.pdf", user="", allow=restricted)
    stamp_pdf(source, tmp_path / "part.pdf", MARK, SECRET, pages=(3,))
    with pikepdf.open(tmp_path / "part.pdf") as pdf:
        assert pdf.is_encrypted and len(pdf.pages) == 1
        assert not pdf.allow.extract and not pdf.allow.modify_other and pdf.allow.print_highres
    assert "Tabel 3. Penduduk" in page_texts(tmp_path / "part.pdf")[0]


def test_a_page_range_of_a_repaired_file_says_it_was_repaired(tmp_path: Path) -> None:
    broken = samples.broken_xref(samples.simple(tmp_path / "simple.pdf"), tmp_path / "broken.pdf")
    data, result = stamp_pdf_bytes(broken, MARK, SECRET, pages=(2,))
    assert result.repaired and result.warnings and result.page_count == 1
    (tmp_path / "part.pdf").write_bytes(data)
    assert "Tabel 2. Penduduk" in page_texts(tmp_path / "part.pdf")[0]
