"""A copy handed out carries no script, launcher, form sender, attachment or media; links stay."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from pathlib import Path

import pikepdf
import pymupdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from tests.integration.library.pdf_helpers import tiny_pdf
from tests.integration.watermark.active_pdfs import (
    TITLE,
    WEB_ADDRESS,
    active_names,
    hostile_pdf,
    link_targets,
    linked_pdf,
)
from watermark import Mark, new_delivery_id, stamp_pdf_bytes
from watermark.pdf.active_content import ActiveContent, clean_copy, remove_active_content

SECRET = b"test-secret-0123456789abcdef0123456789"


def _mark() -> Mark:
    return Mark(
        delivery_id=new_delivery_id(),
        recipient_name="Dewi Lestari",
        recipient_email="dewi@example.id",
        office_name="BPS Kota Metro",
        request_number="REQ-0007",
        delivered_at=dt.datetime(2025, 3, 4, 5, 6, tzinfo=dt.UTC),
    )


def _removed(data: bytes) -> Counter:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return Counter(remove_active_content(pdf))


def _texts(data: bytes) -> list[str]:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [page.get_text() for page in doc]


def test_the_hostile_sample_carries_every_kind_of_active_content_it_claims() -> None:
    # Without this the tests below could pass on a sample that carries nothing.
    assert active_names(hostile_pdf()) >= {"/JS", "/Launch", "/EmbeddedFile", "/RichMedia", "/SubmitForm"}


def test_a_stamped_copy_of_a_hostile_pdf_carries_none_of_it_and_keeps_its_stamp_and_text() -> None:
    mark = _mark()
    data, result = stamp_pdf_bytes(hostile_pdf(), mark, SECRET)
    assert active_names(data) == set()
    assert b"MZ\x90\x00" not in data and b"evil.exe" not in data
    texts = _texts(data)
    assert result.page_count == len(texts) == 2
    for number, text in enumerate(texts, start=1):
        assert f"{TITLE} - halaman {number}" in text
        assert "Dewi Lestari" in text


def test_a_copy_of_some_pages_carries_none_of_their_attachments_or_buttons() -> None:
    data, _ = stamp_pdf_bytes(hostile_pdf(), _mark(), SECRET, pages=[2])
    assert active_names(data) == set()
    assert f"{TITLE} - halaman 2" in _texts(data)[0]


def test_what_is_removed_is_counted_once_per_thing() -> None:
    assert _removed(hostile_pdf()) == {
        # open action, page opened, named script, bookmark, and the one chained after the launcher
        ActiveContent.JAVASCRIPT: 5,
        ActiveContent.EMBEDDED_FILE: 2,  # evil.exe (named twice) and the paper clip's file
        ActiveContent.LAUNCH: 1,
        ActiveContent.MEDIA: 1,
        ActiveContent.FORM_SUBMIT: 1,
        ActiveContent.XFA: 1,
    }


def test_a_benign_pdf_keeps_its_web_link_its_page_link_and_its_opening_view() -> None:
    source = linked_pdf()
    assert _removed(source) == {}
    data, _ = stamp_pdf_bytes(source, _mark(), SECRET)
    assert link_targets(data) == [WEB_ADDRESS, "page 2"]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert isinstance(pdf.Root.get("/OpenAction"), Array)


def _with_link(address: str | bytes) -> bytes:
    with pikepdf.open(io.BytesIO(tiny_pdf("Tautan", 1))) as pdf:
        action = Dictionary(S=Name.URI, URI=String(address))
        link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 700, 200, 720]), A=action)
        pdf.pages[0].obj.Annots = Array([pdf.make_indirect(link)])
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("javascript:alert(1)", ActiveContent.JAVASCRIPT),
        (" JavaScript:alert(1)", ActiveContent.JAVASCRIPT),
        ("java\tscript:alert(1)", ActiveContent.JAVASCRIPT),
        ("file:///C:/Windows/System32/calc.exe", ActiveContent.LAUNCH),
        ("\\\\server\\share\\run.exe", ActiveContent.LAUNCH),
        # A text string after a byte-order mark (UTF-16 or UTF-8), as PDF writers store Unicode.
        (b"\xfe\xff" + "javascript:alert(1)".encode("utf-16-be"), ActiveContent.JAVASCRIPT),
        (b"\xef\xbb\xbf" + b"file:///c:/x.exe", ActiveContent.LAUNCH),
        ("calc.exe", ActiveContent.LAUNCH),  # no scheme: relative to the file's own folder
        ("data:text/html,<script>alert(1)</script>", ActiveContent.LAUNCH),
    ],
)
def test_a_link_to_a_script_or_a_local_file_is_removed(address: str | bytes, kind: ActiveContent) -> None:
    data, _ = stamp_pdf_bytes(_with_link(address), _mark(), SECRET)
    assert link_targets(data) == []
    assert _removed(_with_link(address)) == {kind: 1}


@pytest.mark.parametrize("address", [WEB_ADDRESS, "http://bps.go.id", "mailto:pst1872@bps.go.id"])
def test_a_link_to_the_web_or_to_mail_stays(address: str) -> None:
    data, _ = stamp_pdf_bytes(_with_link(address), _mark(), SECRET)
    assert link_targets(data) == [address]


def test_a_base_address_that_would_make_relative_links_local_goes() -> None:
    with pikepdf.open(io.BytesIO(_with_link("calc.exe"))) as pdf:
        pdf.Root.URI = Dictionary(Base=String("file:///C:/Windows/System32/"))
        out = io.BytesIO()
        pdf.save(out)
    data, _ = stamp_pdf_bytes(out.getvalue(), _mark(), SECRET)
    assert link_targets(data) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/URI" not in pdf.Root


def test_a_harmless_opening_keeps_its_move_and_loses_the_script_chained_after_it() -> None:
    with pikepdf.open(io.BytesIO(tiny_pdf("Buka", 2))) as pdf:
        script = Dictionary(S=Name.JavaScript, JS=String("app.alert(1);"))
        pdf.Root.OpenAction = Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit]), Next=script)
        assert remove_active_content(pdf) == [ActiveContent.JAVASCRIPT]
        assert pdf.Root.OpenAction.S == Name.GoTo and "/Next" not in pdf.Root.OpenAction


def test_a_page_action_of_a_harmless_kind_still_goes_for_it_runs_by_itself() -> None:
    with pikepdf.open(io.BytesIO(tiny_pdf("Halaman", 2))) as pdf:
        pdf.pages[0].obj.AA = Dictionary(O=Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit])))
        assert remove_active_content(pdf) == [ActiveContent.AUTOMATIC_ACTION]
        assert "/AA" not in pdf.pages[0].obj


def test_actions_chained_in_a_loop_are_judged_once(tmp_path: Path) -> None:
    with pikepdf.open(io.BytesIO(tiny_pdf("Putaran", 1))) as pdf:
        first = pdf.make_indirect(Dictionary(S=Name.Named, N=Name.NextPage))
        second = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("1"), Next=first))
        first.Next = second
        pdf.Root.OpenAction = first
        assert remove_active_content(pdf) == [ActiveContent.JAVASCRIPT]
        pdf.save(tmp_path / "out.pdf")
    assert active_names((tmp_path / "out.pdf").read_bytes()) == set()


def test_a_clean_file_is_not_rewritten(tmp_path: Path) -> None:
    source = tmp_path / "bersih.pdf"
    source.write_bytes(linked_pdf())
    assert clean_copy(source, tmp_path / "out.pdf") == []
    assert not (tmp_path / "out.pdf").exists()


def test_a_cleaned_file_is_written_the_same_each_time_and_its_source_is_untouched(tmp_path: Path) -> None:
    source = tmp_path / "induk.pdf"
    source.write_bytes(hostile_pdf())
    before = source.read_bytes()
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert clean_copy(source, first) == clean_copy(source, second) != []
    assert first.read_bytes() == second.read_bytes()
    assert active_names(first.read_bytes()) == set()
    assert source.read_bytes() == before
