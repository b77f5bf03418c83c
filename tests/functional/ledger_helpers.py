"""Deliveries for the ledger's pages through the Flask app: a stamped copy, as the system hands one out."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from library.ledger.deliveries import DeliveryRecord, Recipient, deliver_copy
from library.models import DeliveryChannel
from library.permissions import SYSTEM


def deliver(
    app: Flask,
    name: str,
    email: str,
    when: dt.datetime | None = None,
    *,
    publication_id: int = 1,
    channel: DeliveryChannel = DeliveryChannel.ONLINE,
    request_number: str = "",
    client_address: str = "",
    pages: tuple[int, ...] = (),
) -> DeliveryRecord:
    """Deliver a stamped copy to a person (at `when`, else now) and return its ledger record."""
    state = app.extensions["pustaka"]
    with state.uow() as uow:
        record = deliver_copy(
            uow,
            state.store,
            SYSTEM,
            publication_id=publication_id,
            recipient=Recipient(name, email),
            channel=channel,
            secret=state.delivery_key,
            verify_base_url="http://localhost/verifikasi",
            request_number=request_number,
            client_address=client_address,
            now=when,
            pages=pages,
        )
        uow.commit()
    return record
