"""Naming recipients from a copy's dot pattern, even when several pooled their copies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from library.ledger.file_reading import DotSignal
from library.models import Delivery
from library.uow import UnitOfWork
from watermark.marks.mark import keys_of

MAX_CANDIDATES = 200_000  # the most recent deliveries scored: ~4 s; a false accusation stays below 1e-4


@dataclass(frozen=True)
class DotsReading:
    """Who a file's dot pattern names, and how much of it could be read."""

    pages_read: int
    positions_read: int
    named: tuple[tuple[str, float, float], ...]  # (delivery id, score, threshold), highest first


def score_dots(
    uow: UnitOfWork, dots: DotSignal, secret: bytes | Sequence[bytes], *, limit: int = MAX_CANDIDATES
) -> DotsReading:
    """Score the latest deliveries of the ledger against a dot pattern read from a file.

    After a rotation each key of the ring is tried: a copy's dots are where its key put them.
    """
    from watermark.marks.fingerprint import accuse

    candidates = list(
        uow.session.scalars(select(Delivery.delivery_id).order_by(Delivery.id.desc()).limit(limit))
    )
    best: dict[str, tuple[float, float]] = {}
    for key, signal in zip(keys_of(secret), dots.signals, strict=True):
        for found in accuse(signal, key, candidates):
            if found.delivery_id not in best or found.score > best[found.delivery_id][0]:
                best[found.delivery_id] = (found.score, found.threshold)
    named = sorted(((d, score, limit_) for d, (score, limit_) in best.items()), key=lambda n: -n[1])
    readable = max(int((s == s).sum()) for s in dots.signals)  # NaN is not equal to itself
    return DotsReading(dots.pages, readable, tuple(named))
