"""The last step of an ingest: the publication, its files and page texts, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select, update

from ingest.metadata import SuggestedMetadata, suggest_metadata
from ingest.source import SourceFacts
from library.db import changed_rows
from library.errors import InvalidInput
from library.file_versions.history import NewFile, record_version
from library.filestore import StoredFile
from library.i18n import N_
from library.intake.notes import Note, removal_notes, stored_notes
from library.models import (
    AccessLevel,
    FileAsset,
    FileRole,
    IngestChannel,
    IngestJob,
    IngestPage,
    IngestStatus,
    Office,
    PageSource,
    PageText,
    Publication,
)
from library.subjects.vocabulary import apply_subject
from library.uow import UnitOfWork

# Fields a draft or a suggestion may fill on a publication.
FILLABLE = (
    "title",
    "alternative_title",
    "abstract",
    "subject",
    "publication_type",
    "language",
    "reference_period",
    "katalog_bps",
    "nomor_publikasi",
    "issn",
    "isbn",
)
# The draft's entry that carries a replacement's reason (`library.intake.replacing`).
REASON = "version_reason"
FREE_SUBJECT = N_(
    "The subject is not one of the controlled subjects, so it was kept as typed: "
    "choose one of the suggested subjects, or merge it on the subject screen."
)


@dataclass(frozen=True)
class PreparedFiles:
    """What the worker made from a source, stored and ready to be recorded."""

    access: StoredFile | None
    thumbnail: StoredFile
    facts: SourceFacts
    texts: list[str]
    ocr_pages: frozenset[int]
    removed: tuple[str, ...] = ()  # active content taken out of the access copy, one entry a thing


def do_publish(
    uow: UnitOfWork,
    worker_name: str,
    job_id: int,
    prepared: PreparedFiles,
    office_code: str,
    *,
    now: dt.datetime,
) -> int | None:
    """Record the job's publication, files and texts; None if the job is no longer ours."""
    owned = uow.session.execute(
        update(IngestJob)
        .where(
            IngestJob.id == job_id,
            IngestJob.claimed_by == worker_name,
            IngestJob.status == IngestStatus.PROCESSING.value,
        )
        .values(
            status=IngestStatus.READY.value,
            finished_at=now,
            pages_done=prepared.facts.page_count,
            pages_total=prepared.facts.page_count,
        )
        .execution_options(synchronize_session=False)
    )
    if changed_rows(owned) != 1:
        return None
    job = uow.session.get(IngestJob, job_id)
    assert job is not None
    suggested = suggest_metadata(prepared.facts.info, prepared.texts[:8], job.original_name)
    publication = _publication_for(uow, job, suggested, office_code, now)
    free_subject = apply_subject(uow, publication).free  # a controlled subject by name or alias
    _record_files(uow, publication.id, job, prepared)
    record_version(uow, publication.id, _new_file(job, prepared), now=now)
    uow.session.execute(delete(PageText).where(PageText.publication_id == publication.id))
    uow.session.add_all(
        PageText(
            publication_id=publication.id,
            page_number=number,
            text=text,
            source=(PageSource.OCR if number in prepared.ocr_pages else PageSource.LAYER).value,
        )
        for number, text in enumerate(prepared.texts, start=1)
    )
    uow.session.execute(delete(IngestPage).where(IngestPage.job_id == job_id))
    job.publication_id = publication.id
    notes = [*removal_notes(prepared.removed), *([Note(FREE_SUBJECT)] if free_subject else [])]
    job.notes = [*(job.notes or []), *stored_notes(notes)]
    uow.session.flush()
    return publication.id


def _publication_for(
    uow: UnitOfWork, job: IngestJob, suggested: SuggestedMetadata, office_code: str, now: dt.datetime
) -> Publication:
    """Return the record the job fills: its matched publication, or a new one."""
    draft: Mapping[str, str] = job.draft or {}
    values = _values(draft, suggested, job.original_name)
    if job.publication_id is not None:
        publication = uow.session.get(Publication, job.publication_id)
        if publication is not None:
            for name in FILLABLE:
                if draft.get(name):
                    setattr(publication, name, values[name])
                elif not getattr(publication, name) and values.get(name):
                    setattr(publication, name, values[name])
            return publication
    code = draft.get("office") or office_code
    office_id = uow.session.scalar(select(Office.id).where(Office.code == code))
    if office_id is None:
        office_id = uow.session.scalar(select(Office.id).order_by(Office.id))
    if office_id is None:  # a database migrated by hand, without its reference data
        raise InvalidInput(N_("The database has no offices yet: run 'pustaka db upgrade', which loads them."))
    level = draft.get("access_level") or AccessLevel.OPEN.value
    publication = Publication(
        key=f"ingest-{job.source_sha256[:20]}",
        published_at=now if publishes_at_once(job) else None,  # None: a draft
        issuing_office_id=office_id,
        access_level=level,
        embargo_until=_date(draft.get("embargo_until")),
        actual_release=_date(draft.get("actual_release")),
        **{name: values.get(name, "") for name in FILLABLE},
    )
    uow.session.add(publication)
    uow.session.flush()
    return publication


