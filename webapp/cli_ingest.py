"""CLI commands of ingest and indexing: `pustaka ingest`, `worker`, `reindex`, `check-index`."""

from __future__ import annotations

import csv
import dataclasses
import logging
import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import click

from ingest.errors import IngestError
from ingest.metadata import suggest_metadata
from ingest.source import SourceKind, build_base_pdf, page_texts
from library import migrate
from library.catalogue.indexing import check_index, do_index_publications, do_reindex
from library.errors import InvalidInput, PustakaError
from library.intake.drafts import DRAFT_FIELDS
from library.intake.jobs import run_ingest
from library.intake.submit import AlreadyIngested, check_submit, ingest_limits, inspect_source
from library.models import IngestChannel, IngestJob, IngestStatus
from library.permissions import SYSTEM
from webapp.cli import Context, clear_errors, pass_context
from webapp.i18n import Lenient
from webapp.jobs import Jobs


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
@pass_context
def ingest(
    obj: Context, paths: tuple[Path, ...], csv_file: Path | None, office: str | None, dry_run: bool
) -> None:
    """Take in publications (PDF, TIFF, JPEG/PNG, or a folder of page images)."""
    with clear_errors():
        sources = [Source(p, {}) for p in _expand(paths)] + (_csv_sources(csv_file) if csv_file else [])
        if not sources:
            raise click.UsageError("Name at least one file or folder, or a --csv file.")
        if office:
            sources = [Source(s.path, {"office": office, **s.draft}) for s in sources]
        migrate.upgrade(obj.engine)
    if dry_run:
        _dry_run(obj, sources)
        return
    failures = _ingest_all(obj, sources)
    if failures:
        sys.exit(1)


def _ingest_all(obj: Context, sources: list[Source]) -> list[str]:
    """Submit and run every source, then index what was made; return the failures."""
    settings = obj.settings
    limits = ingest_limits(settings.max_upload_mb, settings.ingest_max_pages)
    queue = CollectingQueue()
    jobs = Jobs(settings)
    worker = dataclasses.replace(jobs.ingest_worker(), queue=queue)
    ready, skipped, failures = [], [], []
    for source in sources:
        name = source.path.name
        try:
            with obj.uow() as uow:
                submission = check_submit(
                    uow,
                    obj.store(),
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
        with click.progressbar(
            length=max(submission.page_count, 1), label=_label(name), file=sys.stderr
        ) as bar:
            last = [0]

            def progress(done: int, total: int) -> None:
                bar.update(done - last[0])
                last[0] = done

            status = run_ingest(worker, submission.job_id, progress)
        with obj.uow() as uow:
            job = uow.session.get(IngestJob, submission.job_id)
            if status is IngestStatus.READY or (job and job.status == IngestStatus.READY.value):
                ready.append(f"{name}: publication {job.publication_id}, {job.pages_total} pages")
            elif status is None:
                skipped.append(f"{name}: another worker is taking it in (job {submission.job_id})")
            else:
                reason = (job.error_message % Lenient(job.error_params)) if job else "unknown"
                failures.append(f"{name}: {reason}")
                click.echo(f"FAILED  {name}: {reason}", err=True)
    if queue.publications:
        with obj.uow() as uow:
            do_index_publications(uow, jobs.runtime.index(), queue.publications, jobs.runtime.today())
    jobs.runtime.close()
    _summary(ready, skipped, failures)
    return failures


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


def _dry_run(obj: Context, sources: list[Source]) -> None:
    """Check each source and show what ingest would make of it, storing nothing."""
    import tempfile

    settings = obj.settings
    limits = ingest_limits(settings.max_upload_mb, settings.ingest_max_pages)
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
    from ingest.source import sniff

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


@click.command()
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Jobs run at once by this process (each OCRs several pages in parallel).",
)
@pass_context
def worker(obj: Context, workers: int) -> None:
    """Run queued jobs (ingest, indexing) and watch the hot folder, until stopped."""
    from webapp.worker import start_watcher

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with clear_errors():
        migrate.upgrade(obj.engine)
    jobs = Jobs(obj.settings)
    where = "Redis" if obj.settings.redis_url else "the SQLite queue in the instance folder"
    click.echo(f"Pustaka worker: {workers} job(s) at a time from {where} (Ctrl+C stops it).")
    watcher = start_watcher(jobs)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    from webapp.jobs import start_embedded

    consumer = start_embedded(jobs, workers)
    try:
        stop.wait()
    finally:
        click.echo("Stopping: jobs in progress resume on the next start.")
        if watcher:
            watcher.stop()
        consumer.stop(graceful=False)
        jobs.runtime.close()


