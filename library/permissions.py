"""Who may do what: one small question per use case, asked of the actor as the database holds them now.

An actor is a person (`User`), the installation itself (`SYSTEM`: the command line and the
background jobs) or None (nobody is signed in). The `may_…` questions judge an actor as given;
the `require_…` checks, which the use cases call, first read the person again from the
database, so a role taken away or an account deactivated counts from the next call on, even
for someone whose session still holds the old row. The web's `@role_required` is only a first
gate in front of these. The person behind a web request is read once for it by
`library.accounts.person_reads`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias, TypeGuard

from sqlalchemy.orm import joinedload

from library.errors import NotAllowed
from library.i18n import N_
from library.models import Role, User
from library.uow import UnitOfWork


@dataclass(frozen=True)
class SystemActor:
    """The installation acting on its own: the command line and background jobs, never a person."""


SYSTEM = SystemActor()
Actor: TypeAlias = User | SystemActor

PLEASE_SIGN_IN = N_("Please sign in first.")
ONLY_LIBRARIANS = N_("Only librarians can do this.")
ONLY_LIBRARIANS_READ_THE_LEDGER = N_("Only librarians may read the delivery ledger.")
ONLY_ADMINS_MANAGE_ACCOUNTS = N_("Only an administrator can manage accounts.")
ONLY_ADMINS_GIVE_STAFF_ROLES = N_("Only an administrator can give staff roles.")
ONLY_QUEUE_STAFF = N_("Only front-office staff and the service's own staff can work this queue.")
# The staff role that works a walk-in queue besides the front office (by queue service code).
QUEUE_ROLES = {"library": Role.LIBRARIAN, "consultation": Role.CONSULTANT}
ONLY_FRONT_OFFICE_LENDS_LOCKERS = N_("Only front-office staff can give out lockers and hold ID cards.")
ONLY_ADMINS_EDIT_LOCKERS = N_("Only an administrator can edit the lockers.")
ONLY_ADMINS_MANAGE_TERMINALS = N_("Only an administrator can register library terminals.")
ONLY_READING_ROOM_STAFF = N_("Only front-office staff and librarians count the copies read here.")
ONLY_LIBRARIANS_SCAN = N_("Only librarians can scan printed pages for visitors.")
ONLY_CONSULTANTS = N_("Only consultants can work on consultations.")
ONLY_OFFICE_HEAD_HIDES_TERMS = N_("Only the office head can hide search terms from the report.")
ONLY_COMPLAINT_STAFF = N_(
    "Only front-office staff, the office head and administrators can handle complaints."
)
# Who receives and answers complaints: the front office holds the box, the head answers for the office.
COMPLAINT_ROLES = (Role.FRONT_OFFICE, Role.OFFICE_HEAD)


def is_person(actor: Actor | None) -> TypeGuard[User]:
    """Tell whether the actor is a person whose account is active."""
    return isinstance(actor, User) and bool(actor.active)


def _holds(actor: Actor | None, role: Role) -> bool:
    """Tell whether the actor is an active person holding the role (admins hold every role)."""
    return is_person(actor) and actor.has_role(role)


def may_ingest(actor: Actor | None) -> bool:
    """Tell whether the actor may take files in or retry an ingest: librarians and the system."""
    return isinstance(actor, SystemActor) or _holds(actor, Role.LIBRARIAN)


def may_deliver(actor: Actor | None) -> bool:
    """Tell whether the actor may stamp a copy for someone and record it: librarians and the system."""
    return isinstance(actor, SystemActor) or _holds(actor, Role.LIBRARIAN)


def may_decide_requests(actor: Actor | None) -> bool:
    """Tell whether the actor may see the queue of softcopy requests and approve or refuse them."""
    return _holds(actor, Role.LIBRARIAN)


def may_manage_holdings(actor: Actor | None) -> bool:
    """Tell whether the actor may record, change and remove a publication's printed holdings."""
    return _holds(actor, Role.LIBRARIAN)


def may_count_use(actor: Actor | None) -> bool:
    """Tell whether the actor may count the printed copies read in the reading room."""
    return _holds(actor, Role.LIBRARIAN) or _holds(actor, Role.FRONT_OFFICE)


def may_edit_publications(actor: Actor | None) -> bool:
    """Tell whether the actor may edit, withdraw and restore publications, and see withdrawn ones."""
    return _holds(actor, Role.LIBRARIAN)


def may_read_ledger(actor: Actor | None) -> bool:
    """Tell whether the actor may search and export the delivery ledger."""
    return _holds(actor, Role.LIBRARIAN)


def may_search_closed_text(actor: Actor | None) -> bool:
    """Tell whether the actor may search the text of restricted and embargoed publications: librarians."""
    return _holds(actor, Role.LIBRARIAN)


def may_manage_users(actor: Actor | None) -> bool:
    """Tell whether the actor may list accounts, change staff roles and deactivate accounts."""
    return _holds(actor, Role.ADMIN)


