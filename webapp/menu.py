"""The main menu and the permission rules the templates ask: what a person sees is decided here.

Each staff link names the `library.permissions` rule that lets a person use what it opens, so
the menu never shows a link its page would refuse, and a rule changed in one place changes both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from flask import Flask, Request, has_app_context
from sqlalchemy.exc import SQLAlchemyError

from library import permissions
from library.errors import PustakaError
from library.i18n import N_
from library.operations.waiting import count_staff_waiting
from library.permissions import Actor
from webapp.current_runtime import current_runtime


@dataclass(frozen=True)
class MenuLink:
    """One link of the menu: its label (a message id), where it goes, who sees it, when it is current.

    `current` is the request's endpoint (with a dot), its blueprint (without), or a path prefix
    (starting with a slash): the link whose path prefix is longest wins over a shorter one.
    """

    label: str
    endpoint: str
    current: str
    shown_to: Callable[[Actor | None], bool] | None = None
    waiting: str = ""  # the part of `StaffWaiting` shown beside it as a count (work with a clock)


@dataclass(frozen=True)
class ShownLink:
    """A link as the template draws it."""

    label: str
    endpoint: str
    current: bool
    waiting: int = 0


MENU = (
    MenuLink(N_("Home"), "home.index", "home.index"),
    MenuLink(N_("Catalogue"), "catalogue.index", "catalogue"),
    MenuLink(N_("Search"), "search.index", "search"),
    MenuLink(N_("Consultation"), "consultation.new", "consultation.new"),
    MenuLink(N_("Librarian's desk"), "desk.index", "/meja/", permissions.may_ingest, "desk"),
    MenuLink(N_("Counters"), "queue.consoles", "queue", permissions.may_use_counters),
    MenuLink(N_("Lockers"), "lockers.console", "lockers", permissions.may_lend_lockers),
    MenuLink(N_("Reading room"), "desk.reading_room", "/meja/ruang-baca", permissions.may_count_use),
    MenuLink(
        N_("Consultations desk"),
        "consultation.desk",
        "/meja/konsultasi",
        permissions.may_consult,
        "consultations",
    ),
    MenuLink(
        N_("Complaints"),
        "complaints.desk",
        "/meja/pengaduan",
        permissions.may_handle_complaints,
        "complaints",
    ),
    MenuLink(N_("Reports"), "reports.index", "reports", permissions.may_read_reports),
    MenuLink(N_("Right now"), "operations.now", "operations", permissions.may_read_reports),
    MenuLink(N_("Admin"), "accounts_admin.users_list", "accounts_admin", permissions.may_manage_users),
)


def _matches(link: MenuLink, request: Request) -> int:
    """Return how closely the request matches the link: 0 not at all, more for a closer match."""
    if link.current.startswith("/"):
        return len(link.current) if request.path.startswith(link.current) else 0
    if "." in link.current:
        return 1000 if request.endpoint == link.current else 0
    return 1000 if request.blueprint == link.current else 0


def menu_for(actor: Actor | None, request: Request) -> list[ShownLink]:
    """Return the links this person may see, the one for the page they are on marked current."""
    links = [link for link in MENU if link.shown_to is None or link.shown_to(actor)]
    closeness = [_matches(link, request) for link in links]
    best = max(closeness, default=0)
    waiting = _waiting(links, actor)
    return [
        ShownLink(link.label, link.endpoint, best > 0 and here == best, waiting.get(link.endpoint, 0))
        for link, here in zip(links, closeness, strict=True)
    ]


def _waiting(links: list[MenuLink], actor: Actor | None) -> dict[str, int]:
    """Count the work waiting behind the staff's links, in one statement (nothing for others)."""
    counted = [link for link in links if link.waiting]
    if not counted:
        return {}
    if not has_app_context():
        return {}  # the menu drawn outside a request of the site (its rules' own checks)
    try:
        with current_runtime().uow() as uow:
            waiting = count_staff_waiting(uow, actor)
    except (SQLAlchemyError, PustakaError):
        return {}  # a menu without its counts beats a page that fails
    return {link.endpoint: getattr(waiting, link.waiting) for link in counted}


# The permission rules as the templates ask them: `may.edit_publications(actor)`.
MAY = SimpleNamespace(
    **{name.removeprefix("may_"): rule for name, rule in vars(permissions).items() if name.startswith("may_")}
)


def init_app(app: Flask) -> None:
    """Let the templates ask for the menu, `menu_for(actor, request)`, and the rules, `may.<rule>(actor)`."""
    app.jinja_env.globals["menu_for"] = menu_for
    app.jinja_env.globals["may"] = MAY
