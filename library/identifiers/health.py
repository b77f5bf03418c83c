"""What `pustaka check` says about identifiers: the prefix, its counter, publications without one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from library.models import IdentifierCounter, Publication
from library.uow import UnitOfWork


@dataclass(frozen=True)
class IdentifierState:
    """The identifiers of one prefix as the database holds them."""

    prefix: str
    last_given: int  # the counter (0: none yet)
    highest_held: int  # the highest number a publication holds under the prefix
    without: int  # publications with no identifier at all

    @property
    def counter_behind(self) -> bool:
        """Tell whether the counter would give a number a publication already holds (a new one would fail)."""
        return self.last_given < self.highest_held and self.last_given > 0


def identifier_state(uow: UnitOfWork, prefix: str) -> IdentifierState:
    """Read the counter of a prefix, the highest number held under it and the publications without one."""
    counter = uow.session.get(IdentifierCounter, prefix)
    held = uow.session.scalars(
        select(Publication.identifier).where(Publication.identifier.like(f"{prefix}/%"))
    )
    numbers = [int(n) for i in held if (n := (i or "").partition("/")[2]).isdigit()]
    without = uow.session.scalar(select(func.count()).where(Publication.identifier.is_(None))) or 0
    return IdentifierState(prefix, counter.last_number if counter else 0, max(numbers, default=0), without)
