"""Deliveries: stamp a copy for one person, record it in the ledger, and trace a copy back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from library.errors import InvalidInput, NotFound, PustakaError
from library.file_versions.history import version_of_copy
from library.filestore import FileStore
from library.i18n import N_
from library.ledger.page_ink import keep_ink, load_ink
from library.ledger.stamped_versions import StampedVersion, stamped_version
from library.models import Delivery, DeliveryChannel, FileAsset, FileRole, Office, Publication, User
from library.permissions import Actor, require_deliver
from library.text import format_page_ranges
from library.uow import UnitOfWork
from watermark.errors import WatermarkError
from watermark.marks.mark import Mark, new_delivery_id


class DeliveryFailed(PustakaError):
    """A stamped copy could not be made; nothing was delivered or recorded."""


@dataclass(frozen=True)
class Recipient:
    """The person a copy is stamped for."""

    name: str
    email: str = ""
    user_id: int | None = None


@dataclass(frozen=True)
class DeliveryRecord:
    """One row of the ledger, with the title of what was delivered."""

    delivery_id: str
    publication_id: int | None  # None: a visitor's scan of a publication the catalogue lacks
    publication_title: str  # what was delivered: the publication's title, or the scan's
    recipient_name: str
    recipient_email: str
    request_number: str
    channel: str
    client_address: str
    office_code: str
    pages: int
    page_ranges: str  # "2-3, 7"; "" for rows older than migration 0011
    delivered_at: dt.datetime
    source_sha256: str
    output_sha256: str
    version: StampedVersion = StampedVersion()  # the file version it was stamped from, a newer one
    publication_identifier: str = ""  # its persistent identifier, where the ledger's search read it


@dataclass(frozen=True)
class Deliverable:
    """What a copy is made from: a PDF in the store, what it is, and the office that gives it."""

    sha256: str
    title: str
    office: Office
    publication_id: int | None = None  # None: pages the catalogue does not hold (a visitor's scan)
    file_version: int | None = None  # the publication's version the PDF is


@dataclass(frozen=True)
class DeliveryOrder:
    """What one delivery is, whatever it is made from: who, how, which pages, and what the mark says."""

    recipient: Recipient
    channel: DeliveryChannel
    secret: bytes  # the key the mark is signed with
    verify_base_url: str  # where the stamped QR code sends a reader to check the copy
    request_number: str = ""  # the request or ticket the copy answers, printed in the mark
    client_address: str = ""  # where the order came from, for the ledger
    delivered_at: dt.datetime = field(kw_only=True)  # when the copy is made, by the caller's clock
    pages: tuple[int, ...] = ()  # 1-based; (): every page
    visit_id: int | None = None  # the walk-in visit it was made for, if any


def deliver_copy(
    uow: UnitOfWork,
    store: FileStore,
    actor: Actor | None,
    publication_id: int,
    order: DeliveryOrder,
    *,
    office_code: str = "",
) -> DeliveryRecord:
    """Stamp the publication (or the order's pages) for the recipient, store the copy, add it to the ledger.

    The copy is the work of the office that serves the recipient (`office_code`), whose name it is
    stamped with and whose ledger rows count it, whatever office issued the publication.
    """
    require_deliver(uow, actor)
    publication = uow.session.get(Publication, publication_id)
    if publication is None:
        raise NotFound(N_("There is no publication number %(id)s."), id=publication_id)
    _check_recipient(order.recipient)
    source = deliverable_file(uow, publication_id)
    serving = (
        uow.session.scalar(select(Office).where(Office.code == office_code)) if office_code else None
    ) or publication.issuing_office
    version = version_of_copy(uow, publication_id, source.sha256)
    what = Deliverable(source.sha256, publication.title, serving, publication_id, version)
    return deliver_file(uow, store, actor, what, order)


def deliver_file(
    uow: UnitOfWork, store: FileStore, actor: Actor | None, what: Deliverable, order: DeliveryOrder
) -> DeliveryRecord:
    """Stamp a stored PDF (or the order's pages) for the recipient, store the copy, add it to the ledger."""
    deliverer = require_deliver(uow, actor)
    _check_recipient(order.recipient)
    title = what.title.strip()[:500]
    if what.publication_id is None and not title:
        raise InvalidInput(N_("Say what the copy is: a publication or a title."))
    mark = _mark(order, what.office, title)
    data, page_count = _stamp(store, what.sha256, mark, order)
    stored = store.put_bytes(data)
    row = Delivery(
        delivery_id=mark.delivery_id,
        publication_id=what.publication_id,
        title=title,
        source_sha256=what.sha256,
        output_sha256=stored.sha256,
        recipient_user_id=order.recipient.user_id,
        recipient_name=mark.recipient_name,
        recipient_email=order.recipient.email,
        request_number=order.request_number,
        channel=order.channel.value,
        client_address=order.client_address,
        office_code=what.office.code,
        pages=page_count,
        page_ranges=format_page_ranges(order.pages or range(1, page_count + 1)),
        delivered_at=mark.delivered_at,
        delivered_by_user_id=deliverer.id if isinstance(deliverer, User) else None,
        visit_id=order.visit_id,
        file_version=what.file_version,
    )
    uow.session.add(row)
    uow.session.flush()
    return _record(row, title)


def _check_recipient(recipient: Recipient) -> None:
    """Refuse a copy for nobody: the stamp must name a person."""
    if not recipient.name.strip():
        raise InvalidInput(N_("A name is required."))


def _stamp(store: FileStore, sha256: str, mark: Mark, order: DeliveryOrder) -> tuple[bytes, int]:
    """Return the stamped copy of the stored PDF's chosen pages, and how many pages it has."""
    from watermark.stamping.copies import stamp_pdf_bytes  # the PDF engines load when a process first stamps

    ink = load_ink(store, sha256)  # measured once; only pages it lacks are rendered
    try:
        # The chosen pages are taken from the stored file and stamped in one pass, in memory;
        # the store then writes the copy once.
        data, result = stamp_pdf_bytes(store.path_for(sha256), mark, order.secret, pages=order.pages, ink=ink)
    except WatermarkError as exc:
        raise DeliveryFailed(N_("The stamped copy could not be made: %(reason)s"), reason=exc) from exc
    if ink.changed:
        keep_ink(store, sha256, ink)
    return data, result.page_count


def _mark(order: DeliveryOrder, office: Office, title: str) -> Mark:
    """Build the mark, turning the engine's refusal into a domain error."""
    try:
        return Mark(
            delivery_id=new_delivery_id(),
            recipient_name=order.recipient.name,
            recipient_email=order.recipient.email,
            office_name=office.name,
            request_number=order.request_number,
            delivered_at=order.delivered_at,
            timezone=office.timezone,
            verify_base_url=order.verify_base_url,
            title=title,
        )
    except WatermarkError as exc:
        raise InvalidInput(N_("The stamp cannot be made: %(reason)s"), reason=exc) from exc


def deliverable_file(uow: UnitOfWork, publication_id: int) -> FileAsset:
    """Return the file a copy is made from: the access copy, else the master."""
    files = uow.session.scalars(
        select(FileAsset)
        .where(
            FileAsset.publication_id == publication_id,
            FileAsset.role.in_([FileRole.ACCESS.value, FileRole.MASTER.value]),
            FileAsset.media_type == "application/pdf",
        )
        .order_by(FileAsset.created_at.desc(), FileAsset.id.desc())
    ).all()
    for role in (FileRole.ACCESS.value, FileRole.MASTER.value):
        for asset in files:
            if asset.role == role:
                return asset
    raise NotFound(N_("This publication has no file to deliver yet."))


def find_delivery(uow: UnitOfWork, delivery_id: str) -> DeliveryRecord:
    """Return the ledger row of a delivery id."""
    row = uow.session.scalar(select(Delivery).where(Delivery.delivery_id == delivery_id.upper()))
    if row is None:
        raise NotFound(N_("No delivery has the id %(id)s."), id=delivery_id)
    return _record(row, title_of(uow, row), _version(uow, row))


def find_by_output(uow: UnitOfWork, sha256: str) -> DeliveryRecord | None:
    """Return the delivery whose stamped file has exactly this sha256, if any."""
    row = uow.session.scalar(select(Delivery).where(Delivery.output_sha256 == sha256))
    return _record(row, title_of(uow, row), _version(uow, row)) if row else None


def publication_title(uow: UnitOfWork, publication_id: int) -> str:
    """Return a publication's title."""
    return uow.session.scalar(select(Publication.title).where(Publication.id == publication_id)) or ""


def title_of(uow: UnitOfWork, row: Delivery) -> str:
    """Return what a ledger row delivered: its own title, else (older rows) its publication's."""
    if row.title or row.publication_id is None:
        return row.title
    return publication_title(uow, row.publication_id)


def _version(uow: UnitOfWork, row: Delivery) -> StampedVersion:
    """Return the version a row stamped (recorded, else derived) and any newer one."""
    return stamped_version(uow, row.publication_id, row.file_version, row.delivered_at, row.source_sha256)


def _record(row: Delivery, title: str | None, version: StampedVersion | None = None) -> DeliveryRecord:
    """Turn a ledger row into its record; the row's own title wins over the publication's given."""
    return DeliveryRecord(
        delivery_id=row.delivery_id,
        publication_id=row.publication_id,
        publication_title=row.title or title or "",
        recipient_name=row.recipient_name,
        recipient_email=row.recipient_email,
        request_number=row.request_number,
        channel=row.channel,
        client_address=row.client_address,
        office_code=row.office_code,
        pages=row.pages,
        page_ranges=row.page_ranges,
        delivered_at=row.delivered_at,
        source_sha256=row.source_sha256,
        output_sha256=row.output_sha256,
        version=version or StampedVersion(row.file_version),
    )
