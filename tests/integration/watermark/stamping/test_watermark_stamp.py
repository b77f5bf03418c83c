"""A stamped publication: the mark on every page, in each page's own content, file intact."""

from __future__ import annotations

import gc
import io
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Name

from tests.integration.watermark.conftest import MARK, SECRET, page_texts, run
from tests.integration.watermark.ink_pages import one_page
from tests.integration.watermark.watermark_samples import BORN_DIGITAL_PAGES
from watermark import StampResult, stamp_pdf, stamp_pdf_bytes
from watermark.marks.metadata import DOCINFO_KEY, ID_PREFIX, XMP_NAMESPACE, _update_record

Stamped = tuple[Path, StampResult]


def test_pdftotext_shows_the_recipient_and_page_number_on_every_page(stamped: Stamped) -> None:
    path, result = stamped
    texts = page_texts(path)
    assert len(texts) == result.page_count == len(BORN_DIGITAL_PAGES)
    for number, text in enumerate(texts, start=1):
        flat = " ".join(text.split())
        assert "Diberikan kepada Ni Luh Putu Ayu Wulandari (a***@g***.com)" in flat
        assert f"ID Pengiriman 7K3M9QPXW2RM · Halaman {number}/9" in flat
        assert "tanpa izin tertulis dari Badan Pusat Statistik" in flat


def test_each_pages_token_sits_in_that_pages_own_last_content_stream(
    stamped: Stamped, tmp_path: Path
) -> None:
    path, _ = stamped
    texts = page_texts(path)
    for number, text in enumerate(texts, start=1):
        assert f"PSTK-7K3M9QPXW2RM-{number}" in text
    with pikepdf.open(path) as pdf:
        last_streams = set()
        for page in pdf.pages:
            contents = page.obj.Contents
            last_streams.add(contents[len(contents) - 1].objgen)
            page.obj.Contents = pikepdf.Array(list(contents)[:-1])
        # One stream per page: no shared object whose blanking removes every stamp.
        assert len(last_streams) == len(pdf.pages)
        pdf.save(tmp_path / "without-last-streams.pdf")
    bare = "".join(page_texts(tmp_path / "without-last-streams.pdf"))
    assert "PSTK" not in bare and "Diberikan" not in bare and "Tabel 1" in bare


def test_the_original_content_is_wrapped_in_q_and_closed_before_the_stamp(stamped: Stamped) -> None:
    path, _ = stamped
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            contents = page.obj.Contents
            assert contents[0].read_bytes() == b"q\n"
            assert contents[len(contents) - 1].read_bytes().startswith(b"\nQ\nq ")


def test_no_annotation_is_added(born_digital: Path, stamped: Stamped) -> None:
    def annotations(path: Path) -> list[int]:
        with pikepdf.open(path) as pdf:
            return [len(page.obj.get(Name.Annots, [])) for page in pdf.pages]

    assert annotations(stamped[0]) == annotations(born_digital)


def test_the_file_is_rewritten_whole_not_updated_incrementally(born_digital: Path, stamped: Stamped) -> None:
    original, output = born_digital.read_bytes(), stamped[0].read_bytes()
    assert not output.startswith(original[:-64])
    assert output.count(b"%%EOF") == 1
    assert output.count(b"startxref") == 1


