"""The usage figures kept up: whole office days counted into `usage_day`, old raw events pruned.

Every job process runs it with the hourly housekeeping (`Jobs.keep_house`), and `pustaka usage
count` on demand. Two processes counting the same days at once: the second one's insert meets
the first one's rows and is rolled back (logged, no harm: the days are counted).
"""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import AbstractContextManager
from typing import NamedTuple, Protocol

from sqlalchemy.exc import IntegrityError

from library.uow import UnitOfWork
from library.usage.figures import Clock, do_count_usage, do_prune_events

log = logging.getLogger(__name__)


class UsageServices(Protocol):
    """What the upkeep asks of the runtime."""

    def transaction(self) -> AbstractContextManager[UnitOfWork]: ...
    def today(self) -> dt.date: ...
    def timezone(self) -> str: ...


class UsageUpkeep(NamedTuple):
    """What one round did: figures stored (publication-days) and raw events pruned."""

    counted: int
    pruned: int


def keep_usage(rt: UsageServices, months: int) -> UsageUpkeep:
    """Count every whole office day not counted yet, then prune raw events of counted days past `months`."""
    clock = Clock(rt.timezone())
    yesterday = rt.today() - dt.timedelta(days=1)
    try:
        with rt.transaction() as uow:
            counted = do_count_usage(uow, clock, yesterday)
    except IntegrityError:
        log.info("Usage: another process counted the same days first.")
        counted = 0
    with rt.transaction() as uow:
        pruned = do_prune_events(uow, clock, rt.today(), months)
    if counted or pruned:
        log.info(
            "Usage: %s publication-days counted, %s raw events older than %s months pruned.",
            counted,
            pruned,
            months,
        )
    return UsageUpkeep(counted, pruned)
