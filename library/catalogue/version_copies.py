"""A stamped copy of one version of a publication's file, made while the person waits.

A librarian may take a copy of any version (to answer someone who cites an older edition,
or to compare them); a reader only of an old version a librarian left available to the public,
and only of a publication they may read online. Either way the copy is stamped for the
person who takes it and its ledger row names the version, as every delivery does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from library.catalogue.read_access import require_read_online
from library.catalogue.read_models import seen_publication
from library.errors import NotFound
from library.filestore import FileStore
from library.i18n import N_
from library.ledger.deliveries import Deliverable, DeliveryOrder, DeliveryRecord, Recipient, deliver_file
from library.models import DeliveryChannel, FileVersion
from library.permissions import SYSTEM, Actor, may_edit_publications, require_signed_in
from library.uow import UnitOfWork


@dataclass(frozen=True)
class CopyTerms:
    """What the stamp says besides the person: the key, where its QR code sends, where it was asked from."""

    secret: bytes
    verify_base_url: str
    client_address: str = ""


def check_version_copy(
    uow: UnitOfWork,
    store: FileStore,
    actor: Actor | None,
    publication_id: int,
    number: int,
    terms: CopyTerms,
    today: dt.date,
    *,
    now: dt.datetime,
) -> DeliveryRecord:
    """Stamp a copy of the publication's version `number` for the actor and record it; the caller commits."""
    person = require_signed_in(uow, actor)
    publication = seen_publication(uow, publication_id, person)
    version = uow.session.scalar(
        select(FileVersion).where(FileVersion.publication_id == publication_id, FileVersion.number == number)
    )
    staff = may_edit_publications(person)
    if version is None or not (staff or version.public):
        raise NotFound(N_("This publication has no version %(number)s."), number=number)
    if not staff:
        require_read_online(uow, person, publication.effective_access(today), publication.embargo_until)
    order = DeliveryOrder(
        recipient=Recipient(person.name, person.email, person.id),
        channel=DeliveryChannel.STAFF if staff else DeliveryChannel.ONLINE,
        secret=terms.secret,
        verify_base_url=terms.verify_base_url,
        client_address=terms.client_address,
        delivered_at=now,
    )
    what = Deliverable(
        version.copy_sha256, publication.title, publication.issuing_office, publication_id, version.number
    )
    return deliver_file(uow, store, SYSTEM, what, order)
