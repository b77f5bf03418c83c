"""Taking publications in from files, folders and CSV batches."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli.context import clear_errors, pass_runtime
from cli.database import upgrade_database
from ingest.errors import IngestError
from ingest.metadata import suggest_metadata
from ingest.source import SourceKind, build_base_pdf, page_texts, sniff
from library.catalogue.indexing import do_index_publications
from library.errors import PustakaError
from library.intake.access_copies import do_build_access_copies, do_measure_ink
from library.intake.csv_batch import Batch, BatchRefused, check_batch, read_batch
from library.intake.ingest_job import IngestWorker, run_ingest
from library.intake.notes import Note, read_notes
from library.intake.submit import AlreadyIngested, check_submit, inspect_source
from library.models import IngestChannel, IngestJob, IngestStatus
from library.permissions import SYSTEM
from runtime.message_catalogue import Lenient, indonesian_catalogue
from runtime.root import Runtime

if TYPE_CHECKING:
    from babel.support import NullTranslations


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
    """One thing to ingest: a path, the metadata given for it, and how it came."""

    path: Path
    draft: dict[str, str]
    channel: IngestChannel = IngestChannel.CLI


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Metadata rows: a 'file' column (relative to the CSV) and metadata columns; ',' or ';' between.",
)
@click.option(
    "--allow-outside", is_flag=True, help="Let the CSV name files outside its own folder (a CSV you trust)."
)
@click.option("--office", default=None, help="BPS code of the issuing office of new records.")
@click.option(
    "--publish",
    is_flag=True,
    help="Publish new records at once, with the details read from each file (else they are drafts, "
    "and CSV rows that name a title are published).",
)
@click.option("--dry-run", is_flag=True, help="Check the files and show what would be done; change nothing.")
@pass_runtime
def ingest(
    rt: Runtime,
    paths: tuple[Path, ...],
    csv_file: Path | None,
    allow_outside: bool,
    office: str | None,
    publish: bool,
    dry_run: bool,
) -> None:
    """Take in publications (PDF, TIFF, JPEG/PNG, or a folder of page images)."""
    with clear_errors():
        batch = _read_batch(csv_file, allow_outside) if csv_file else None
        sources = [Source(p, {}) for p in _expand(paths)]
        if not sources and batch is None:
            raise click.UsageError("Name at least one file or folder, or a --csv file.")
        defaults = ({"office": office} if office else {}) | ({"publish": "1"} if publish else {})
        upgrade_database(rt)
        if batch is not None:
            # Every row is checked before the first is taken in: a sheet with a problem starts nothing.
            with _batch_refusal(), rt.uow() as uow:
                files = check_batch(uow, batch, rt.ingest_limits, defaults)
            sources += [Source(f.path, f.draft, IngestChannel.CSV) for f in files]
        sources = [Source(s.path, {**defaults, **s.draft}, s.channel) for s in sources]
    if dry_run:
        _dry_run(rt, sources)
        return
    failures = _ingest_all(rt, sources)
    if failures:
        sys.exit(1)


def _read_batch(csv_file: Path, allow_outside: bool) -> Batch:
    """Read the CSV batch, warning when it was not UTF-8."""
    with _batch_refusal():
        batch = read_batch(csv_file, allow_outside=allow_outside)
    if batch.warning:
        click.secho(f"Warning: {batch.warning}", err=True, fg="yellow")
    return batch


@contextmanager
def _batch_refusal() -> Iterator[None]:
    """Turn a refused batch into one error listing every problem (and how to allow files elsewhere)."""
    try:
        yield
    except BatchRefused as exc:
        outside = any(problem.outside for problem in exc.problems)
        hint = "\nFiles outside the CSV's folder are taken in only with --allow-outside (a CSV you trust)."
        raise click.ClickException(str(exc) + (hint if outside else "")) from None


def _ingest_all(rt: Runtime, sources: list[Source]) -> list[str]:
    """Submit and run every source, then index what was made; return the failures."""
    limits = rt.ingest_limits
    queue = CollectingQueue()
    worker = rt.ingest_worker(queue)
    catalogue = indonesian_catalogue(rt.settings.instance_path / "translations")
    ready, skipped, failures = [], [], []
    for source in sources:
        name = source.path.name
        try:
            with rt.transaction() as uow:  # one per source: those taken in stay, whatever comes next
                submission = check_submit(
                    uow,
                    rt.store,
                    queue,
                    SYSTEM,
                    source.path,
                    channel=source.channel,
                    limits=limits,
                    draft=source.draft,
                    now=rt.now(),
                )
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
            if job is not None and (status is IngestStatus.READY or job.status == IngestStatus.READY.value):
                notes = _note_lines(read_notes(job.notes), catalogue)
                ready.append(f"{name}: publication {job.publication_id}, {job.pages_total} pages{notes}")
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


def _note_lines(notes: tuple[Note, ...], catalogue: NullTranslations) -> str:
    """Return a job's notes as indented lines, each in Indonesian, then in English if it differs."""
    lines = []
    for note in notes:
        if note.plural:
            values = {"num": note.num}
            english = (note.message if note.num == 1 else note.plural) % values
            indonesian = catalogue.ngettext(note.message, note.plural, note.num) % values
        else:
            english, indonesian = note.message, catalogue.gettext(note.message)
        lines += [indonesian] if indonesian == english else [indonesian, f"({english})"]
    return "".join(f"\n      {line}" for line in lines)


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


@click.command("access-copies")
@click.option(
    "--publication", "publication_ids", type=int, multiple=True, help="Only this publication id (repeatable)."
)
@pass_runtime
def access_copies(rt: Runtime, publication_ids: tuple[int, ...]) -> None:
    """Give scans taken in earlier an access copy, and measure each page's ink for the stamp once."""
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
    inks = {"measured": 0, "current": 0, "failed": 0}
    pages = 0
    for ink in do_measure_ink(rt.session_factory, rt.store, list(publication_ids) or None):
        inks[ink.outcome] += 1
        pages += ink.pages
        if ink.outcome == "failed":
            click.echo(f"FAILED  publication {ink.publication_id}, measuring its ink: {ink.detail}", err=True)
    click.echo(
        f"Ink for the stamp: {inks['measured']} publications measured ({pages} pages), "
        f"{inks['current']} measured before, {inks['failed']} failed."
    )
    if counts["failed"] or inks["failed"]:
        sys.exit(1)
