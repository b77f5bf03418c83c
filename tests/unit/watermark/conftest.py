"""Fixtures for the watermark engine's unit tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

import pytest

from watermark import Mark

WHEN = datetime(2025, 3, 5, 7, 5, tzinfo=timezone.utc)


@pytest.fixture
def make_mark() -> Callable[..., Mark]:
    """Return a factory of marks for one delivery, with any field changed."""

    def make(**changes: object) -> Mark:
        fields: dict[str, object] = dict(
            delivery_id="7K3M9QPXW2RM",
            recipient_name="Siti Nurhaliza",
            recipient_email="siti.nur@gmail.com",
            office_name="BPS Kota Metro",
            request_number="PST/2025/0042",
            delivered_at=WHEN,
            verify_base_url="https://metrokota.bps.go.id/pustaka/verifikasi",
        )
        fields.update(changes)
        return Mark(**fields)  # type: ignore[arg-type]

    return make
