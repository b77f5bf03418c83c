"""MARC21 in and out: the catalogue exported and read back, and records other systems wrote taken in."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from library.catalogue.marc.export import MarcFormat
from library.catalogue.marc.files import MarcFileRefused, read_marc
from library.catalogue.marc.planning import Action
from library.catalogue.metadata_rules import fields_of
from library.models import Holding, Item, Office, Publication, PublicationChange, Role, User
from library.permissions import SYSTEM
from library.uow import UnitOfWork
from tests.integration.library.accounts_helpers import stored_person
from tests.integration.library.marc_helpers import (
    LIMIT,
    exported,
    fixture_bytes,
    run_import,
    store_full_publication,
    store_offices,
)


@pytest.fixture
def librarian(uow: UnitOfWork) -> User:
    store_offices(uow)
    return stored_person(uow, "pustakawan@bps.go.id", [Role.LIBRARIAN], name="Sri Pustakawati")


def publication_count(uow: UnitOfWork) -> int:
    with uow:
        return uow.session.scalar(select(func.count(Publication.id))) or 0


def stored(uow: UnitOfWork, key: str) -> tuple[dict[str, str], list[tuple[str, str, int, str]]]:
    """Return a publication's fields and holdings as text, by its key."""
    with uow:
        p = uow.session.scalars(select(Publication).where(Publication.key == key)).one()
        holdings = sorted((h.call_number, h.location, h.copies, h.note) for h in p.holdings)
        return fields_of(p).as_dict(), holdings


@pytest.mark.parametrize("marc_format", list(MarcFormat))
def test_a_publication_exported_and_imported_into_an_empty_catalogue_has_the_same_fields(
    uow, librarian, marc_format
) -> None:
    pid = store_full_publication(uow)
    before = stored(uow, "statistik-daerah-kota-metro-2024")
    data = exported(uow, librarian, marc_format)
    with uow:
        uow.session.delete(uow.session.get(Publication, pid))
        uow.commit()
    report = run_import(uow, librarian, data, apply=True)
    assert report.counts["create"] == 1, [str(p.problem) for p in report.plans]
    assert stored(uow, "statistik-daerah-kota-metro-2024") == before


def test_the_catalogue_imported_back_into_itself_is_matched_by_its_key_and_changes_nothing(
    uow, librarian
) -> None:
    store_full_publication(uow)
    report = run_import(uow, librarian, exported(uow, librarian, MarcFormat.MRC), apply=True)
    assert [(p.action, p.matched_by) for p in report.plans] == [(Action.UNCHANGED, "record key")]
    assert publication_count(uow) == 1


def test_a_dry_run_reports_what_would_be_created_and_writes_nothing(uow, librarian) -> None:
    report = run_import(uow, librarian, fixture_bytes("slims_export.xml"), apply=False)
    assert report.counts == {"create": 2, "merge": 0, "unchanged": 0, "refused": 0}
    assert publication_count(uow) == 0
    with uow:
        assert uow.session.scalar(select(func.count(Holding.id))) == 0


def test_slims_records_are_taken_in_public_with_the_bps_numbers_of_their_note_and_the_090_shelf_mark(
    uow, librarian
) -> None:
    run_import(uow, librarian, fixture_bytes("slims_export.xml"), apply=True)
    fields, holdings = stored(uow, "marc-1023")
    assert (fields["title"], fields["katalog_bps"], fields["nomor_publikasi"]) == (
        "Kecamatan Metro Pusat dalam angka 2024",
        "1102001.1872011",
        "18720.2405",
    )
    assert (fields["office"], fields["subject"], fields["actual_release"]) == (
        "1872",
        "Kependudukan",
        "2024-01-01",
    )
    assert holdings == [("315.98 BAD k", "Perpustakaan", 1, "")]
    with uow:
        assert uow.session.scalars(select(Publication.published_at)).all()[0] is not None


def test_an_inlis_record_in_utf8_with_a_blank_leader_09_is_read_as_utf8_with_its_copies_counted(
    uow, librarian
) -> None:
    report = run_import(uow, librarian, fixture_bytes("inlis_export.mrc"), apply=True)
    assert "read as UTF-8" in " ".join(str(n) for n in report.plans[0].notes)
    fields, holdings = stored(uow, "marc-0010-0924000187")
    assert fields["abstract"].endswith("konsumsi – sajian ringkas.")
    assert (fields["language"], fields["alternative_title"]) == (
        "id,en",
        "Welfare statistics of Metro Municipality 2024",
    )
    assert holdings == [("310.598 BAD s", "Ruang baca PST", 2, "")]
    with uow:  # each copy a printed item with its own barcode, on the shelf
        items = uow.session.execute(select(Item.barcode, Item.call_number, Item.status)).all()
    assert [(call, status) for _barcode, call, status in items] == [("310.598 BAD s", "shelf")] * 2
    assert len({barcode for barcode, _call, _status in items}) == 2


