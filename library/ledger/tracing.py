"""Tracing a leaked copy: read every mark in a file and name the deliveries it points to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from library.errors import NotFound, PustakaError, Sentence
from library.i18n import N_
from library.ledger.collusion import score_dots
from library.ledger.deliveries import DeliveryRecord, find_by_output, find_delivery
from library.ledger.file_reading import FileReading, read_evidence
from library.ledger.reading_sessions import ReadingSessionRecord, find_reading_session, match_damaged_reads
from library.uow import UnitOfWork

if TYPE_CHECKING:
    from watermark.trace.evidence import Evidence

# Marks read off a reader's page picture: an id of nobody there is a misread of a faint mark.
_READ_FROM_PICTURE = {"diagonal_text", "tiled_code", "print_code"}


@dataclass(frozen=True)
class TracedDelivery:
    """A delivery (or a reading session) named by a file, with the kinds of evidence that name it."""

    record: DeliveryRecord | None  # None: no such delivery (a reading session, or a mark of elsewhere)
    delivery_id: str
    evidence: tuple[str, ...]
    pages: tuple[int, ...]
    signature_valid: bool | None
    qr_pages: tuple[int, ...] = ()  # the pages whose QR code names this delivery
    session: ReadingSessionRecord | None = None  # the reading session a reader's page picture names
    read_as: str = ""  # a damaged OCR read of the diagonal text, matched to this session's id


@dataclass(frozen=True)
class TraceReport:
    """What a file says about who it was delivered to."""

    path: str
    exact_copy: DeliveryRecord | None  # the file is byte for byte a delivered copy
    deliveries: tuple[TracedDelivery, ...]
    notes: tuple[Sentence, ...]  # the engine's notes and ours, in words to translate
    file_type: str = "pdf"  # "pdf", "image" or "text"
    pages: int = 0  # pages (or picture frames) in the file
    text_pages: int = 0  # pages whose text was read, from the first
    qr_pages: tuple[int, ...] = ()  # pages searched for a QR code

    @property
    def qr_checked(self) -> bool:
        """Tell whether any page was searched for a QR code."""
        return bool(self.qr_pages)

    @property
    def found(self) -> bool:
        """Tell whether the file names at least one known delivery."""
        return self.exact_copy is not None or any(d.record or d.session for d in self.deliveries)


def trace_file(
    uow: UnitOfWork,
    path: Path,
    secret: bytes | Sequence[bytes] | None = None,
    reading: FileReading | None = None,
) -> TraceReport:
    """Read the marks of a file (unless `reading` holds them already) and look each delivery up."""
    reading = reading or read_evidence(path, secret)
    result, digest = reading.marks, reading.digest
    named_by_dots: dict[str, float] = {}
    notes: list[Sentence] = list(result.notes)
    if reading.dots_problem is not None:
        notes.append(
            PustakaError(N_("The dot pattern could not be read: %(reason)s"), reason=reading.dots_problem)
        )
    elif secret and reading.dots is not None:
        dots = score_dots(uow, reading.dots, secret)
        named_by_dots = {delivery_id: score for delivery_id, score, _ in dots.named}
    traced = []
    nobody: list[str] = []  # well-formed ids of nobody: forgeries, or misreads that pass the check character
    for delivery_id in (*result.delivery_ids, *(d for d in named_by_dots if d not in result.delivery_ids)):
        evidence = [e for e in result.evidence if e.delivery_id == delivery_id]
        record, session = _named(uow, delivery_id)
        if record is None and session is None:
            nobody.append(delivery_id)
            if {e.kind for e in evidence} <= _READ_FROM_PICTURE:
                continue  # a picture's faint mark read as a well-formed id of nobody: a misread
        signatures = [e.signature_valid for e in evidence if e.signature_valid is not None]
        traced.append(
            TracedDelivery(
                record=record,
                delivery_id=delivery_id,
                evidence=_kinds(evidence, delivery_id in named_by_dots),
                pages=tuple(sorted({e.page for e in evidence if e.page is not None})),
                signature_valid=all(signatures) if signatures else None,
                qr_pages=tuple(sorted({e.page for e in evidence if e.kind == "qr" and e.page is not None})),
                session=session,
            )
        )
    named = {item.delivery_id for item in traced}
    # A read a character short passes the check character 1 time in 32: an id of nobody may be damaged.
    for session, read in match_damaged_reads(uow, (*result.partial_reads, *nobody)):
        if session.session_id in named:
            continue
        misread = next((item for item in traced if item.delivery_id == read and item.record is None), None)
        kinds = misread.evidence if misread else ("diagonal_text",)
        traced = [item for item in traced if item is not misread]
        traced.append(TracedDelivery(None, session.session_id, kinds, (), None, (), session, read))
    return TraceReport(
        str(path),
        find_by_output(uow, digest),
        tuple(traced),
        tuple(notes),
        result.file_type,
        result.pages,
        result.text_pages,
        result.qr_pages,
    )


def _named(uow: UnitOfWork, mark_id: str) -> tuple[DeliveryRecord | None, ReadingSessionRecord | None]:
    """Return the delivery, else the reading session, that a mark's id names (or neither: a forgery)."""
    try:
        return find_delivery(uow, mark_id), None
    except NotFound:
        pass
    try:
        return None, find_reading_session(uow, mark_id)
    except NotFound:
        return None, None


def _kinds(evidence: list[Evidence], by_dots: bool) -> tuple[str, ...]:
    """Return the kinds of evidence naming a delivery, the dot pattern among them if it does."""
    return tuple(sorted({e.kind for e in evidence} | ({"fingerprint"} if by_dots else set())))
