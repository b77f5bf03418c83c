"""A delivery stamps a copy for one person, lands in the append-only ledger, and can be traced."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from PIL import Image
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DatabaseError

from benchmarks._photo import simulate_photo
from library.errors import InvalidInput, NotFound
from library.ledger.deliveries import DeliveryFailed, Recipient, find_delivery
from library.ledger.file_reading import sha256_of
from library.ledger.tracing import trace_file
from library.models import Delivery, FileAsset
from tests.integration.library import ledger_helpers
from tests.integration.library.ledger_helpers import SECRET, deliver
from tests.integration.library.pdf_helpers import tiny_pdf

publication_id = ledger_helpers.publication_id  # the shared fixture: one demo publication of three pages


def test_a_delivery_is_stamped_stored_and_recorded(uow, store, publication_id) -> None:
    record = deliver(uow, store, publication_id, request_number="REQ-0007", client_address="203.0.113.9")
    assert record.pages == 3
    assert store.exists(record.output_sha256) and record.output_sha256 != record.source_sha256
    text = subprocess.run(
        ["pdftotext", str(store.path_for(record.output_sha256)), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert text.count("Dewi Lestari") >= 3
    with uow:
        assert find_delivery(uow, record.delivery_id).client_address == "203.0.113.9"


def test_each_delivery_gets_its_own_id_and_file(uow, store, publication_id) -> None:
    first = deliver(uow, store, publication_id)
    second = deliver(uow, store, publication_id)
    assert first.delivery_id != second.delivery_id
    assert first.output_sha256 != second.output_sha256


def test_the_ledger_refuses_updates_and_deletes(uow, store, publication_id) -> None:
    record = deliver(uow, store, publication_id)
    for statement in (
        update(Delivery).where(Delivery.delivery_id == record.delivery_id).values(recipient_name="X"),
        delete(Delivery).where(Delivery.delivery_id == record.delivery_id),
    ):
        with uow:
            with pytest.raises(DatabaseError, match="append-only"):
                uow.session.execute(statement)
    with uow:
        assert find_delivery(uow, record.delivery_id).recipient_name == "Dewi Lestari"


def test_a_damaged_master_fails_cleanly_leaving_no_ledger_row(uow, store, publication_id) -> None:
    broken = store.put_bytes(b"%PDF-1.7\nthis is not really a pdf\n")
    with uow:
        uow.session.execute(update(FileAsset).where(FileAsset.role == "master").values(sha256=broken.sha256))
        uow.commit()
    with pytest.raises(DeliveryFailed, match="The stamped copy could not be made"):
        deliver(uow, store, publication_id)
    with uow:
        assert uow.session.scalar(select(Delivery.id)) is None


def test_a_missing_publication_or_name_is_refused(uow, store, publication_id) -> None:
    with pytest.raises(NotFound):
        deliver(uow, store, 999)
    with pytest.raises(InvalidInput, match="A name is required"):
        deliver(uow, store, publication_id, recipient=Recipient("  "))


def test_the_delivery_time_is_kept_as_given(uow, store, publication_id) -> None:
    when = dt.datetime(2026, 3, 5, 7, 5, tzinfo=dt.UTC)
    record = deliver(uow, store, publication_id, when=when)
    assert record.delivered_at == when


def test_tracing_an_unchanged_copy_names_it_exactly(uow, store, publication_id) -> None:
    record = deliver(uow, store, publication_id)
    with uow:
        report = trace_file(uow, store.path_for(record.output_sha256), SECRET)
    assert report.found
    assert report.exact_copy is not None and report.exact_copy.delivery_id == record.delivery_id
    assert report.deliveries[0].record.recipient_name == "Dewi Lestari"


def test_tracing_a_rewritten_copy_still_names_the_delivery(uow, store, publication_id, tmp_path) -> None:
    record = deliver(uow, store, publication_id)
    rewritten = tmp_path / "rewritten.pdf"
    subprocess.run(
        ["qpdf", "--pages", str(store.path_for(record.output_sha256)), "2", "--", "--empty", str(rewritten)],
        check=True,
    )
    with uow:
        report = trace_file(uow, rewritten, SECRET)
    assert report.exact_copy is None
    assert [d.delivery_id for d in report.deliveries if d.record] == [record.delivery_id]


def test_tracing_an_unmarked_file_finds_nothing(uow, tmp_path) -> None:
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(tiny_pdf("tanpa tanda"))
    with uow:
        report = trace_file(uow, plain, SECRET)
    assert not report.found and report.deliveries == ()


def page_texts(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def test_a_page_range_delivers_exactly_those_pages_in_order_stamped_and_traceable(
    uow, store, publication_id
) -> None:
    record = deliver(uow, store, publication_id, pages=(2, 3))
    path = store.path_for(record.output_sha256)
    texts = page_texts(path)
    assert record.pages == len(texts) == 2
    for text, source_page in zip(texts, (2, 3), strict=True):  # named as the publication numbers them
        assert f"halaman {source_page} - contoh isi" in text
        assert "Dewi Lestari" in text and f"Halaman {source_page}/3" in text
    assert sha256_of(path) == record.output_sha256
    with uow:
        report = trace_file(uow, path, SECRET)
    assert report.exact_copy is not None and report.exact_copy.delivery_id == record.delivery_id
    [traced] = report.deliveries
    assert {"xmp", "docinfo", "document_id", "hidden_text"} <= set(traced.evidence)
    assert traced.pages == (1, 2)


@pytest.mark.parametrize("page", [1, 3])
def test_one_page_first_or_last_is_delivered_alone(uow, store, publication_id, page: int) -> None:
    record = deliver(uow, store, publication_id, pages=(page,))
    [text] = page_texts(store.path_for(record.output_sha256))
    assert record.pages == 1
    assert f"halaman {page} - contoh isi" in text and f"Halaman {page}/3" in text


def test_pages_beyond_the_file_fail_clearly_and_deliver_nothing(uow, store, publication_id) -> None:
    stored_before = set(store.digests())
    with pytest.raises(DeliveryFailed, match="Page 4 does not exist: this PDF has pages 1 to 3"):
        deliver(uow, store, publication_id, pages=(3, 4))
    with uow:
        assert uow.session.scalar(select(Delivery.id)) is None
    assert set(store.digests()) == stored_before
    assert not list((store.root / "tmp").glob("*"))


# The pictures' tracing is the same on either database (its lookups run on both in the tests
# around it): SQLite alone.
@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_tracing_a_page_pooled_from_two_copies_names_one_of_them_and_nobody_else(
    uow, store, publication_id, tmp_path
) -> None:
    records = [
        deliver(uow, store, publication_id, recipient=Recipient(name, f"{name.lower()}@example.id"))
        for name in ("Dewi", "Bayu", "Sari", "Tono")
    ]

    def picture(record: object) -> np.ndarray:
        with pymupdf.open(store.path_for(record.output_sha256)) as document:  # type: ignore[attr-defined]
            pixmap = document[0].get_pixmap(dpi=150, colorspace=pymupdf.csGRAY, alpha=False)
        return np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.width)

    pooled = (picture(records[0]).astype(np.uint16) + picture(records[1])) // 2
    suspect = tmp_path / "pooled.png"
    Image.fromarray(pooled.astype(np.uint8)).save(suspect)
    with uow:
        report = trace_file(uow, suspect, SECRET)
    named = {d.delivery_id for d in report.deliveries if "fingerprint" in d.evidence}
    assert named and named <= {records[0].delivery_id, records[1].delivery_id}  # type: ignore[attr-defined]
    assert all(d.record is not None for d in report.deliveries if "fingerprint" in d.evidence)


def test_tracing_a_phone_photo_of_a_printed_quarter_page_names_its_delivery_by_the_tiled_code(
    uow, store, publication_id, tmp_path
) -> None:
    mine, other = (
        deliver(uow, store, publication_id, recipient=Recipient(name, f"{name.lower()}@example.id"))
        for name in ("Dewi", "Bayu")
    )
    with pymupdf.open(store.path_for(mine.output_sha256)) as document:
        pixmap = document[1].get_pixmap(dpi=150, alpha=False)
    page = Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)
    # The middle of the page: no footer, no QR, no diagonal id whole.
    middle = page.crop((page.width // 4, page.height // 4, 3 * page.width // 4, 3 * page.height // 4))
    suspect = tmp_path / "foto.jpg"
    simulate_photo(middle, random.Random(4)).save(suspect)
    with uow:
        report = trace_file(uow, suspect, SECRET)
    by_code = [d for d in report.deliveries if "print_code" in d.evidence]
    assert [d.record.delivery_id for d in by_code if d.record] == [mine.delivery_id]
    assert other.delivery_id not in {d.delivery_id for d in report.deliveries}