def test_a_library_of_congress_record_in_marc8_is_decoded_and_its_jurisdiction_names_the_national_office(
    uow, librarian
) -> None:
    run_import(uow, librarian, fixture_bytes("loc_marc8.mrc"), apply=True)
    fields, _holdings = stored(uow, "marc-2004391223")
    assert (fields["subject"], fields["office"], fields["isbn"]) == ("Démographie", "0000", "9794381233")


def test_a_merge_fills_empty_fields_keeps_differing_ones_and_writes_the_history_under_the_librarian(
    uow, librarian
) -> None:
    with uow:
        metro = uow.session.scalars(select(Office).where(Office.code == "1872")).one()
        uow.session.add(
            Publication(
                key="pdrb",
                title="PDRB Kota Metro 2019-2023",
                issuing_office=metro,
                issn="0126-2912",
                actual_release=dt.date(2023, 6, 1),
            )
        )
        uow.commit()
    report = run_import(uow, librarian, fixture_bytes("slims_export.xml"), apply=True)
    merge = report.plans[1]
    assert (merge.action, merge.matched_by) == (Action.MERGE, "ISSN and year")
    assert {c.field: c.applied for c in merge.changes}["title"] is False
    fields, _holdings = stored(uow, "pdrb")
    assert (fields["title"], fields["subject"]) == ("PDRB Kota Metro 2019-2023", "PDRB Lapangan Usaha")
    with uow:
        history = {(h.field, h.changed_by_name) for h in uow.session.scalars(select(PublicationChange))}
    assert {("subject", "Sri Pustakawati"), ("abstract", "Sri Pustakawati")} <= history
    assert "title" not in {name for name, _who in history}


def test_a_merge_told_to_replace_takes_the_records_values(uow, librarian) -> None:
    store_full_publication(uow)
    data = exported(uow, librarian, MarcFormat.XML).replace(
        b"Statistik Daerah Kota Metro 2024<", b"Statistik Daerah Kota Metro Tahun 2024<"
    )
    run_import(uow, SYSTEM, data, apply=True, replace=True)
    fields, _holdings = stored(uow, "statistik-daerah-kota-metro-2024")
    assert fields["title"] == "Statistik Daerah Kota Metro Tahun 2024"
    with uow:
        assert uow.session.scalars(select(PublicationChange.changed_by_name)).all() == ["Impor MARC"]


def test_a_record_with_a_broken_leader_is_refused_by_its_position_and_the_next_one_is_taken_in(
    uow, librarian
) -> None:
    report = run_import(uow, librarian, fixture_bytes("broken_leader.mrc"), apply=True)
    assert [p.action for p in report.plans] == [Action.REFUSED, Action.CREATE]
    assert "leader is broken" in str(report.plans[0].problem)
    assert publication_count(uow) == 1


def test_a_record_that_says_utf8_but_is_not_is_refused_saying_so(uow, librarian) -> None:
    data = bytearray(fixture_bytes("loc_marc8.mrc"))
    data[9] = ord("a")
    report = run_import(uow, librarian, bytes(data), apply=False)
    assert "not UTF-8" in str(report.plans[0].problem)


def test_a_second_record_of_a_new_publication_in_the_same_file_is_refused(uow, librarian) -> None:
    data = fixture_bytes("inlis_export.mrc")
    report = run_import(uow, librarian, data + data, apply=True)
    assert [p.action for p in report.plans] == [Action.CREATE, Action.REFUSED]
    assert publication_count(uow) == 1


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.7\n" + b"x" * 100, "not a MARC file"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><collection/>', "DTD"),
    ],
)
def test_a_file_that_is_no_marc_is_refused_whole(data, words) -> None:
    with pytest.raises(MarcFileRefused, match=words):
        list(read_marc(io.BytesIO(data), len(data), LIMIT))


def test_a_file_over_the_size_cap_is_refused_before_it_is_read() -> None:
    with pytest.raises(MarcFileRefused, match="at most 0.0 MB"):
        read_marc(io.BytesIO(b""), 10_000_000, 1_000)


def test_broken_marcxml_stops_at_the_break_with_its_line(uow, librarian) -> None:
    data = fixture_bytes("slims_export.xml").replace(
        b"</record>\n  <record>", b"</record>\n  <record><oops>", 1
    )
    report = run_import(uow, librarian, data, apply=False)
    assert report.plans[0].action is Action.CREATE
    assert "line" in str(report.plans[-1].problem)


def test_the_export_reads_the_catalogue_a_page_at_a_time_and_lets_each_page_go(
    uow, librarian, monkeypatch
) -> None:
    from library.catalogue.marc import export as marc_export

    store_full_publication(uow)
    run_import(uow, librarian, fixture_bytes("inlis_export.mrc"), apply=True)
    monkeypatch.setattr(marc_export, "PAGE", 1)
    with uow:
        chunks = marc_export.export_marc(
            uow, librarian, marc_export.Selection(), MarcFormat.MRC, lambda n: f"https://x/{n}"
        )
        held = [len(uow.session.identity_map) for _chunk in chunks]
    assert len(held) == 2  # one chunk a publication, each read after the last was let go
    assert held[1] <= held[0]  # the page's publication, office and holdings only, never the catalogue
