"""Administrators list people, give staff roles and deactivate accounts; nobody else can."""

from __future__ import annotations

import pytest

from library.accounts.users import (
    check_set_active,
    check_set_staff_roles,
    get_user,
    list_users,
)
from library.errors import InvalidInput, NotAllowed, NotFound
from library.models import Role, User
from library.uow import UnitOfWork
from tests.integration.library.accounts_helpers import stored_person


@pytest.fixture
def admin(uow: UnitOfWork) -> User:
    return stored_person(uow, "admin@bps.go.id", [Role.ADMIN], "Admin PST")


def test_the_list_shows_staff_first_then_by_name(uow, admin) -> None:
    stored_person(uow, "zaki@example.id", name="Zaki")
    stored_person(uow, "ani@example.id", name="Ani")
    stored_person(uow, "rina@bps.go.id", [Role.LIBRARIAN], "Rina")
    with uow:
        listing = list_users(uow, admin)
    assert [p.name for p in listing.items] == ["Admin PST", "Rina", "Ani", "Zaki"]
    assert listing.total == 4 and listing.pages == 1


def test_the_list_finds_words_in_names_and_emails_in_any_case(uow, admin) -> None:
    stored_person(uow, "budi@kampus.ac.id", name="Budi Santoso")
    stored_person(uow, "siti@example.id", name="Siti Aminah")
    stored_person(uow, "persen@example.id", name="Seratus 100%")
    with uow:
        assert [p.name for p in list_users(uow, admin, query="KAMPUS").items] == ["Budi Santoso"]
        assert [p.name for p in list_users(uow, admin, query=" aminah ").items] == ["Siti Aminah"]
        assert [p.name for p in list_users(uow, admin, query="100%").items] == ["Seratus 100%"]
        assert list_users(uow, admin, query="%").total == 1  # a wildcard is taken literally


def test_the_list_comes_a_page_at_a_time(uow, admin) -> None:
    for i in range(5):
        stored_person(uow, f"p{i}@example.id", name=f"Orang {i}")
    with uow:
        second = list_users(uow, admin, page=2, per_page=2)
        past_the_end = list_users(uow, admin, page=9, per_page=2)
    assert second.total == 6 and second.pages == 3 and len(second.items) == 2
    assert past_the_end.items == ()


def test_only_an_administrator_may_list_or_change(uow, admin) -> None:
    librarian = stored_person(uow, "rina@bps.go.id", [Role.LIBRARIAN], "Rina")
    with uow:
        for call in (
            lambda actor: list_users(uow, actor),
            lambda actor: get_user(uow, actor, admin.id),
            lambda actor: check_set_staff_roles(uow, actor, librarian.id, {Role.ADMIN}),
            lambda actor: check_set_active(uow, actor, admin.id, False),
        ):
            for actor in (librarian, None):
                with pytest.raises(NotAllowed):
                    call(actor)


def test_staff_roles_replace_the_old_ones_and_keep_the_reader_role(uow, admin) -> None:
    reader = stored_person(uow, "rina@example.id", name="Rina")
    with uow:
        check_set_staff_roles(uow, admin, reader.id, {Role.LIBRARIAN, Role.FRONT_OFFICE})
        uow.commit()
    with uow:
        summary = check_set_staff_roles(uow, admin, reader.id, {Role.CONSULTANT})
        uow.commit()
    assert summary.roles == {Role.READER, Role.CONSULTANT}
    with uow:
        assert get_user(uow, admin, reader.id).roles == {Role.READER, Role.CONSULTANT}


def test_taking_every_role_from_a_staff_member_leaves_them_a_reader(uow, admin) -> None:
    staff = stored_person(uow, "staf@bps.go.id", [Role.LIBRARIAN], "Staf")
    with uow:
        assert check_set_staff_roles(uow, admin, staff.id, set()).roles == {Role.READER}


def test_an_administrator_cannot_remove_their_own_admin_role(uow, admin) -> None:
    with uow, pytest.raises(InvalidInput, match="your own administrator role"):
        check_set_staff_roles(uow, admin, admin.id, {Role.LIBRARIAN})
    with uow:
        assert Role.ADMIN in check_set_staff_roles(uow, admin, admin.id, {Role.ADMIN, Role.LIBRARIAN}).roles


def test_the_reader_role_is_not_given_here(uow, admin) -> None:
    with uow, pytest.raises(InvalidInput, match="Only staff roles"):
        check_set_staff_roles(uow, admin, admin.id, {Role.ADMIN, Role.READER})


def test_deactivating_raises_the_session_counter_and_self_is_refused(uow, admin) -> None:
    reader = stored_person(uow, "rina@example.id", name="Rina")
    with uow:
        assert not check_set_active(uow, admin, reader.id, False).active
        uow.commit()
    with uow:
        assert uow.session.get(User, reader.id).session_version == reader.session_version + 1  # type: ignore[union-attr]
        assert check_set_active(uow, admin, reader.id, True).active
    with uow, pytest.raises(InvalidInput, match="your own account"):
        check_set_active(uow, admin, admin.id, False)


def test_a_missing_account_is_not_found(uow, admin) -> None:
    with uow, pytest.raises(NotFound, match="no account number 4242"):
        get_user(uow, admin, 4242)


def test_a_deactivated_administrator_can_do_nothing(uow, admin) -> None:
    other = stored_person(uow, "kepala@bps.go.id", [Role.ADMIN], "Kepala")
    with uow:
        check_set_active(uow, other, admin.id, False)
        uow.commit()
    assert admin.active  # as loaded before: the stored account decides
    with uow, pytest.raises(NotAllowed):
        list_users(uow, admin)
