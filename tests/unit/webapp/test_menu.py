"""The main menu follows the permission rules: who sees which link, and which link is current."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from library.models import Role, User
from webapp.menu import menu_for


def person(*roles: Role) -> User:
    """Return an active person (not stored) holding the roles."""
    user = User(email="staf@bps.go.id", name="Staf", active=True)
    user.set_roles(frozenset(roles))
    return user


def request_at(path: str, endpoint: str) -> SimpleNamespace:
    """Return what the menu reads of a request: its path, endpoint and blueprint."""
    return SimpleNamespace(path=path, endpoint=endpoint, blueprint=endpoint.split(".")[0])


def labels(actor: User | None, path: str = "/", endpoint: str = "home.index") -> list[str]:
    return [link.label for link in menu_for(actor, request_at(path, endpoint))]  # type: ignore[arg-type]


PUBLIC = ["Home", "Catalogue", "Search", "Consultation"]


@pytest.mark.parametrize(
    ("roles", "staff_links"),
    [
        ((), []),
        ((Role.LIBRARIAN,), ["Librarian's desk", "Counters", "Reading room"]),
        ((Role.CONSULTANT,), ["Counters", "Consultations desk"]),
        ((Role.FRONT_OFFICE,), ["Counters", "Lockers", "Reading room", "Complaints"]),
        ((Role.OFFICE_HEAD,), ["Complaints", "Reports", "Right now"]),
    ],
)
def test_each_role_sees_the_links_its_rules_allow(roles, staff_links) -> None:
    assert labels(person(*roles)) == PUBLIC + staff_links


def test_nobody_signed_in_sees_only_the_public_links() -> None:
    assert labels(None) == PUBLIC


def test_an_administrator_sees_every_link() -> None:
    assert len(labels(person(Role.ADMIN))) == 13


def test_an_inactive_account_sees_no_staff_link() -> None:
    user = person(Role.LIBRARIAN)
    user.active = False
    assert labels(user) == PUBLIC


def test_the_closest_match_is_the_one_current_page() -> None:
    links = menu_for(person(Role.ADMIN), request_at("/meja/konsultasi/K-1", "consultation.case"))  # type: ignore[arg-type]
    assert [link.label for link in links if link.current] == ["Consultations desk"]
    links = menu_for(person(Role.ADMIN), request_at("/meja/unggah", "desk.upload"))  # type: ignore[arg-type]
    assert [link.label for link in links if link.current] == ["Librarian's desk"]
    links = menu_for(None, request_at("/cari/", "search.index"))  # type: ignore[arg-type]
    assert [link.label for link in links if link.current] == ["Search"]
    assert not any(link.current for link in menu_for(None, request_at("/masuk", "accounts.login")))  # type: ignore[arg-type]