def test_qpdf_check_finds_nothing_wrong(stamped: Stamped, stamped_scan: Stamped) -> None:
    for path, _ in (stamped, stamped_scan):
        result = run("qpdf", "--check", path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors" in result.stdout


def test_outline_labels_links_notes_form_and_info_are_kept(stamped: Stamped) -> None:
    with pikepdf.open(stamped[0]) as pdf:
        with pdf.open_outline() as outline:
            assert [item.title for item in outline.root][:2] == ["Tabel 1. Penduduk", "Tabel 2. Lanskap"]
        assert [page.label for page in pdf.pages][:4] == ["i", "ii", "T-1", "T-2"]
        subtypes = {str(a.Subtype) for a in pdf.pages[0].obj.Annots}
        assert {"/Link", "/Text", "/Widget"} <= subtypes
        assert [str(f.T) for f in pdf.Root.AcroForm.Fields] == ["catatan"]
        assert str(pdf.docinfo.Title) == "Kota Metro Dalam Angka 2025"
        assert str(pdf.docinfo.Author) == "BPS Kota Metro"


def test_the_delivery_id_is_in_xmp_docinfo_and_document_id(stamped: Stamped) -> None:
    with pikepdf.open(stamped[0]) as pdf:
        assert b"<pustaka:DeliveryId" in pdf.Root.Metadata.read_bytes()
        with pdf.open_metadata() as meta:
            assert meta["xmpRights:Marked"] == "True"
        assert str(pdf.docinfo[DOCINFO_KEY]) == MARK.delivery_id
        assert bytes(pdf.trailer.ID[0]) == ID_PREFIX + MARK.delivery_id.encode()


@pytest.mark.parametrize("publisher_record", [False, True], ids=["no-record", "publisher-record"])
def test_the_xmp_record_is_written_whole_or_added_to_the_publishers(
    publisher_record: bool, tmp_path: Path
) -> None:

    source = tmp_path / "source.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        if publisher_record:
            with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
                meta["dc:creator"] = ["Subdirektorat Publikasi"]
                meta["pdf:PDFVersion"] = "1.3"
        pdf.save(source)
    mark = MARK._replace(title='Statistik <Daerah> & "Kota" Metro')
    stamp_pdf(source, tmp_path / "copy.pdf", mark, SECRET)
    with pikepdf.open(tmp_path / "copy.pdf") as pdf:
        record = pdf.Root.Metadata.read_bytes()
        with pdf.open_metadata() as meta:  # parsed by lxml: well formed
            assert meta[f"{{{XMP_NAMESPACE}}}DeliveryId"] == MARK.delivery_id
            assert meta["xmpRights:Marked"] == "True"
            assert meta["dc:title"] == 'Statistik <Daerah> & "Kota" Metro'
            assert meta.get("dc:creator") == (["Subdirektorat Publikasi"] if publisher_record else None)
            # a record stating the file's PDF version keeps it true; the stamp's own states none
            assert meta.get("pdf:PDFVersion") == (pdf.pdf_version if publisher_record else None)
    if not publisher_record:  # written without lxml, byte for byte what pikepdf writes
        with pikepdf.new() as pdf:
            _update_record(pdf, mark)
            assert record == pdf.Root.Metadata.read_bytes()


def test_the_font_is_embedded(stamped: Stamped) -> None:
    result = run("pdffonts", stamped[0])
    ours = [line for line in result.stdout.splitlines() if "DejaVuSansCondensed" in line]
    assert ours and all(" yes " in line for line in ours)


def test_the_result_reports_the_output_hash_for_the_ledger(stamped: Stamped) -> None:
    import hashlib

    path, result = stamped
    assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.size == path.stat().st_size
    assert result.verify_url.startswith(MARK.verify_base_url + "/7K3M9QPXW2RM/")
    assert not result.repaired


def test_a_non_latin_name_is_embedded_with_a_fallback_font_and_extracts_exactly(
    tmp_path: Path, born_digital: Path
) -> None:

    mark = MARK._replace(recipient_name="王小明 Ðorđe Ñúñez")
    data, result = stamp_pdf_bytes(born_digital.read_bytes(), mark, SECRET)
    (tmp_path / "cjk.pdf").write_bytes(data)
    assert "王小明 Ðorđe Ñúñez" in page_texts(tmp_path / "cjk.pdf")[0]
    with pikepdf.open(tmp_path / "cjk.pdf") as pdf:
        fonts = pdf.pages[0].obj.Resources.Font
        names = {str(f.BaseFont) for f in fonts.values() if "/FontDescriptor" in f}
    assert any("DejaVuSansCondensed" in n for n in names)
    assert any("DejaVuSansCondensed" not in n for n in names)  # a second face for 王小明
    assert result.page_count == 9


def test_stamping_leaves_no_temporary_file_and_refuses_a_missing_folder(
    tmp_path: Path, born_digital: Path
) -> None:
    stamp_pdf(born_digital, tmp_path / "out.pdf", MARK, SECRET)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]
    with pytest.raises(Exception, match="The target folder does not exist"):
        stamp_pdf(born_digital, tmp_path / "no" / "out.pdf", MARK, SECRET)


def _text_pages(count: int) -> bytes:
    with pikepdf.new() as pdf:
        for line in range(count):
            with pikepdf.new() as one:
                one_page(one, b"BT /F1 11 Tf 72 %d Td (Statistik, baris %d) Tj ET" % (700 - line, line))
                pdf.pages.append(one.pages[0])
        buffer = io.BytesIO()
        pdf.save(buffer)
    return buffer.getvalue()


def test_a_stamps_pages_leave_nothing_for_the_cyclic_collector() -> None:
    # `python -m watermark` runs the collector every 100,000 objects, not every 2,000: a stamp's
    # pages must be freed by reference counting alone, or a long file's copy would grow.
    short, long = _text_pages(2), _text_pages(80)
    stamp_pdf_bytes(short, MARK, SECRET)  # what a first stamp keeps (its caches) is kept, not garbage
    gc.collect()
    gc.disable()
    try:
        left = []
        for source in (short, long):
            stamp_pdf_bytes(source, MARK, SECRET)
            left.append(gc.collect())
    finally:
        gc.enable()
    assert left[1] - left[0] < 40, left  # none a page (a stray cycle of the test run's own aside)
