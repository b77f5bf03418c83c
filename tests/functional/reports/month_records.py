"""What a generated month holds, in plain records for `expected` to compute the figures from."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from library.models import DeliveryChannel, RequestStatus
from tests.functional.reports.month_complaints import Filed
from tests.functional.reports.month_consultations import CounterConsultation, OnlineConsultation


@dataclass
class WalkIn:
    """One ticket: its service, day, code, clock start and what became of it."""

    service: str
    day: dt.date
    code: str
    issued: dt.datetime
    clock_start: dt.datetime
    served: dt.datetime | None
    reason: str


@dataclass(frozen=True)
class Guest:
    """One guest-book entry: when the visitor arrived, the service chosen, and the answers."""

    day: dt.date
    arrived: dt.datetime
    service: str
    sex: str
    age_band: str
    occupation: str
    education: str


@dataclass
class Request:
    """One softcopy request as stored."""

    number: str
    submitted: dt.datetime
    due: dt.datetime
    status: RequestStatus
    answered: dt.datetime | None
    reason: str | None
    at_terminal: bool
    publication_id: int


@dataclass
class Copy:
    """One ledger row."""

    channel: DeliveryChannel
    pages: int
    publication_id: int | None
    title: str
    at: dt.datetime


@dataclass
class Month:
    """Everything generated."""

    titles: dict[int, str]
    walk_ins: list[WalkIn] = field(default_factory=list)
    guests: list[Guest] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    downloads: list[tuple[str, int, dt.datetime]] = field(default_factory=list)  # request, publication, when
    searches: Counter[tuple[dt.date, str]] = field(default_factory=Counter)  # counted ones
    surveys: list[tuple[str, dt.date, dict[str, int]]] = field(default_factory=list)  # service, day, scores
    invited: list[tuple[str, dt.datetime]] = field(default_factory=list)  # a service given: rated or not
    complaints: list[Filed] = field(default_factory=list)
    counter_consultations: list[CounterConsultation] = field(default_factory=list)
    online_consultations: list[OnlineConsultation] = field(default_factory=list)
