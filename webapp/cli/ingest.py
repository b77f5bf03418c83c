"""Taking publications in from files, folders and CSV batches."""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from ingest.errors import IngestError
from ingest.metadata import suggest_metadata
from ingest.source import SourceKind, build_base_pdf, page_texts, sniff
from library.catalogue.indexing import do_index_publications
from library.errors import InvalidInput, PustakaError
from library.intake.access_copies import do_build_access_copies
from library.intake.drafts import DRAFT_FIELDS
from library.intake.jobs import IngestWorker, run_ingest
from library.intake.submit import AlreadyIngested, check_submit, inspect_source
from library.models import IngestChannel, IngestJob, IngestStatus
from library.permissions import SYSTEM
from webapp.cli.context import clear_errors, pass_runtime
from webapp.cli.database import upgrade_database
from webapp.i18n import Lenient
from webapp.runtime import Runtime


@dataclass
class CollectingQueue:
    """A queue for the CLI: it runs jobs itself and indexes at the end, in one writer."""

    publications: set[int] = field(default_factory=set)

    def ingest(self, job_id: int) -> None:
        """Jobs are run by the command itself."""

    def index(self, publication_id: int) -> None:
        """Remember the publication to index at the end."""
        self.publications.add(publication_id)

    def deliver(self, request_id: int) -> None:
        """No softcopy requests here."""

    def alert_desk(self, request_id: int) -> None:
        """Nobody to tell here."""


@dataclass(frozen=True)
class Source:
    """One thing to ingest: a path and the metadata given for it."""

    path: Path
    draft: dict[str, str]


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Metadata rows: a 'file' column (relative to the CSV) and metadata columns.",
)
@click.option("--office", default=None, help="BPS code of the issuing office of new records.")
@click.option("--dry-run", is_flag=True, help="Check the files and show what would be done; change nothing.")
@pass_runtime
def ingest(
    rt: Runtime, paths: tuple[Path, ...], csv_file: Path | None, office: str | None, dry_run: bool
) -> None:
    """Take in publications (PDF, TIFF, JPEG/PNG, or a folder of page images)."""
    with clear_errors():
        sources = [Source(p, {}) for p in _expand(paths)] + (_csv_sources(csv_file) if csv_file else [])
        if not sources:
            raise click.UsageError("Name at least one file or folder, or a --csv file.")
        if office:
            sources = [Source(s.path, {"office": office, **s.draft}) for s in sources]
        upgrade_database(rt)
    if dry_run:
        _dry_run(rt, sources)
        return
    failures = _ingest_all(rt, sources)
    if failures:
        sys.exit(1)


def _ingest_all(rt: Runtime, sources: list[Source]) -> list[str]:
    """Submit and run every source, then index what was made; return the failures."""
    limits = rt.ingest_limits
    queue = CollectingQueue()
    worker = rt.ingest_worker(queue)
    ready, skipped, failures = [], [], []
    for source in sources:
        name = source.path.name
        try:
            with rt.uow() as uow:
                submission = check_submit(
                    uow,
                    rt.store,
                    queue,
                    SYSTEM,
                    source.path,
                    channel=IngestChannel.CLI,
                    limits=limits,
                    draft=source.draft,
                )
                uow.commit()
        except AlreadyIngested as exc:
            skipped.append(f"{name}: {exc}")
            continue
        except PustakaError as exc:
            failures.append(f"{name}: {exc}")
            click.echo(f"FAILED  {name}: {exc}", err=True)
            continue
        status = _run_with_bar(worker, submission.job_id, submission.page_count, name)
        with rt.uow() as uow:
            job = uow.session.get(IngestJob, submission.job_id)
            if status is IngestStatus.READY or (job and job.status == IngestStatus.READY.value):
                ready.append(f"{name}: publication {job.publication_id}, {job.pages_total} pages")
            elif status is None:
                skipped.append(f"{name}: another worker is taking it in (job {submission.job_id})")
            else:
                reason = (job.error_message % Lenient(job.error_params)) if job else "unknown"
                reason = (reason.splitlines() or ["unknown"])[0]  # a database error adds its SQL below
                failures.append(f"{name}: {reason}")
                click.echo(f"FAILED  {name}: {reason}", err=True)
    if queue.publications:
        with rt.uow() as uow:
            do_index_publications(uow, rt.index(), queue.publications, rt.today())
    rt.close()
    _summary(ready, skipped, failures)
    return failures


def _run_with_bar(worker: IngestWorker, job_id: int, pages: int, name: str) -> IngestStatus | None:
    """Run one ingest job, showing its pages done on a progress bar."""
    with click.progressbar(length=max(pages, 1), label=_label(name), file=sys.stderr) as bar:
        last = [0]

        def progress(done: int, total: int) -> None:
            bar.update(done - last[0])
            last[0] = done

        return run_ingest(worker, job_id, progress)


