"""Delivering stamped copies and tracing leaked ones."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
from pathlib import Path

import click

from cli.context import clear_errors, pass_runtime
from library.ledger.deliveries import DeliveryOrder, Recipient, deliver_copy
from library.ledger.tracing import TraceReport, trace_file
from library.models import DeliveryChannel
from library.permissions import SYSTEM
from runtime.root import Runtime


@click.command()
@click.option("--publication", "publication_id", required=True, type=int, help="Publication number.")
@click.option("--name", required=True, help="Name of the person receiving the copy.")
@click.option("--email", default="", help="Their email address (shown masked on the stamp).")
@click.option("--request", "request_number", default="", help="Request number, if there is one.")
@click.option(
    "--out", "out_path", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path)
)
@pass_runtime
def deliver(
    rt: Runtime, publication_id: int, name: str, email: str, request_number: str, out_path: Path
) -> None:
    """Stamp a copy of a publication for one person, record it in the ledger, write it to OUT."""
    store = rt.store
    with clear_errors(), rt.transaction() as uow:
        order = DeliveryOrder(
            recipient=Recipient(name=name, email=email),
            channel=DeliveryChannel.STAFF,
            secret=rt.delivery_key,
            verify_base_url=rt.links.verify_base,
            request_number=request_number,
            client_address="cli",
            delivered_at=rt.now(),
        )
        record = deliver_copy(uow, store, SYSTEM, publication_id, order, office_code=rt.settings.office)
    shutil.copyfile(store.path_for(record.output_sha256), out_path)
    click.echo(
        f"Delivered '{record.publication_title}' to {record.recipient_name}: {out_path} "
        f"({record.pages} pages, delivery id {record.delivery_id})."
    )


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@pass_runtime
def trace(rt: Runtime, file: Path, as_json: bool) -> None:
    """Find the marks in a PDF or image and name the delivery they point to."""
    with clear_errors(), rt.uow() as uow:
        report = trace_file(uow, file, rt.delivery_keys)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report), default=str, indent=2))
    else:
        _print_trace(report)
    if not report.found:
        sys.exit(1)


def _coverage(report: TraceReport) -> str:
    """Say how much of the file was read: a long PDF's QR codes are read on a sample of pages."""
    if report.file_type != "pdf":
        return "Read: the whole file."
    qr = ", ".join(map(str, report.qr_pages)) if report.qr_pages else "none"
    return (
        f"Read: the text of {report.text_pages} of {report.pages} pages; "
        f"QR codes on {len(report.qr_pages)} of {report.pages} pages ({qr})."
    )


def _print_trace(report: TraceReport) -> None:
    """Print a trace report for a person."""
    if report.exact_copy:
        r = report.exact_copy
        click.echo(f"This file is exactly delivery {r.delivery_id}, unchanged since it was delivered.")
    for item in report.deliveries:
        if item.record is None:
            click.echo(
                f"Mark {item.delivery_id} found ({', '.join(item.evidence)}), "
                "but the ledger has no such delivery."
            )
            continue
        r = item.record
        pages = f" on pages {', '.join(map(str, item.pages))}" if item.pages else ""
        click.echo(
            f"Delivery {r.delivery_id}: '{r.publication_title}' to {r.recipient_name}"
            f"{' <' + r.recipient_email + '>' if r.recipient_email else ''}"
            f"{', request ' + r.request_number if r.request_number else ''}, "
            f"{r.delivered_at:%Y-%m-%d %H:%M} UTC via {r.channel}"
            f"{' from ' + r.client_address if r.client_address else ''}."
        )
        click.echo(
            f"  evidence: {', '.join(item.evidence)}{pages}"
            + (
                "; QR signature valid"
                if item.signature_valid
                else "; QR signature INVALID"
                if item.signature_valid is False
                else ""
            )
        )
    if not report.found:
        click.echo("No mark of a known delivery was found in this file.")
    click.echo(_coverage(report))
    for note in report.notes:
        click.echo(f"  note: {note}")


@click.command()
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
@pass_runtime
def housekeeping(rt: Runtime, dry_run: bool) -> None:
    """Delete stored copies no link can download any more, and old outbox mail."""
    from runtime.lanes import keep_house

    with clear_errors():
        copies, (emails, mail_size) = keep_house(rt, dry_run=dry_run)
    verb = "Would delete" if dry_run else "Deleted"
    click.echo(
        f"{verb} {copies.copies} stamped copies ({copies.size / 1e6:.1f} MB) delivered more than "
        f"{rt.settings.keep_copies_days} days ago whose links have expired or been used up; the ledger keeps "
        f"their rows. {verb} {emails} outbox emails ({mail_size / 1e6:.1f} MB) older than "
        f"{rt.settings.keep_outbox_days} days."
    )
