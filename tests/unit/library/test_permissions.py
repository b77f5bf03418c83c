"""Who may do what: a table per permission, from nobody signed in to the command line."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import sessionmaker

from library.catalogue.read_access import may_read_online, read_refusal
from library.errors import NotAllowed
from library.models import AccessLevel, Role, User
from library.permissions import (
    SYSTEM,
    Actor,
    may_decide_requests,
    may_deliver,
    may_download_copy,
    may_give_staff_roles,
    may_ingest,
    may_manage_holdings,
    may_manage_users,
    may_read_ledger,
    may_see_request,
    require_signed_in,
    stored,
)
from library.uow import UnitOfWork

EMBARGO = dt.date(2027, 1, 15)
OPEN, REGISTERED, RESTRICTED, EMBARGOED = (
    AccessLevel.OPEN,
    AccessLevel.REGISTERED,
    AccessLevel.RESTRICTED,
    AccessLevel.EMBARGOED,
)
ROLES = {
    "reader": {Role.READER},
    "unverified reader": {Role.READER},
    "front office": {Role.FRONT_OFFICE},
    "librarian": {Role.LIBRARIAN},
    "consultant": {Role.CONSULTANT},
    "admin": {Role.ADMIN},
    "deactivated librarian": {Role.LIBRARIAN},
    "deactivated admin": {Role.ADMIN},
}
KINDS = ("anonymous", *ROLES, "system")
OWNER_ID = 7


def actor(kind: str, user_id: int = 1) -> Actor | None:
    """Return an unsaved actor of a kind named in the tables below."""
    if kind == "anonymous":
        return None
    if kind == "system":
        return SYSTEM
    user = User(
        id=user_id,
        name="Siti Aminah",
        email="siti.aminah@gmail.com",
        email_verified=kind != "unverified reader",
        active=not kind.startswith("deactivated"),
    )
    user.set_roles(frozenset(ROLES[kind]))
    return user


def table(*allowed: str) -> list[tuple[str, bool]]:
    """Return every kind of actor with whether it is among those allowed."""
    assert set(allowed) <= set(KINDS)
    return [(kind, kind in allowed) for kind in KINDS]


@pytest.mark.parametrize(("kind", "allowed"), table("librarian", "admin", "system"))
def test_librarians_and_the_system_may_ingest(kind: str, allowed: bool) -> None:
    assert may_ingest(actor(kind)) is allowed


@pytest.mark.parametrize(("kind", "allowed"), table("librarian", "admin", "system"))
def test_librarians_and_the_system_may_deliver_stamped_copies(kind: str, allowed: bool) -> None:
    assert may_deliver(actor(kind)) is allowed


@pytest.mark.parametrize(("kind", "allowed"), table("librarian", "admin"))
def test_only_active_librarians_may_decide_on_softcopy_requests(kind: str, allowed: bool) -> None:
    assert may_decide_requests(actor(kind)) is allowed


@pytest.mark.parametrize(("kind", "allowed"), table("librarian", "admin"))
def test_only_active_librarians_may_read_the_delivery_ledger(kind: str, allowed: bool) -> None:
    assert may_read_ledger(actor(kind)) is allowed


@pytest.mark.parametrize(("kind", "allowed"), table("librarian", "admin"))
def test_only_active_librarians_may_change_printed_holdings(kind: str, allowed: bool) -> None:
    assert may_manage_holdings(actor(kind)) is allowed


@pytest.mark.parametrize(("kind", "allowed"), table("admin"))
def test_only_active_administrators_may_manage_accounts(kind: str, allowed: bool) -> None:
    assert may_manage_users(actor(kind)) is allowed


@pytest.mark.parametrize(("kind", "allowed"), table("admin", "system"))
def test_administrators_and_the_system_may_give_staff_roles(kind: str, allowed: bool) -> None:
    assert may_give_staff_roles(actor(kind)) is allowed


@pytest.mark.parametrize(("kind", "allowed"), [*table("librarian", "admin"), ("owner", True)])
def test_a_request_is_seen_by_the_person_who_made_it_and_by_librarians(kind: str, allowed: bool) -> None:
    who = actor("reader", user_id=OWNER_ID) if kind == "owner" else actor(kind)
    assert may_see_request(who, OWNER_ID) is allowed


@pytest.mark.parametrize(("kind", "allowed"), [*table(), ("owner", True), ("deactivated owner", False)])
def test_only_the_person_who_asked_may_download_the_softcopy(kind: str, allowed: bool) -> None:
    if kind.endswith("owner"):
        who = actor("reader", user_id=OWNER_ID)
        assert isinstance(who, User)
        who.active = kind == "owner"
    else:
        who = actor(kind)
    assert may_download_copy(who, OWNER_ID) is allowed


@pytest.mark.parametrize(
    ("level", "kind"),
    [
        (OPEN, "reader"),
        (OPEN, "unverified reader"),
        (OPEN, "librarian"),
        (REGISTERED, "reader"),
        (REGISTERED, "librarian"),
        (REGISTERED, "front office"),
        (REGISTERED, "consultant"),
        (RESTRICTED, "librarian"),
        (RESTRICTED, "admin"),
        (EMBARGOED, "librarian"),
        (EMBARGOED, "admin"),
        (OPEN, "anonymous"),  # an open publication is read by anyone, signed in or not
        (OPEN, "system"),
        (OPEN, "deactivated librarian"),
    ],
)
def test_these_people_may_read_at_these_access_levels(level: AccessLevel, kind: str) -> None:
    embargo = EMBARGO if level is EMBARGOED else None
    assert read_refusal(actor(kind), level, embargo) is None
    assert may_read_online(actor(kind), level, embargo)


@pytest.mark.parametrize(
    ("level", "kind", "reason"),
    [
        (REGISTERED, "anonymous", "Sign in to read"),
        (RESTRICTED, "anonymous", "Sign in to read"),
        (EMBARGOED, "anonymous", "Sign in to read"),
        (REGISTERED, "system", "Sign in to read"),
        (REGISTERED, "deactivated librarian", "Sign in to read"),
        (RESTRICTED, "deactivated admin", "Sign in to read"),
        (REGISTERED, "unverified reader", "Verify your email address"),
        (RESTRICTED, "reader", "Ask the library for a softcopy instead"),
        (RESTRICTED, "front office", "Ask the library for a softcopy instead"),
        (RESTRICTED, "consultant", "Ask the library for a softcopy instead"),
        (EMBARGOED, "reader", "under embargo until"),
        (EMBARGOED, "front office", "under embargo until"),
    ],
)
def test_these_people_are_refused_reading_with_a_reason_they_can_act_on(
    level: AccessLevel, kind: str, reason: str
) -> None:
    embargo = EMBARGO if level is EMBARGOED else None
    refusal = read_refusal(actor(kind), level, embargo)
    assert isinstance(refusal, NotAllowed)
    assert reason in str(refusal)
    assert not may_read_online(actor(kind), level, embargo)


def test_an_embargo_refusal_names_the_release_date() -> None:
    refusal = read_refusal(actor("reader"), EMBARGOED, EMBARGO)
    assert refusal is not None and refusal.params == {"date": EMBARGO}
    assert "2027-01-15" in str(refusal)


def unopened() -> UnitOfWork:
    """Return a unit of work that fails if anything asks it for the database."""
    return UnitOfWork(sessionmaker())


def test_the_system_and_nobody_are_taken_as_they_are_without_asking_the_database() -> None:
    assert stored(unopened(), SYSTEM) is SYSTEM
    assert stored(unopened(), None) is None


def test_a_person_never_stored_is_nobody() -> None:
    assert stored(unopened(), User(name="Siti Aminah", email="siti.aminah@gmail.com")) is None


@pytest.mark.parametrize("kind", ["anonymous", "system"])
def test_nobody_and_the_system_are_not_signed_in_people(kind: str) -> None:
    with pytest.raises(NotAllowed, match="Sign in to see your requests"):
        require_signed_in(unopened(), actor(kind), "Sign in to see your requests.")