def _label(name: str) -> str:
    """Return a progress-bar label of steady width."""
    return (name[:37] + "...") if len(name) > 40 else name.ljust(40)


def _summary(ready: list[str], skipped: list[str], failures: list[str]) -> None:
    """Print what happened to every source."""
    click.echo(f"\n{len(ready)} ingested, {len(skipped)} skipped, {len(failures)} failed.")
    for title, lines in (("Ingested", ready), ("Skipped", skipped), ("Failed", failures)):
        if lines:
            click.echo(f"{title}:")
            for line in lines:
                click.echo(f"  - {line}")


def _dry_run(rt: Runtime, sources: list[Source]) -> None:
    """Check each source and show what ingest would make of it, storing nothing."""
    import tempfile

    limits = rt.ingest_limits
    bad = 0
    for source in sources:
        name = source.path.name
        try:
            facts = inspect_source(source.path, limits)
            with tempfile.TemporaryDirectory() as tmp:
                base = build_base_pdf(source.path, facts, Path(tmp) / "base.pdf", limits)
                texts = page_texts(base)
        except (PustakaError, IngestError) as exc:
            bad += 1
            click.echo(f"REFUSED {name}: {exc}")
            continue
        suggested = suggest_metadata(facts.info, texts[:8], name)
        click.echo(
            f"OK      {name}: {facts.kind.value}, {facts.page_count} pages "
            f"({len(facts.text_pages)} with text, {len(facts.image_pages)} to OCR), {facts.origin}"
            + (", repaired" if facts.repaired else "")
        )
        shown = {k: v for k, v in vars(suggested).items() if v} | source.draft
        for key, value in shown.items():
            click.echo(f"          {key}: {value}")
    click.echo(f"\nDry run: {len(sources) - bad} would be taken in, {bad} refused. Nothing was changed.")
    if bad:
        sys.exit(1)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    """Return the sources named: files, folders of page images, or the files of other folders."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir() and not _is_image_folder(path):
            out.extend(p for p in sorted(path.iterdir()) if p.is_file() and not p.name.startswith("."))
        else:
            out.append(path)
    return out


def _is_image_folder(path: Path) -> bool:
    """Tell whether a folder is one publication's page images."""
    try:
        return sniff(path) is SourceKind.IMAGES
    except IngestError:
        return False


def _csv_sources(csv_file: Path) -> list[Source]:
    """Read the metadata rows of a CSV batch."""
    with open(csv_file, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or "file" not in rows[0]:
        raise InvalidInput("The CSV file needs a header row with a 'file' column.")
    unknown = set(rows[0]) - {"file", *DRAFT_FIELDS}
    if unknown:
        raise InvalidInput(
            "Unknown CSV column(s): %(cols)s. Use 'file' and %(known)s.",
            cols=", ".join(sorted(unknown)),
            known=", ".join(DRAFT_FIELDS),
        )
    sources = []
    for line, row in enumerate(rows, start=2):
        path = (csv_file.parent / (row.get("file") or "").strip()).resolve()
        if not row.get("file") or not path.exists():
            raise InvalidInput(
                "Line %(line)s of the CSV names a file that does not exist: %(file)s",
                line=line,
                file=row.get("file") or "",
            )
        sources.append(Source(path, {k: v for k, v in row.items() if k != "file" and v}))
    return sources


@click.command("access-copies")
@click.option(
    "--publication", "publication_ids", type=int, multiple=True, help="Only this publication id (repeatable)."
)
@pass_runtime
def access_copies(rt: Runtime, publication_ids: tuple[int, ...]) -> None:
    """Give scans taken in earlier a straight, light access copy to stamp and read from."""
    with clear_errors():
        upgrade_database(rt)
    counts = {"built": 0, "current": 0, "not_a_scan": 0, "failed": 0}
    for result in do_build_access_copies(rt.session_factory, rt.store, list(publication_ids) or None):
        counts[result.outcome] += 1
        if result.outcome == "built":
            click.echo(
                f"BUILT   publication {result.publication_id}: {result.pages} pages, "
                f"{result.bytes_before / 2**20:,.1f} MB -> {result.bytes_after / 2**20:,.1f} MB"
            )
        elif result.outcome == "failed":
            click.echo(f"FAILED  publication {result.publication_id}: {result.detail}", err=True)
    click.echo(
        f"\n{counts['built']} built, {counts['current']} already had one, "
        f"{counts['not_a_scan']} not a picture scan, {counts['failed']} failed."
    )
    if counts["failed"]:
        sys.exit(1)