@click.command()
@pass_context
def reindex(obj: Context) -> None:
    """Rebuild the search index from the database."""
    jobs = Jobs(obj.settings)
    with clear_errors(), obj.uow() as uow:
        with click.progressbar(length=1, label="Indexing", file=sys.stderr) as bar:

            def progress(done: int, total: int) -> None:
                bar.length = max(total, 1)
                bar.update(done - bar.pos)

            count = do_reindex(uow, jobs.runtime.index(), jobs.runtime.today(), progress)
    jobs.runtime.close()
    click.echo(f"The index holds {count} publications.")


@click.command("check-index")
@pass_context
def check_index_command(obj: Context) -> None:
    """Compare the search index with the database and say what differs."""
    jobs = Jobs(obj.settings)
    with clear_errors(), obj.uow() as uow:
        diff = check_index(uow, jobs.runtime.index(), jobs.runtime.today())
    jobs.runtime.close()
    if diff.clean:
        click.echo("The index matches the database.")
        return
    for label, ids in (
        ("not in the index", diff.missing),
        ("in the index only", diff.extra),
        ("out of date in the index", diff.stale),
    ):
        if ids:
            click.echo(
                f"{len(ids)} publication(s) {label}: {', '.join(ids[:20])}"
                + (" ..." if len(ids) > 20 else "")
            )
    click.echo("Run 'pustaka reindex' to rebuild the index.")
    sys.exit(1)


@click.command("search")
@click.argument("words", nargs=-1, required=True)
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="FACET=VALUE",
    help="Narrow by a facet (year, subject, office, publication_type, language, access_level).",
)
@click.option("--newest", is_flag=True, help="Newest first instead of best match first.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1))
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@pass_context
def search_command(
    obj: Context, words: tuple[str, ...], filters: tuple[str, ...], newest: bool, page: int, as_json: bool
) -> None:
    """Search the catalogue as the search page does."""
    import json

    from library.catalogue.discovery import search_publications
    from search.whoosh_engine import WhooshSearchEngine
    from webapp.jobs import search_folder

    chosen: dict[str, list[str]] = {}
    for item in filters:
        name, _, value = item.partition("=")
        if not value:
            raise click.UsageError(f"--filter takes FACET=VALUE, not {item!r}.")
        chosen.setdefault(name.strip(), []).append(value.strip())
    index = WhooshSearchEngine(search_folder(obj.settings))
    try:
        with clear_errors():
            results = search_publications(
                index, " ".join(words), filters=chosen, sort="newest" if newest else "relevance", page=page
            )
    finally:
        index.close()
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(results), ensure_ascii=False, indent=2))
        return
    click.echo(f"{results.total} publication(s) found.")
    if results.suggestion:
        click.echo(f"Did you mean: {results.suggestion}")
    for hit in results.hits:
        pages = f" (pages {', '.join(map(str, hit.pages))})" if hit.pages else ""
        click.echo(f"  [{hit.publication_id}] {hit.title}{pages}")


def register(main: click.Group) -> None:
    """Add these commands to the `pustaka` command."""
    for command in (ingest, worker, reindex, check_index_command, search_command):
        main.add_command(command)
