"""Tracing a leaked copy: read every mark in a file and name the deliveries it points to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from library.errors import InvalidInput, NotFound
from library.i18n import N_
from library.ledger.collusion import read_dots
from library.ledger.deliveries import DeliveryRecord, find_by_output, find_delivery, sha256_of
from library.uow import UnitOfWork
from watermark.errors import WatermarkError
from watermark.trace import Evidence, read_marks


@dataclass(frozen=True)
class TracedDelivery:
    """A delivery named by a file, with the kinds of evidence that name it."""

    record: DeliveryRecord | None  # None: a mark was found but the ledger has no such delivery
    delivery_id: str
    evidence: tuple[str, ...]
    pages: tuple[int, ...]
    signature_valid: bool | None


@dataclass(frozen=True)
class TraceReport:
    """What a file says about who it was delivered to."""

    path: str
    exact_copy: DeliveryRecord | None  # the file is byte for byte a delivered copy
    deliveries: tuple[TracedDelivery, ...]
    notes: tuple[str, ...]

    @property
    def found(self) -> bool:
        """Tell whether the file names at least one known delivery."""
        return self.exact_copy is not None or any(d.record for d in self.deliveries)


def trace_file(uow: UnitOfWork, path: Path, secret: bytes | None = None) -> TraceReport:
    """Read the marks of a file and look each delivery up in the ledger."""
    try:
        result = read_marks(path, secret=secret)
        digest = sha256_of(path)
    except (WatermarkError, OSError) as exc:
        raise InvalidInput(N_("The file cannot be traced: %(reason)s"), reason=str(exc)) from exc
    named_by_dots: dict[str, float] = {}
    notes = list(result.notes)
    if secret:
        try:
            dots = read_dots(uow, path, secret)
        except WatermarkError as exc:
            notes.append(f"Pola titik tidak terbaca: {exc}")
        else:
            named_by_dots = {delivery_id: score for delivery_id, score, _ in dots.named}
    traced = []
    for delivery_id in (*result.delivery_ids, *(d for d in named_by_dots if d not in result.delivery_ids)):
        evidence = [e for e in result.evidence if e.delivery_id == delivery_id]
        try:
            record: DeliveryRecord | None = find_delivery(uow, delivery_id)
        except NotFound:
            record = None  # a mark of another deployment, or a forged one
        signatures = [e.signature_valid for e in evidence if e.signature_valid is not None]
        traced.append(
            TracedDelivery(
                record=record,
                delivery_id=delivery_id,
                evidence=tuple(
                    sorted(
                        {e.kind for e in evidence}
                        | ({"fingerprint"} if delivery_id in named_by_dots else set())
                    )
                ),
                pages=tuple(sorted({e.page for e in evidence if e.page is not None})),
                signature_valid=all(signatures) if signatures else None,
            )
        )
    return TraceReport(str(path), find_by_output(uow, digest), tuple(traced), tuple(notes))


def _kinds(evidence: list[Evidence], by_dots: bool) -> tuple[str, ...]:
    """Return the kinds of evidence naming a delivery, the dot pattern among them if it does."""
    return tuple(sorted({e.kind for e in evidence} | ({"fingerprint"} if by_dots else set())))
