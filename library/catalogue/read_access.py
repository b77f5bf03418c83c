"""Who may read a publication online, and at a library terminal: the refusals that say why not."""

from __future__ import annotations

import datetime as dt

from library.errors import NotAllowed
from library.i18n import N_
from library.models import AccessLevel, Role, User
from library.permissions import Actor, is_person, stored
from library.uow import UnitOfWork

SIGN_IN_TO_READ = N_("Sign in to read this publication.")


def read_refusal(actor: Actor | None, level: AccessLevel, embargo_until: dt.date | None) -> NotAllowed | None:
    """Return why the actor may not read a publication online at this access level, or None."""
    if not is_person(actor):
        return NotAllowed(SIGN_IN_TO_READ)
    if level is AccessLevel.OPEN or actor.has_role(Role.LIBRARIAN):
        return None
    if level is AccessLevel.REGISTERED:
        if actor.email_verified:
            return None
        return NotAllowed(
            N_(
                "Verify your email address to read this publication: "
                "open the link we sent you, or ask for it again."
            )
        )
    return _closed_refusal(level, embargo_until)


def terminal_read_refusal(level: AccessLevel, embargo_until: dt.date | None) -> NotAllowed | None:
    """Return why a visitor at a library terminal may not read at this access level, or None.

    The front office knows the visitor from the guest book (and holds their ID card), so open
    and registered items are read there, with or without a verified email.
    """
    if level in (AccessLevel.OPEN, AccessLevel.REGISTERED):
        return None
    return _closed_refusal(level, embargo_until)


def _closed_refusal(level: AccessLevel, embargo_until: dt.date | None) -> NotAllowed:
    """Return the refusal of an embargoed or restricted item."""
    if level is AccessLevel.EMBARGOED and embargo_until is not None:
        return NotAllowed(
            N_("This publication is under embargo until %(date)s; it can be read from that day."),
            date=embargo_until,
        )
    return NotAllowed(
        N_(
            "This publication is restricted: it cannot be read online. Ask the library for a softcopy "
            "instead; a librarian will consider your request."
        )
    )


def may_read_online(actor: Actor | None, level: AccessLevel, embargo_until: dt.date | None) -> bool:
    """Tell whether the actor may read a publication of this access level in the browser."""
    return read_refusal(actor, level, embargo_until) is None


def require_read_online(
    uow: UnitOfWork, actor: Actor | None, level: AccessLevel, embargo_until: dt.date | None
) -> User:
    """Return the reader as stored now if they may read at this access level; refuse them saying why not."""
    fresh = stored(uow, actor)
    refusal = read_refusal(fresh, level, embargo_until)
    if refusal is not None:
        raise refusal
    if not is_person(fresh):  # read_refusal has refused everyone else already
        raise NotAllowed(SIGN_IN_TO_READ)
    return fresh
