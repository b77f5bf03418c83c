"""The demo catalogue: offices and sample publications, taken in like a librarian's uploads."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from catalog_data import DemoPublication, HoldingRecord, OfficeRecord, load_subjects
from library.catalogue.holdings import HoldingDetails, clean_holding, new_holding
from library.catalogue.offices import sync_offices
from library.collection.barcodes import BarcodeNumbering
from library.collection.items import keep_items_in_step
from library.errors import InvalidInput
from library.i18n import N_
from library.intake.ingest_job import IngestWorker, run_ingest
from library.intake.submit import AlreadyIngested, check_submit
from library.job_queue import NoQueue, index_with_transaction
from library.models import IngestChannel, IngestJob, IngestStatus, Office, Publication
from library.permissions import SYSTEM
from library.subjects.vocabulary import load_missing_subjects


@dataclass(frozen=True)
class DemoReport:
    """What a demo load did."""

    offices: int
    created: int
    skipped: int


Progress = Callable[[int, int, str], None]


class DemoNotLoaded(InvalidInput):
    """A demo publication could not be taken in; loading again goes on from it."""


def load_demo(
    worker: IngestWorker,
    offices: Iterable[OfficeRecord],
    publications: Sequence[DemoPublication],
    render: Callable[[DemoPublication], bytes],
    progress: Progress | None = None,
) -> DemoReport:
    """Load the offices and every demo publication not loaded yet; safe to run again.

    Each PDF goes through the front door: submitted with its record as the metadata draft,
    its ingest job run here (page texts, OCR of the scans, access copy, cover), published.
    The publication then gets what no upload carries (its key, scheduled release and
    holdings) and is indexed: in that transaction on PostgreSQL's index, else queued on
    `worker.queue`. A load that stopped half-way goes on from where it stopped: the same PDF
    is the same job.
    """
    with worker.uow() as uow:
        office_count = sync_offices(uow, offices)
        load_missing_subjects(uow, load_subjects())  # the demo's subjects map to controlled ones
        uow.commit()
        office_codes = set(uow.session.scalars(select(Office.code)))
        existing = set(uow.session.scalars(select(Publication.key)))
    # The jobs run here, one after the other: nothing is left for another worker to do.
    here = dataclasses.replace(worker, queue=NoQueue())
    created = skipped = 0
    for done, record in enumerate(publications, start=1):
        if progress:
            progress(done, len(publications), record.title)
        if record.key in existing:
            skipped += 1
            continue
        if record.office not in office_codes:
            raise InvalidInput(
                N_("The demo publication %(key)s names an unknown office %(office)s."),
                key=record.key,
                office=record.office,
            )
        publication_id = _take_in(here, record, render(record))
        _complete(worker, record, publication_id)
        existing.add(record.key)
        created += 1
    return DemoReport(offices=office_count, created=created, skipped=skipped)


def demo_draft(record: DemoPublication) -> dict[str, str]:
    """Return the metadata draft of a demo record: what a librarian would type for it."""
    return {
        "title": record.title,
        "alternative_title": record.alternative_title,
        "abstract": record.abstract,
        "subject": record.subject,
        "publication_type": record.publication_type,
        "language": record.language,
        "reference_period": record.reference_period,
        "katalog_bps": record.katalog_bps,
        "nomor_publikasi": record.nomor_publikasi,
        "issn": record.issn,
        "isbn": record.isbn,
        "actual_release": record.actual_release.isoformat() if record.actual_release else "",
        "embargo_until": record.embargo_until.isoformat() if record.embargo_until else "",
        "access_level": record.access_level,
        "office": record.office,
    }


def demo_holding(record: HoldingRecord) -> HoldingDetails:
    """Return a demo record's printed holding as a librarian would type it."""
    return HoldingDetails(
        call_number=record.call_number,
        location=record.location,
        copies=record.copies,
        reading_room_only=record.reading_room_only,
        note=record.note,
    )


def _take_in(worker: IngestWorker, record: DemoPublication, pdf: bytes) -> int:
    """Submit a demo PDF and run its ingest job; return the publication it made."""
    with tempfile.TemporaryDirectory(prefix="pustaka-demo-") as tmp:
        source = Path(tmp) / f"{record.key}.pdf"
        source.write_bytes(pdf)
        try:
            with worker.uow() as uow:
                submission = check_submit(
                    uow,
                    worker.store,
                    worker.queue,
                    SYSTEM,
                    source,
                    channel=IngestChannel.DEMO,
                    limits=worker.limits,
                    draft=demo_draft(record),
                    now=worker.now(),
                )
                uow.commit()
        except AlreadyIngested as exc:
            if exc.publication_id is not None:
                return exc.publication_id  # published by a load that stopped before completing it
            raise _still_running(record, None) from None
    run_ingest(worker, submission.job_id)
    with worker.uow() as uow:
        job = uow.session.get(IngestJob, submission.job_id)
        assert job is not None
        if job.status == IngestStatus.READY.value and job.publication_id is not None:
            return job.publication_id
        if job.status == IngestStatus.FAILED.value:
            raise DemoNotLoaded(
                N_("The demo publication %(key)s could not be taken in (ingest job %(job)s): %(detail)s"),
                key=record.key,
                job=job.id,
                detail=job.error_params.get("detail", job.error_code),
            )
        raise _still_running(record, job.id)


def _still_running(record: DemoPublication, job_id: int | None) -> DemoNotLoaded:
    """Return the error for a demo PDF whose ingest another worker holds."""
    return DemoNotLoaded(
        N_(
            "The demo publication %(key)s is being taken in by another worker (ingest job %(job)s); "
            "load the demo again in a few minutes."
        ),
        key=record.key,
        job=job_id or "-",
    )


def _complete(worker: IngestWorker, record: DemoPublication, publication_id: int) -> None:
    """Give a published demo publication its key, scheduled release and holdings; index it."""
    with worker.uow() as uow:
        publication = uow.session.get(Publication, publication_id)
        assert publication is not None
        publication.key = record.key
        publication.scheduled_release = record.scheduled_release
        if not publication.holdings:
            publication.holdings.extend(new_holding(clean_holding(demo_holding(h))) for h in record.holdings)
            uow.session.flush()
            for holding in publication.holdings:
                keep_items_in_step(uow, SYSTEM, holding, BarcodeNumbering(), now=worker.now())
        index_with_transaction(uow, worker.queue, publication_id)
        uow.commit()
