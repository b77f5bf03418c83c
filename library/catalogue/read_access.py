"""Who may read a publication online, and at a library terminal: the refusals that say why not."""

from __future__ import annotations

import datetime as dt

from library.errors import NotAllowed
from library.i18n import N_
from library.models import AccessLevel, Role, User
from library.permissions import Actor, is_person, stored
from library.uow import UnitOfWork

SIGN_IN_TO_READ = N_("Sign in to read this publication.")

# What each access level allows, as the publication page says it under the level's badge.
LEVEL_ALLOWS = {
    AccessLevel.OPEN: N_(
        "Open: anyone may read it here, signed in or not; a softcopy needs an account with a verified email."
    ),
    AccessLevel.REGISTERED: N_(
        "Registered users: read it here with an account whose email is verified, or at a library "
        "terminal; a softcopy needs a verified account too."
    ),
    AccessLevel.EMBARGOED: N_(
        "Embargoed: nobody reads it until the embargo ends, then anyone may; a softcopy asked for now "
        "with a verified account is sent on that day."
    ),
    AccessLevel.RESTRICTED: N_(
        "Restricted: it is not read online; a softcopy may be asked for with a verified account, "
        "and a librarian decides."
    ),
}


def what_level_allows(level: AccessLevel) -> str:
    """Return the message (untranslated) saying who may read and who may take a copy at this level."""
    return LEVEL_ALLOWS[level]


def read_refusal(actor: Actor | None, level: AccessLevel, embargo_until: dt.date | None) -> NotAllowed | None:
    """Return why the actor may not read a publication online at this access level, or None.

    An open publication is read by anyone, signed in or not; every other level needs an account.
    """
    if level is AccessLevel.OPEN:
        return None
    if not is_person(actor):
        return NotAllowed(SIGN_IN_TO_READ)
    if actor.has_role(Role.LIBRARIAN):
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
) -> User | None:
    """Return the reader as stored now if they may read at this access level; refuse them saying why not.

    None: nobody is signed in, and the publication is open (anyone reads it).
    """
    fresh = stored(uow, actor)
    refusal = read_refusal(fresh, level, embargo_until)
    if refusal is not None:
        raise refusal
    return fresh if is_person(fresh) else None
