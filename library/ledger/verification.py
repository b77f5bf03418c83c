"""Public verification of a printed or shared copy: is this QR code an authentic delivery?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from library.errors import NotFound
from library.file_versions.history import VersionNote
from library.ledger.deliveries import find_delivery
from library.models import Publication
from library.uow import UnitOfWork
from watermark.marks.mark import check_signature


@dataclass(frozen=True)
class Verdict:
    """What the public verification page may say about a delivery (nothing private)."""

    authentic: bool
    publication_title: str = ""
    delivered_at: dt.datetime | None = None
    recipient_initials: str = ""
    version: int | None = None  # the file version the copy was stamped from
    newer: VersionNote | None = None  # the publication's current version, when newer than the copy's
    publication_identifier: str = ""  # its persistent identifier, "<prefix>/<number>"


def initials(name: str) -> str:
    """Mask a name to its initials: 'Ani Suryani' -> 'A*** S***'.

    What follows the name in brackets (how a walk-in's name was checked) is no part of it.
    """
    name = name.split(" (", 1)[0]
    return " ".join(f"{part[0]}***" for part in name.split() if part)


def verify_copy(
    uow: UnitOfWork, delivery_id: str, signature: str, secret: bytes | Sequence[bytes]
) -> Verdict:
    """Check a QR code's signature and find its delivery; say only what is safe to say."""
    delivery_id = delivery_id.strip().upper()
    if not check_signature(delivery_id, signature, secret):
        return Verdict(authentic=False)
    try:
        record = find_delivery(uow, delivery_id)
    except NotFound:
        return Verdict(authentic=False)
    return Verdict(
        authentic=True,
        publication_title=record.publication_title,
        delivered_at=record.delivered_at,
        recipient_initials=initials(record.recipient_name),
        version=record.version.number,
        newer=record.version.newer,
        publication_identifier=_identifier_of(uow, record.publication_id),
    )


def _identifier_of(uow: UnitOfWork, publication_id: int | None) -> str:
    """Return a publication's persistent identifier ('' for a scan of one the catalogue lacks)."""
    if publication_id is None:
        return ""
    return uow.session.scalar(select(Publication.identifier).where(Publication.id == publication_id)) or ""
