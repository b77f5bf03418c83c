"""Deliveries for the ledger's pages through the Flask app: a stamped copy, as the system hands one out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask

from library.ledger.deliveries import DeliveryRecord, Recipient
from tests.integration.library import ledger_helpers


def deliver(
    app: Flask,
    name: str,
    email: str,
    when: dt.datetime | None = None,
    *,
    publication_id: int = 1,
    **details: Any,
) -> DeliveryRecord:
    """Deliver a stamped copy to a person (at `when`, else now) with the app's key; return its ledger record.

    `details` are the ledger's other fields: channel, request_number, client_address, pages.
    """
    state = app.extensions["pustaka"]
    return ledger_helpers.deliver(
        state.uow(),
        state.store,
        publication_id,
        Recipient(name, email),
        when=when,
        secret=state.delivery_key,
        verify_base_url="http://localhost/verifikasi",
        **details,
    )