def may_manage_terminals(actor: Actor | None) -> bool:
    """Tell whether the actor may register, list and deactivate library terminals: administrators."""
    return _holds(actor, Role.ADMIN)


def may_give_staff_roles(actor: Actor | None) -> bool:
    """Tell whether the actor may create an account with staff roles: administrators and the system."""
    return isinstance(actor, SystemActor) or _holds(actor, Role.ADMIN)


def may_work_queue(actor: Actor | None, service_code: str) -> bool:
    """Tell whether the actor may call and serve a queue: front office, and the service's own staff."""
    if not is_person(actor):
        return False
    own = QUEUE_ROLES.get(service_code)
    return actor.has_role(Role.FRONT_OFFICE) or (own is not None and actor.has_role(own))


def may_use_counters(actor: Actor | None) -> bool:
    """Tell whether the actor works some queue at the counters: front office, librarians, consultants."""
    return is_person(actor) and (
        actor.has_role(Role.FRONT_OFFICE) or any(actor.has_role(role) for role in QUEUE_ROLES.values())
    )


def may_lend_lockers(actor: Actor | None) -> bool:
    """Tell whether the actor may give lockers, hold and give back ID cards, see visitors leave."""
    return _holds(actor, Role.FRONT_OFFICE)


def may_edit_lockers(actor: Actor | None) -> bool:
    """Tell whether the actor may add, rename, deactivate lockers: administrators and the system."""
    return isinstance(actor, SystemActor) or _holds(actor, Role.ADMIN)


def may_scan_for_visitors(actor: Actor | None) -> bool:
    """Tell whether the actor may scan pages for a visitor and hand over the copy: librarians, the system."""
    return isinstance(actor, SystemActor) or _holds(actor, Role.LIBRARIAN)


def may_read_reports(actor: Actor | None) -> bool:
    """Tell whether the actor may read the service reports: the office head, administrators, the system."""
    return isinstance(actor, SystemActor) or _holds(actor, Role.OFFICE_HEAD)


def may_see_usage(actor: Actor | None, public: bool) -> bool:
    """Tell whether the actor may see a publication's usage: staff, or anyone if the office shows it."""
    return public or (is_person(actor) and actor.is_staff())


def may_see_request(actor: Actor | None, requester_id: int) -> bool:
    """Tell whether the actor may see a softcopy request: the person who made it, or a librarian."""
    return is_person(actor) and (actor.id == requester_id or actor.has_role(Role.LIBRARIAN))


def may_consult(actor: Actor | None) -> bool:
    """Tell whether the actor may see every consultation, assign, answer and close them: consultants."""
    return _holds(actor, Role.CONSULTANT)


def may_handle_complaints(actor: Actor | None) -> bool:
    """Tell whether the actor may enter, see, classify and answer complaints: front office, head, admins."""
    return is_person(actor) and any(actor.has_role(role) for role in COMPLAINT_ROLES)


def may_see_consultation(actor: Actor | None, owner_id: int | None) -> bool:
    """Tell whether the actor may see a consultation: the person who opened it, or a consultant."""
    return is_person(actor) and (actor.id == owner_id or actor.has_role(Role.CONSULTANT))


def may_download_copy(actor: Actor | None, requester_id: int) -> bool:
    """Tell whether the actor may download a request's softcopy: only the person who asked for it."""
    return is_person(actor) and actor.id == requester_id


def stored(uow: UnitOfWork, actor: Actor | None, *, lock: bool = False) -> Actor | None:
    """Return the actor as the database holds them now (None for nobody, or a person never stored).

    `lock` keeps the person's row locked for the rest of the transaction.
    """
    if actor is None or isinstance(actor, SystemActor):
        return actor
    if actor.id is None:
        return None
    if lock:
        return uow.session.get(User, actor.id, populate_existing=True, with_for_update=True)
    # Its roles in the same query (one round trip, not two): staff pages read it on each request.
    return uow.session.get(User, actor.id, populate_existing=True, options=[joinedload(User.role_rows)])


def require(
    uow: UnitOfWork, actor: Actor | None, may: Callable[[Actor | None], bool], message: str, **params: object
) -> Actor:
    """Return the actor as stored now if `may` allows them; raise NotAllowed with the message if not."""
    fresh = stored(uow, actor)
    if fresh is None or not may(fresh):
        raise NotAllowed(message, **params)
    return fresh


def require_signed_in(
    uow: UnitOfWork, actor: Actor | None, message: str = PLEASE_SIGN_IN, *, lock: bool = False
) -> User:
    """Return the signed-in person as stored now; refuse nobody, the system and deactivated accounts."""
    fresh = stored(uow, actor, lock=lock)
    if not is_person(fresh):
        raise NotAllowed(message)
    return fresh


def require_ingest(uow: UnitOfWork, actor: Actor | None) -> Actor:
    """Return the actor as stored now if they may take files in; refuse anyone else."""
    return require(uow, actor, may_ingest, ONLY_LIBRARIANS)


