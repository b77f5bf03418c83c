"""TEMPORARY stand-in for the core's types (library.consultation.channels), until the core lands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from library.models import ConsultationChannel


@dataclass(frozen=True)
class InboundFile:
    """A file received."""

    name: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Inbound:
    """A message received."""

    channel: ConsultationChannel
    external_id: str
    sender: str
    name: str
    text: str
    at: dt.datetime
    subject: str = ""
    refers_to: tuple[str, ...] = ()
    files: tuple[InboundFile, ...] = ()


def take_inbound(*args: object) -> object:
    """Stand-in."""
    raise NotImplementedError


def set_aside(*args: object) -> bool:
    """Stand-in."""
    raise NotImplementedError
