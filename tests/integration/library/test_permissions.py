"""Permissions are read from the database on every call, not from the person a session holds."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import Engine

from library.accounts.person_reads import JUST_READ_SECONDS, as_read, read_person
from library.accounts.users import check_set_active, check_set_staff_roles, list_users
from library.db import make_session_factory
from library.errors import NotAllowed
from library.models import Role, User
from library.permissions import require_decide_requests, stored
from library.softcopy.read_models import count_needing_decision, list_waiting
from library.uow import UnitOfWork
from tests.integration.library.accounts_helpers import stored_person


@pytest.fixture
def admin(uow: UnitOfWork) -> User:
    return stored_person(uow, "kepala@bps.go.id", [Role.ADMIN])


def test_a_role_removed_in_the_database_is_refused_on_the_next_call(uow, admin) -> None:
    librarian = stored_person(uow, "rina@bps.go.id", [Role.LIBRARIAN])
    with uow:
        assert list_waiting(uow, librarian) == ([], [])
    with uow:
        check_set_staff_roles(uow, admin, librarian.id, set())
        uow.commit()
    assert librarian.has_role(Role.LIBRARIAN)  # the object loaded earlier still says so
    with uow, pytest.raises(NotAllowed, match="Only librarians can do this"):
        list_waiting(uow, librarian)


def test_a_role_given_in_the_database_counts_on_the_next_call(uow, admin) -> None:
    reader = stored_person(uow, "rina@bps.go.id", [Role.READER])
    with uow:
        check_set_staff_roles(uow, admin, reader.id, {Role.LIBRARIAN})
        uow.commit()
    assert not reader.has_role(Role.LIBRARIAN)
    with uow:
        assert list_waiting(uow, reader) == ([], [])


def test_an_account_deactivated_in_the_database_is_refused_on_the_next_call(uow, admin) -> None:
    other = stored_person(uow, "wakil@bps.go.id", [Role.ADMIN])
    with uow:
        check_set_active(uow, admin, other.id, False)
        uow.commit()
    assert other.active
    with uow, pytest.raises(NotAllowed, match="Only an administrator can manage accounts"):
        list_users(uow, other)


def test_a_role_removed_while_a_unit_of_work_holds_the_person_counts_at_once(
    uow: UnitOfWork, engine: Engine, admin: User
) -> None:
    librarian = stored_person(uow, "rina@bps.go.id", [Role.LIBRARIAN])
    with uow:
        held = uow.session.get(User, librarian.id)
        assert held is not None and held.has_role(Role.LIBRARIAN)
        with UnitOfWork(make_session_factory(engine)) as other:
            check_set_staff_roles(other, admin, librarian.id, set())
            other.commit()
        with pytest.raises(NotAllowed):
            require_decide_requests(uow, held)


def test_a_person_deleted_from_the_database_is_nobody(uow) -> None:
    gone = stored_person(uow, "rina@bps.go.id", [Role.LIBRARIAN])
    with uow:
        uow.session.delete(uow.session.get(User, gone.id))
        uow.commit()
    with uow:
        assert stored(uow, gone) is None


def test_a_question_asked_of_a_person_read_a_moment_ago_reads_nothing_more_an_older_one_reads_again(
    uow: UnitOfWork, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    librarian = stored_person(uow, "rina@bps.go.id", [Role.LIBRARIAN])
    with uow:
        read = read_person(uow, librarian.id)
        assert read is not None
    with uow:
        check_set_staff_roles(uow, admin, librarian.id, set())
        uow.commit()
    with uow:
        assert as_read(uow, read) is read  # this request's person: the role they began it with
        assert as_read(uow, librarian) is not librarian  # not read by read_person: read again
    later = time.monotonic() + JUST_READ_SECONDS + 1
    monkeypatch.setattr("library.accounts.person_reads.time.monotonic", lambda: later)
    with uow:
        again = as_read(uow, read)  # the next request's question: the role removed counts
        assert again is not read and not again.has_role(Role.LIBRARIAN)


def test_the_session_loaders_person_is_kept_only_while_the_database_holds_them_so(uow, admin) -> None:
    librarian = stored_person(uow, "rina@bps.go.id", [Role.LIBRARIAN])
    with uow:
        first = read_person(uow, librarian.id)
    with uow:
        assert read_person(uow, librarian.id) is first  # nothing changed: the kept object
    with uow:
        check_set_staff_roles(uow, admin, librarian.id, {Role.LIBRARIAN, Role.CONSULTANT})
        uow.commit()
    with uow:
        given = read_person(uow, librarian.id)
    assert given is not first and given.roles == {Role.LIBRARIAN, Role.CONSULTANT}
    with uow:
        uow.session.get(User, librarian.id).name = "Rina Wati"
        uow.commit()
    with uow:
        renamed = read_person(uow, librarian.id)
    assert renamed is not given and renamed.name == "Rina Wati"
    with uow:
        check_set_active(uow, admin, librarian.id, False)
        uow.commit()
    with uow:
        assert read_person(uow, librarian.id).active is False
        uow.session.delete(uow.session.get(User, librarian.id))
        uow.commit()
    with uow:
        assert read_person(uow, librarian.id) is None


def test_the_menus_count_of_requests_to_decide_takes_the_person_as_read_for_the_request(
    uow: UnitOfWork, admin: User
) -> None:
    librarian = stored_person(uow, "rina@bps.go.id", [Role.LIBRARIAN])
    with uow:
        read = read_person(uow, librarian.id)
        assert count_needing_decision(uow, read) == 0
        check_set_staff_roles(uow, admin, librarian.id, set())
        uow.commit()
    with uow:  # the same request, a moment later: the person as read at its start
        assert count_needing_decision(uow, read) == 0
    reader = stored_person(uow, "budi@example.id", [Role.READER])
    with uow, pytest.raises(NotAllowed, match="Only librarians can do this"):
        count_needing_decision(uow, read_person(uow, reader.id))
    with uow, pytest.raises(NotAllowed):  # not read for this request: as the database holds them
        count_needing_decision(uow, librarian)
