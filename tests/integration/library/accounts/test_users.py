"""Accounts are created with validated emails and roles; staff roles need an administrator."""

from __future__ import annotations

import pytest

from library.accounts.passwords import check_password
from library.accounts.users import check_create_user, parse_roles
from library.errors import InvalidInput, NotAllowed
from library.models import Role, User, UserRole
from library.models.base import utcnow
from library.permissions import SYSTEM
from library.uow import UnitOfWork


def test_a_new_account_is_stored_with_a_normalised_email_and_its_roles(uow: UnitOfWork) -> None:
    with uow:
        created = check_create_user(
            uow,
            SYSTEM,
            email="  Siti.Aminah@Example.ID ",
            name=" Siti   Aminah ",
            roles={Role.LIBRARIAN, Role.CONSULTANT},
            password="rahasia-sekali",
            now=utcnow(),
        )
        uow.commit()
    with uow:
        user = uow.session.get(User, created.id)
        assert user is not None
        assert (user.email, user.name) == ("siti.aminah@example.id", "Siti Aminah")
        assert user.roles == {Role.LIBRARIAN, Role.CONSULTANT}
        assert check_password(user.password_hash, "rahasia-sekali")


def test_the_same_email_in_other_case_is_refused(uow: UnitOfWork) -> None:
    with uow:
        check_create_user(uow, None, email="a@example.id", name="A", now=utcnow())
        uow.commit()
        with pytest.raises(InvalidInput, match="already exists"):
            check_create_user(uow, None, email="A@EXAMPLE.ID", name="B", now=utcnow())


@pytest.mark.parametrize(
    ("email", "name", "password", "message"),
    [
        ("not-an-email", "A", None, "is not an email address"),
        ("a@example.id", "   ", None, "A name is required"),
        ("a@example.id", "A", "short", "at least 10 characters"),
    ],
)
def test_bad_account_details_are_refused(
    uow: UnitOfWork, email: str, name: str, password, message: str
) -> None:
    with uow, pytest.raises(InvalidInput, match=message):
        check_create_user(uow, None, email=email, name=name, password=password, now=utcnow())


def test_a_reader_cannot_give_staff_roles(uow: UnitOfWork) -> None:
    with uow:
        reader = uow.session.get(
            User, check_create_user(uow, None, email="r@example.id", name="R", now=utcnow()).id
        )
        uow.commit()
    with uow, pytest.raises(NotAllowed, match="Only an administrator"):
        check_create_user(uow, reader, email="x@example.id", name="X", roles={Role.LIBRARIAN}, now=utcnow())


def test_nobody_signed_in_cannot_give_staff_roles(uow: UnitOfWork) -> None:
    with uow, pytest.raises(NotAllowed, match="Only an administrator"):
        check_create_user(uow, None, email="x@example.id", name="X", roles={Role.LIBRARIAN}, now=utcnow())


def test_an_admin_holds_every_role() -> None:
    admin = User(email="a@example.id", name="A", role_rows=[UserRole(role="admin")])
    assert admin.has_role(Role.LIBRARIAN) and admin.has_role(Role.FRONT_OFFICE)


def test_unknown_role_names_are_refused_with_the_choices() -> None:
    with pytest.raises(InvalidInput, match="choose from reader, front_office"):
        parse_roles(["librarian", "wizard"])
