"""Helpers of the MARC tests: the fixture files, a catalogue to export, an import run as the desk runs it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from library.catalogue.marc.export import MarcFormat, Selection, export_marc
from library.catalogue.marc.files import read_marc
from library.catalogue.marc.importing import ImportReport, import_records
from library.catalogue.marc.planning import ImportOptions
from library.models import Holding, Office, Publication
from library.permissions import Actor
from library.uow import UnitOfWork, transaction
from tests.integration.library.ingest_fixtures import RecordingQueue

RECORDS = Path(__file__).parent / "marc_records"
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
LIMIT = 5_000_000


def fixture_bytes(name: str) -> bytes:
    """Return one of the files other systems wrote (tests/integration/library/marc_records)."""
    return (RECORDS / name).read_bytes()


def run_import(
    uow: UnitOfWork,
    actor: Actor | None,
    data: bytes,
    *,
    apply: bool,
    replace: bool = False,
    queue: RecordingQueue | None = None,
) -> ImportReport:
    """Import MARC bytes as the desk does: batches that commit, or a dry run that rolls back."""
    options = ImportOptions(default_office="1872", replace=replace)
    records = read_marc(io.BytesIO(data), len(data), LIMIT)

    def open_uow() -> object:
        return transaction(lambda: uow) if apply else uow

    return import_records(
        open_uow,  # type: ignore[arg-type]
        actor,
        queue or RecordingQueue(),
        records,
        options,
        apply=apply,
        now=NOW,
    )


def exported(
    uow: UnitOfWork, actor: Actor | None, marc_format: MarcFormat, selection: Selection | None = None
) -> bytes:
    """Return the catalogue exported in one format."""
    with uow:
        chunks = export_marc(
            uow, actor, selection or Selection(), marc_format, lambda n: f"https://pst.example.id/katalog/{n}"
        )
        return b"".join(chunks)


def store_offices(uow: UnitOfWork) -> None:
    """Store the national office and Kota Metro's."""
    with uow:
        uow.session.add_all([Office(code="0000", name="BPS"), Office(code="1872", name="BPS Kota Metro")])
        uow.commit()


def store_full_publication(uow: UnitOfWork) -> int:
    """Store a publication with every field of the profile and two holdings; return its id."""
    with uow:
        office = uow.session.query(Office).filter_by(code="1872").one()
        publication = Publication(
            key="statistik-daerah-kota-metro-2024",
            title="Statistik Daerah Kota Metro 2024",
            alternative_title="Regional Statistics of Metro Municipality 2024",
            abstract="Ringkasan indikator: penduduk, PDRB, inflasi.\n\nTabel-tabel pokok.",
            subject="Kependudukan",
            publication_type="Statistik Daerah",
            language="id,en",
            reference_period="2023",
            actual_release=dt.date(2024, 9, 27),
            issuing_office=office,
            katalog_bps="1101002.1872",
            nomor_publikasi="18720.2409",
            issn="0126-2912",
            isbn="978-602-438-123-3",
            access_level="embargoed",
            embargo_until=dt.date(2026, 12, 31),
            holdings=[
                Holding(call_number="310.598 MET s 2024", location="Ruang baca PST, rak 3", copies=2),
                Holding(call_number="310.598 MET s 2024", location="Gudang", copies=1, note="Rusak ringan"),
            ],
        )
        uow.session.add(publication)
        uow.commit()
        return publication.id