def publishes_at_once(job: IngestJob) -> bool:
    """Tell whether a new publication is public as soon as its file is taken in.

    An upload (the web form, the scanner's hot folder, a bare file on the command line) is a
    draft: its title and details were guessed from the file, and a librarian reviews them beside
    its pages before publishing. A catalogue row that names its title (a CSV batch, or the
    command line given a title) was written by a person, and the demo is a catalogue already; so
    is a batch its librarian published at once (`pustaka ingest --publish`).
    """
    channel = IngestChannel(job.channel)
    if channel is IngestChannel.DEMO or (job.draft or {}).get("publish") == "1":
        return True
    return channel in (IngestChannel.CSV, IngestChannel.CLI) and bool(
        (job.draft or {}).get("title", "").strip()
    )


def _values(draft: Mapping[str, str], suggested: SuggestedMetadata, name: str) -> dict[str, str]:
    """Merge the draft with the suggestions: what the librarian wrote wins."""
    values = {
        "title": suggested.title or Path(name).stem.replace("_", " ").strip() or name,
        "katalog_bps": suggested.katalog_bps,
        "nomor_publikasi": suggested.nomor_publikasi,
        "issn": suggested.issn,
        "isbn": suggested.isbn,
        "language": suggested.language or "id",
        "reference_period": str(suggested.year) if suggested.year else "",
    }
    values.update({k: v for k, v in draft.items() if k in FILLABLE and v})
    values["title"] = values["title"][:500]
    return values


def _record_files(uow: UnitOfWork, publication_id: int, job: IngestJob, prepared: PreparedFiles) -> None:
    """Add the master(s), the access copy and the thumbnail as file assets."""
    facts = prepared.facts
    rows = [
        FileAsset(
            publication_id=publication_id,
            sha256=entry["sha256"],
            role=FileRole.MASTER.value,
            media_type=facts.media_type if len(job.source_files) == 1 else _image_type(entry["name"]),
            size_bytes=int(entry["size"]),
            page_count=facts.page_count if len(job.source_files) == 1 else 1,
            origin=facts.origin,
            original_name=str(entry["name"])[:255],
        )
        for entry in job.source_files
    ]
    masters = {entry["sha256"] for entry in job.source_files}
    if prepared.access is not None and prepared.access.sha256 not in masters:
        rows.append(
            FileAsset(
                publication_id=publication_id,
                sha256=prepared.access.sha256,
                role=FileRole.ACCESS.value,
                media_type="application/pdf",
                size_bytes=prepared.access.size,
                page_count=facts.page_count,
                origin=facts.origin,
                original_name=Path(job.original_name).stem[:240] + ".pdf",
            )
        )
    rows.append(
        FileAsset(
            publication_id=publication_id,
            sha256=prepared.thumbnail.sha256,
            role=FileRole.THUMBNAIL.value,
            media_type="image/png",
            size_bytes=prepared.thumbnail.size,
        )
    )
    existing = set(
        uow.session.execute(
            select(FileAsset.role, FileAsset.sha256).where(FileAsset.publication_id == publication_id)
        ).all()
    )
    uow.session.add_all(row for row in rows if (row.role, row.sha256) not in existing)


def _new_file(job: IngestJob, prepared: PreparedFiles) -> NewFile:
    """Return the version a finished job brings: its master, its copy, and the replacement's reason."""
    master = job.source_files[0]["sha256"] if len(job.source_files) == 1 else job.source_sha256
    return NewFile(
        master_sha256=master,
        copy_sha256=prepared.access.sha256 if prepared.access is not None else master,
        thumbnail_sha256=prepared.thumbnail.sha256,
        page_count=prepared.facts.page_count,
        original_name=job.original_name,
        reason=str((job.draft or {}).get(REASON, "")),
        by_user_id=job.requested_by_id,
    )


def _image_type(name: str) -> str:
    """Return the media type of a page image by its name."""
    suffix = Path(name).suffix.lower()
    return {".png": "image/png", ".tif": "image/tiff", ".tiff": "image/tiff"}.get(suffix, "image/jpeg")


def _date(value: str | None) -> dt.date | None:
    """Parse an ISO date from a draft."""
    return dt.date.fromisoformat(value) if value else None
