"""Naming recipients from a copy's dot pattern, even when several pooled their copies."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from library.models import Delivery
from library.uow import UnitOfWork
from watermark.fingerprint import accuse, read_file

MAX_CANDIDATES = 200_000  # the most recent deliveries scored: ~4 s; a false accusation stays below 1e-4


@dataclass(frozen=True)
class DotsReading:
    """Who a file's dot pattern names, and how much of it could be read."""

    pages_read: int
    positions_read: int
    named: tuple[tuple[str, float, float], ...]  # (delivery id, score, threshold), highest first


def read_dots(uow: UnitOfWork, path: Path, secret: bytes, *, limit: int = MAX_CANDIDATES) -> DotsReading:
    """Score every delivery in the ledger against the dots of a file; raise WatermarkError if unreadable."""
    signal, pages = read_file(path, secret)
    candidates = list(
        uow.session.scalars(select(Delivery.delivery_id).order_by(Delivery.id.desc()).limit(limit))
    )
    named = accuse(signal, secret, candidates)
    readable = int((signal == signal).sum())  # NaN is not equal to itself
    return DotsReading(pages, readable, tuple((a.delivery_id, a.score, a.threshold) for a in named))