def require_deliver(uow: UnitOfWork, actor: Actor | None) -> Actor:
    """Return the actor as stored now if they may deliver stamped copies; refuse anyone else."""
    return require(uow, actor, may_deliver, ONLY_LIBRARIANS)


def require_decide_requests(uow: UnitOfWork, actor: Actor | None) -> User:
    """Return the librarian as stored now if they may decide on softcopy requests; refuse anyone else."""
    return _require_person(uow, actor, may_decide_requests, ONLY_LIBRARIANS)


def require_manage_holdings(uow: UnitOfWork, actor: Actor | None) -> User:
    """Return the librarian as stored now if they may manage printed holdings; refuse anyone else."""
    return _require_person(uow, actor, may_manage_holdings, ONLY_LIBRARIANS)


def require_count_use(uow: UnitOfWork, actor: Actor | None) -> User:
    """Return the person as stored now if they may count copies read in the reading room; else refuse."""
    return _require_person(uow, actor, may_count_use, ONLY_READING_ROOM_STAFF)


def require_edit_publications(uow: UnitOfWork, actor: Actor | None) -> User:
    """Return the librarian as stored now if they may edit publications; refuse anyone else."""
    return _require_person(uow, actor, may_edit_publications, ONLY_LIBRARIANS)


def require_read_ledger(uow: UnitOfWork, actor: Actor | None) -> User:
    """Return the librarian as stored now if they may read the delivery ledger; refuse anyone else."""
    return _require_person(uow, actor, may_read_ledger, ONLY_LIBRARIANS_READ_THE_LEDGER)


def require_manage_users(uow: UnitOfWork, actor: Actor | None) -> User:
    """Return the administrator as stored now if they may manage accounts; refuse anyone else."""
    return _require_person(uow, actor, may_manage_users, ONLY_ADMINS_MANAGE_ACCOUNTS)


def require_edit_reports(uow: UnitOfWork, actor: Actor | None) -> Actor:
    """Return the office head (an admin, the system) as stored now, who may hide terms from the report."""
    return require(uow, actor, may_read_reports, ONLY_OFFICE_HEAD_HIDES_TERMS)


def require_manage_terminals(uow: UnitOfWork, actor: Actor | None) -> User:
    """Return the administrator as stored now if they may manage terminals; refuse anyone else."""
    return _require_person(uow, actor, may_manage_terminals, ONLY_ADMINS_MANAGE_TERMINALS)


def require_give_staff_roles(uow: UnitOfWork, actor: Actor | None) -> Actor:
    """Return the actor as stored now if they may give staff roles; refuse anyone else."""
    return require(uow, actor, may_give_staff_roles, ONLY_ADMINS_GIVE_STAFF_ROLES)


def require_work_queue(uow: UnitOfWork, actor: Actor | None, service_code: str) -> User:
    """Return the staff member as stored now if they may work the service's queue; refuse anyone else."""
    fresh = stored(uow, actor)
    if not is_person(fresh) or not may_work_queue(fresh, service_code):
        raise NotAllowed(ONLY_QUEUE_STAFF)
    return fresh


def require_lend_lockers(uow: UnitOfWork, actor: Actor | None) -> User:
    """Return the front-office person as stored now if they may lend lockers; refuse anyone else."""
    return _require_person(uow, actor, may_lend_lockers, ONLY_FRONT_OFFICE_LENDS_LOCKERS)


def require_edit_lockers(uow: UnitOfWork, actor: Actor | None) -> Actor:
    """Return the actor as stored now if they may edit the lockers; refuse anyone else."""
    return require(uow, actor, may_edit_lockers, ONLY_ADMINS_EDIT_LOCKERS)


def require_scan_for_visitors(uow: UnitOfWork, actor: Actor | None) -> Actor:
    """Return the actor as stored now if they may scan for visitors (the hot folder acts as the system)."""
    return require(uow, actor, may_scan_for_visitors, ONLY_LIBRARIANS_SCAN)


def require_consult(uow: UnitOfWork, actor: Actor | None) -> User:
    """Return the consultant as stored now if they may work on consultations; refuse anyone else."""
    return _require_person(uow, actor, may_consult, ONLY_CONSULTANTS)


def require_complaint_staff(uow: UnitOfWork, actor: Actor | None) -> User:
    """Return the member of staff as stored now if they may handle complaints; refuse anyone else."""
    return _require_person(uow, actor, may_handle_complaints, ONLY_COMPLAINT_STAFF)


def _require_person(
    uow: UnitOfWork, actor: Actor | None, may: Callable[[Actor | None], bool], message: str
) -> User:
    """Return the person as stored now if `may` allows them; refuse anyone else, the system included."""
    fresh = require(uow, actor, may, message)
    if not is_person(fresh):
        raise NotAllowed(message)
    return fresh
