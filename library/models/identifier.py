"""Persistent identifiers: the counter each prefix numbers its publications by, and the minting.

A publication is given "<prefix>/<number>" when it is first inserted, draft or not (reviewers
cite a draft too); the number comes from `identifier_counter`, never from the row's id, so a
deleted draft's number is never given again and a move or renumbering changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, String, event, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column, object_session

from library.db import changed_rows
from library.models.base import Base
from library.models.publication import Publication

# Where a unit of work's session keeps the prefix to mint with (the runtime puts the setting there).
PREFIX_KEY = "pustaka.pid_prefix"
DEFAULT_PREFIX = "bps1872"
PREFIX_PATTERN = re.compile(r"[a-z0-9][a-z0-9.-]{0,39}")


class IdentifierCounter(Base):
    """The last number a prefix gave a publication."""

    __tablename__ = "identifier_counter"

    prefix: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_number: Mapped[int]


def next_number(conn: Connection, prefix: str) -> int:
    """Take the next number of a prefix (past any identifier already holding that prefix)."""
    counter = IdentifierCounter
    raised = conn.execute(
        update(counter).where(counter.prefix == prefix).values(last_number=counter.last_number + 1)
    )
    if changed_rows(raised) == 0:
        taken = conn.scalars(
            select(Publication.identifier).where(Publication.identifier.like(f"{prefix}/%"))
        ).all()
        highest = max((int(n) for i in taken if (n := (i or "").partition("/")[2]).isdigit()), default=0)
        conn.execute(insert(counter).values(prefix=prefix, last_number=highest + 1))
    return int(conn.scalar(select(counter.last_number).where(counter.prefix == prefix)) or 0)


@event.listens_for(Publication, "before_insert")
def _mint(mapper: Any, conn: Connection, publication: Publication) -> None:
    """Give a new publication its identifier, unless it arrives with one (a copy keeps its own)."""
    if publication.identifier:
        return
    session = object_session(publication)
    prefix = (session.info.get(PREFIX_KEY) if session is not None else None) or DEFAULT_PREFIX
    publication.identifier = f"{prefix}/{next_number(conn, prefix)}"
