"""Naming recipients from a copy's dot pattern, even when several pooled their copies."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from library.models import Delivery
from library.uow import UnitOfWork

if TYPE_CHECKING:
    from watermark.fingerprint import Signal

MAX_CANDIDATES = 200_000  # the most recent deliveries scored: ~4 s; a false accusation stays below 1e-4


@dataclass(frozen=True)
class DotsReading:
    """Who a file's dot pattern names, and how much of it could be read."""

    pages_read: int
    positions_read: int
    named: tuple[tuple[str, float, float], ...]  # (delivery id, score, threshold), highest first


@dataclass(frozen=True)
class DotSignal:
    """The dot pattern read off a file's first pages, before any delivery is scored against it."""

    signal: Signal
    pages: int


def read_dot_signal(path: Path, secret: bytes) -> DotSignal:
    """Read the dot pattern of a file; raise WatermarkError if it cannot be read."""
    from watermark.fingerprint import read_file  # numpy loads when a process first traces

    signal, pages = read_file(path, secret)
    return DotSignal(signal, pages)


def score_dots(
    uow: UnitOfWork, dots: DotSignal, secret: bytes, *, limit: int = MAX_CANDIDATES
) -> DotsReading:
    """Score the latest deliveries of the ledger against a dot pattern read from a file."""
    from watermark.fingerprint import accuse

    candidates = list(
        uow.session.scalars(select(Delivery.delivery_id).order_by(Delivery.id.desc()).limit(limit))
    )
    named = accuse(dots.signal, secret, candidates)
    readable = int((dots.signal == dots.signal).sum())  # NaN is not equal to itself
    return DotsReading(dots.pages, readable, tuple((a.delivery_id, a.score, a.threshold) for a in named))
