"""What the ledger's integration tests share: the delivery secret, one demo publication, a delivery."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

import catalog_data
from library.filestore import FileStore
from library.ledger.deliveries import DeliveryOrder, DeliveryRecord, Recipient, deliver_copy
from library.models import DeliveryChannel, Publication
from library.permissions import SYSTEM
from library.uow import UnitOfWork
from tests.integration.library.ingest_fixtures import load_demo_records
from tests.integration.library.pdf_helpers import tiny_pdf

SECRET = b"test-secret-0123456789abcdef0123456789"
VERIFY = "https://pst.example.id/verifikasi"
DEWI = Recipient("Dewi Lestari", "dewi@example.id")


@pytest.fixture
def publication_id(uow: UnitOfWork, store: FileStore) -> int:
    """Take one demo record in (a quick 3-page stand-in PDF) through the ingest job; return its id."""
    record = catalog_data.load_demo_catalogue()[0]
    with uow:
        load_demo_records(uow, store, [record], lambda r: tiny_pdf(r.title, 3))
        return uow.session.scalar(select(Publication.id))


def deliver(
    uow: UnitOfWork,
    store: FileStore,
    publication_id: int,
    recipient: Recipient = DEWI,
    *,
    channel: DeliveryChannel = DeliveryChannel.ONLINE,
    when: dt.datetime | None = None,
    pages: tuple[int, ...] = (),
    request_number: str = "",
    client_address: str = "",
    secret: bytes = SECRET,
    verify_base_url: str = VERIFY,
) -> DeliveryRecord:
    """Stamp a copy of the publication (or its `pages`) for the recipient and commit it to the ledger."""
    with uow:
        order = DeliveryOrder(
            recipient=recipient,
            channel=channel,
            secret=secret,
            verify_base_url=verify_base_url,
            request_number=request_number,
            client_address=client_address,
            delivered_at=when or dt.datetime.now(dt.UTC),
            pages=pages,
        )
        record = deliver_copy(uow, store, SYSTEM, publication_id, order)
        uow.commit()
    return record
