"""Priority service: the groups a visitor may declare, and the rule that calls them first.

UU 25/2009 on public services (art. 29) obliges the office to give special treatment to the
elderly (60 and over), people with disabilities, pregnant women and visitors with small
children; the KemenPANRB evaluation checks for it. The office lists the groups it offers
(`PUSTAKA_PRIORITY_GROUPS`); a visitor declares one at the kiosk, staff mark or unmark it at the
console, and the ticket keeps the group's code (`Ticket.priority`). In public (the board, the
printed ticket) a priority ticket shows only "Prioritas", never its group.

The calling rule (`call_order`), at each "Call next" of a counter:

1. With nobody waiting of one kind, the oldest ticket of the other kind is called.
2. The oldest *regular* ticket goes first when its clock is within `margin` of its target
   (`PUSTAKA_PRIORITY_MARGIN_MINUTES`): the promise made to every visitor is kept first.
3. The oldest regular ticket also goes first when this counter's last `streak` calls of the day
   (`PUSTAKA_PRIORITY_STREAK`) were all priority tickets.
4. Otherwise the oldest *priority* ticket is called.

"Oldest" is the lowest ticket number of the day. Nobody starves: at each counter a regular
ticket waits behind at most `streak` priority calls before one regular ticket is called, and a
regular ticket about to pass its target goes at the next call of any counter. Priority tickets
are never passed over for long either: at most one regular ticket goes between two runs of
`streak` priority calls. With the office's groups empty, every ticket is called in number order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from library.i18n import N_

PRIORITY_MARK = N_("Priority")  # all the public sees of a priority ticket
GROUP_LABELS = {
    "elderly": N_("Elderly (60 and over)"),
    "disability": N_("Person with a disability"),
    "pregnant": N_("Pregnant woman"),
    "toddler": N_("Visitor with a small child"),
}
ELDERLY_AGE_BAND = "over_65"  # the guest book's oldest age band: the kiosk ticks "elderly" for it


@dataclass(frozen=True)
class PriorityPolicy:
    """The office's priority groups and the two limits that keep regular visitors moving."""

    groups: tuple[str, ...] = tuple(GROUP_LABELS)
    streak: int = 2
    margin: dt.timedelta = dt.timedelta(minutes=2)

    @property
    def enabled(self) -> bool:
        """Tell whether the office offers priority service at all."""
        return bool(self.groups)


NO_PRIORITY = PriorityPolicy(groups=())


def priority_policy(groups: Sequence[str], streak: int, margin_minutes: int) -> PriorityPolicy:
    """Return the office's priority policy from its settings' values."""
    return PriorityPolicy(tuple(groups), streak, dt.timedelta(minutes=margin_minutes))


@dataclass(frozen=True)
class Waiting:
    """A waiting ticket, as the calling rule needs it."""

    id: int
    number: int
    priority: bool
    target_at: dt.datetime | None  # None: no target, or its clock has not started


def group_label(code: str) -> str:
    """Return the (untranslated) words for a priority group; a group the office dropped is "Priority"."""
    return GROUP_LABELS.get(code, PRIORITY_MARK)


def call_order(
    waiting: Sequence[Waiting], recent: Sequence[bool], policy: PriorityPolicy, now: dt.datetime
) -> list[int]:
    """Return the waiting tickets' ids in the order "Call next" tries them (the rule in the module's doc).

    `recent` holds whether each of this counter's calls of the day was a priority ticket, latest
    first. The first id is the one the rule calls; the others follow in number order, in case
    another counter takes it first.
    """
    ordered = sorted(waiting, key=lambda w: w.number)
    first = next_ticket(ordered, recent, policy, now)
    if first is None:
        return []
    return [first.id] + [w.id for w in ordered if w.id != first.id]


def next_ticket(
    ordered: Sequence[Waiting], recent: Sequence[bool], policy: PriorityPolicy, now: dt.datetime
) -> Waiting | None:
    """Return the ticket the rule calls next among waiting tickets in number order, or None."""
    priority = [w for w in ordered if w.priority] if policy.enabled else []
    regular = [w for w in ordered if not w.priority] if policy.enabled else list(ordered)
    if not priority or not regular:
        rest = priority or regular
        return rest[0] if rest else None
    oldest = regular[0]
    due = oldest.target_at is not None and now >= oldest.target_at - policy.margin
    streak = len(recent) >= policy.streak and all(recent[: policy.streak])
    return oldest if due or streak else priority[0]
