"""The demo catalogue: offices and sample publications loaded on first start."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from catalog_data import DemoPublication, OfficeRecord
from ingest.limits import Limits
from ingest.probe import probe_pdf
from ingest.thumbnail import render_cover
from library.catalogue.offices import sync_offices
from library.errors import InvalidInput
from library.filestore import FileStore
from library.i18n import N_
from library.intake import check_submit
from library.jobs import JobQueue
from library.models import FileAsset, FileRole, Holding, IngestChannel, Office, Publication
from library.permissions import SYSTEM
from library.uow import UnitOfWork


@dataclass(frozen=True)
class DemoReport:
    """What a demo load did."""

    offices: int
    created: int
    skipped: int


Progress = Callable[[int, int, str], None]


def load_demo(
    uow: UnitOfWork,
    store: FileStore,
    offices: Iterable[OfficeRecord],
    publications: Sequence[DemoPublication],
    render: Callable[[DemoPublication], bytes],
    progress: Progress | None = None,
    queue: JobQueue | None = None,
) -> DemoReport:
    """Load the offices and every demo publication not loaded yet; safe to run again.

    With a queue, each new publication's PDF is also submitted to the ingest pipeline, which
    adds its page texts (OCR for the scans), its access copy and its search index entry.
    """
    office_count = sync_offices(uow, offices)
    uow.commit()
    office_ids = dict(uow.session.execute(select(Office.code, Office.id)).all())
    existing = set(uow.session.scalars(select(Publication.key)))
    created = skipped = 0
    for done, record in enumerate(publications, start=1):
        if progress:
            progress(done, len(publications), record.title)
        if record.key in existing:
            skipped += 1
            continue
        if record.office not in office_ids:
            raise InvalidInput(
                N_("The demo publication %(key)s names an unknown office %(office)s."),
                key=record.key,
                office=record.office,
            )
        # Files first, rows after: a crash in between leaves only unreferenced
        # files, which a later load reuses by digest; never a row without its file.
        pdf = render(record)
        facts = probe_pdf(pdf)
        master = store.put_bytes(pdf)
        thumbnail = store.put_bytes(render_cover(pdf))
        publication = _publication_from(record, office_ids[record.office])
        uow.session.add(publication)
        uow.session.flush()
        uow.session.add_all(
            [
                FileAsset(
                    publication_id=publication.id,
                    sha256=master.sha256,
                    role=FileRole.MASTER.value,
                    media_type="application/pdf",
                    size_bytes=master.size,
                    page_count=facts.page_count,
                    origin=facts.origin,
                    original_name=f"{record.key}.pdf",
                ),
                FileAsset(
                    publication_id=publication.id,
                    sha256=thumbnail.sha256,
                    role=FileRole.THUMBNAIL.value,
                    media_type="image/png",
                    size_bytes=thumbnail.size,
                ),
            ]
        )
        uow.commit()  # one publication at a time: an interrupted load resumes here
        if queue is not None:
            check_submit(
                uow,
                store,
                queue,
                SYSTEM,
                store.path_for(master.sha256),
                channel=IngestChannel.CLI,
                limits=Limits(),
                original_name=f"{record.key}.pdf",
                publication_id=publication.id,
            )
            uow.commit()
        existing.add(record.key)
        created += 1
    return DemoReport(offices=office_count, created=created, skipped=skipped)


def _publication_from(record: DemoPublication, office_id: int) -> Publication:
    """Build a publication row from a demo record."""
    publication = Publication(
        key=record.key,
        title=record.title,
        alternative_title=record.alternative_title or "",
        abstract=record.abstract,
        subject=record.subject,
        publication_type=record.publication_type,
        language=record.language,
        reference_period=record.reference_period,
        scheduled_release=record.scheduled_release,
        actual_release=record.actual_release,
        issuing_office_id=office_id,
        katalog_bps=record.katalog_bps,
        nomor_publikasi=record.nomor_publikasi,
        issn=record.issn or "",
        isbn=record.isbn or "",
        access_level=record.access_level,
        embargo_until=record.embargo_until,
    )
    if record.holding is not None:
        publication.holdings = [
            Holding(
                call_number=record.holding.call_number,
                shelf=record.holding.shelf,
                copies=record.holding.copies,
            )
        ]
    return publication
