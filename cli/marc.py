"""`pustaka marc`: the catalogue out as MARC21, and MARC21 from SLiMS, INLIS Lite and others in."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import click

from cli.context import clear_errors, pass_runtime
from cli.database import upgrade_database
from cli.ingest import CollectingQueue
from library.catalogue.indexing import do_index_publications
from library.catalogue.marc.export import MarcFormat, Selection, export_marc
from library.catalogue.marc.files import read_marc
from library.catalogue.marc.importing import ImportReport, import_records
from library.catalogue.marc.planning import Action, ImportOptions, RecordPlan
from library.collection.barcodes import BarcodeNumbering
from library.permissions import SYSTEM
from runtime.root import Runtime

DONE = {
    Action.CREATE: "create",
    Action.MERGE: "merge",
    Action.UNCHANGED: "unchanged",
    Action.REFUSED: "REFUSED",
}


@click.group("marc")
def marc_group() -> None:
    """MARC21 in and out: ISO 2709 (.mrc) and MARCXML, in the BPS profile."""


@marc_group.command("export")
@click.option(
    "--format",
    "marc_format",
    type=click.Choice([f.value for f in MarcFormat]),
    default="xml",
    show_default=True,
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (else stdout)."
)
@click.option("--query", default="", help="Only publications whose title or BPS numbers hold these words.")
@click.option("--withdrawn", is_flag=True, help="Include withdrawn publications (their leader says deleted).")
@pass_runtime
def export_command(rt: Runtime, marc_format: str, output: Path | None, query: str, withdrawn: bool) -> None:
    """Write the catalogue as MARC21, a page of records at a time."""
    base = rt.settings.base_url.rstrip("/")
    selection = Selection(query=query, with_withdrawn=withdrawn)
    with clear_errors(), rt.uow() as uow:
        chunks = export_marc(
            uow,
            SYSTEM,
            selection,
            MarcFormat(marc_format),
            lambda n: f"{base}/katalog/{n}",
            lambda i: f"{base}/id/{i}",
        )
        if output is None:
            _write(chunks, sys.stdout.buffer)
        else:
            with output.open("wb") as target:
                _write(chunks, target)


@marc_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--apply", is_flag=True, help="Take the records in (else a dry run: report, change nothing).")
@click.option("--replace", is_flag=True, help="Let a record replace stored values it has otherwise.")
@click.option("--drafts", is_flag=True, help="Keep new publications as drafts for a librarian to publish.")
@click.option("--office", default=None, help="BPS code of the issuer when a record's author names none.")
@click.option("--location", default="Perpustakaan", show_default=True, help="Where copies are when unsaid.")
@pass_runtime
def import_command(
    rt: Runtime, file: Path, apply: bool, replace: bool, drafts: bool, office: str | None, location: str
) -> None:
    """Import a MARC21 file (ISO 2709 or MARCXML): a dry run unless --apply; exit 1 if a record is refused."""
    numbering = BarcodeNumbering(rt.settings.item_barcode_pattern, rt.settings.office)
    options = ImportOptions(
        office or rt.settings.office, location, replace=replace, drafts=drafts, numbering=numbering
    )
    queue = CollectingQueue()
    with clear_errors():
        upgrade_database(rt)
        with file.open("rb") as stream:
            records = read_marc(stream, file.stat().st_size, rt.settings.marc_import_max_mb * 1_000_000)
            report = import_records(
                rt.transaction if apply else rt.uow,
                SYSTEM,
                queue,
                records,
                options,
                apply=apply,
                now=rt.now(),
            )
        if queue.publications:
            with rt.uow() as uow:
                do_index_publications(uow, rt.index(), queue.publications, rt.today())
    rt.close()
    for plan in report.plans:
        click.echo(_line(plan))
    click.echo(summary(report))
    if report.count(Action.REFUSED):
        sys.exit(1)


def summary(report: ImportReport) -> str:
    """Return the closing line: how many records each action took, and whether anything changed."""
    counts = report.counts
    said = (
        f"{counts['create']} created, {counts['merge']} merged"
        if report.applied
        else f"{counts['create']} to create, {counts['merge']} to merge"
    )
    tail = "" if report.applied else " Dry run: nothing was changed; run again with --apply to import."
    return f"{said}, {counts['unchanged']} unchanged, {counts['refused']} refused.{tail}"


def _line(plan: RecordPlan) -> str:
    """Return a record's lines of the report: what is done, the fields, holdings and notes."""
    where = f" #{plan.publication_id}" if plan.publication_id else ""
    by = f" (by {plan.matched_by})" if plan.matched_by else ""
    lines = [f"record {plan.number}: {DONE[plan.action]}{where}{by} {plan.title!r}".rstrip()]
    if plan.problem is not None:
        lines.append(f"    {plan.problem}")
    for change in plan.changes:
        verb = "->" if change.applied else "kept, the record has"
        lines.append(f"    {change.field}: {change.old!r} {verb} {change.new!r}")
    for holding in plan.holdings:
        lines.append(f"    + {holding.copies} x {holding.call_number} at {holding.location}")
    lines.extend(f"    note: {note}" for note in plan.notes)
    return "\n".join(lines)


def _write(chunks: Iterator[bytes], target: BinaryIO) -> None:
    """Write the export's chunks as they come."""
    for chunk in chunks:
        target.write(chunk)
    target.flush()
