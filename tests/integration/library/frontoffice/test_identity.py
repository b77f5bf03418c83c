"""A walk-in visit joins an account only with proof: a password, an emailed code, or the ID card seen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select

from library.accounts.ratelimit import TooManyAttempts
from library.errors import InvalidField, InvalidInput, NotAllowed
from library.frontoffice.identity import (
    check_confirm_id_card,
    check_prove_by_code,
    check_prove_by_password,
    check_send_visit_code,
    check_set_visit_email,
    stamped_name,
    visit_code,
)
from library.frontoffice.terminal.sessions import visitor_of
from library.models import Role, Terminal, TerminalSession, User, Visit
from library.uow import UnitOfWork
from tests.integration.library.frontoffice_helpers import make_guard
from tests.integration.library.terminal_helpers import NOW, load_offices, person, walk_in

PASSWORD = "kopi tubruk pagi hari"  # the helpers' accounts' password
MINUTE = dt.timedelta(minutes=1)


class CodeMail:
    """Record the visits whose code email was queued (after the commit)."""

    def __init__(self) -> None:
        self.sent: list[int] = []

    def visit_code_mail(self, visit_id: int) -> None:
        """Note one code email."""
        self.sent.append(visit_id)


@pytest.fixture
def guard(engine: Engine):  # type: ignore[no-untyped-def]
    """Return the secret and the rate limits the identity checks use."""
    return make_guard(engine)


@pytest.fixture
def visit_id(uow: UnitOfWork) -> int:
    """Record a walk-in who declared the address ani@example.id (not checked)."""
    load_offices(uow)
    walk_in(uow, "Ani Lestari", email="ani@example.id")
    with uow:
        return uow.session.scalars(select(Visit.id)).one()


def act(uow: UnitOfWork, visit_id: int, step: Callable[[Visit], object]) -> object:
    """Run one identity step on the visit in its own unit of work, committed when it succeeds."""
    with uow:
        result = step(uow.session.get_one(Visit, visit_id))
        uow.commit()
        return result


def joined(uow: UnitOfWork, visit_id: int) -> tuple[int | None, str]:
    """Return the visit's account and how its identity was checked."""
    with uow:
        visit = uow.session.get_one(Visit, visit_id)
        return visit.user_id, visit.identity_check


def send(uow: UnitOfWork, guard, visit_id: int, now: dt.datetime = NOW) -> str:  # type: ignore[no-untyped-def]
    """Send the visit a code and return it (as the email carries it)."""
    mail = CodeMail()
    act(
        uow,
        visit_id,
        lambda v: check_send_visit_code(uow, mail, guard.throttle, v, now=now),
    )
    assert mail.sent == [visit_id]
    with uow:
        return visit_code(guard.secret, uow.session.get_one(Visit, visit_id))


def prove(uow: UnitOfWork, guard, visit_id: int, code: str, now: dt.datetime = NOW) -> object:  # type: ignore[no-untyped-def]
    """Type a code for the visit."""
    return act(
        uow,
        visit_id,
        lambda v: check_prove_by_code(uow, guard.secret, guard.throttle, v, code, now=now),
    )


def test_the_right_password_joins_the_visit_to_its_readers_account(
    uow: UnitOfWork, guard, visit_id: int
) -> None:
    ani = person(uow, "ani@example.id")
    act(
        uow,
        visit_id,
        lambda v: check_prove_by_password(uow, guard.throttle, v, PASSWORD, now=NOW),
    )
    assert joined(uow, visit_id) == (ani.id, "password")


def test_a_wrong_password_joins_nothing(uow: UnitOfWork, guard, visit_id: int) -> None:
    person(uow, "ani@example.id")
    with pytest.raises(InvalidInput, match="not right"):
        act(
            uow,
            visit_id,
            lambda v: check_prove_by_password(uow, guard.throttle, v, "tebakan", now=NOW),
        )
    assert joined(uow, visit_id) == (None, "declared")


@pytest.mark.parametrize("role", [Role.LIBRARIAN, Role.ADMIN, Role.FRONT_OFFICE])
def test_a_staff_account_is_never_joined_even_with_its_password_or_code(
    uow: UnitOfWork, guard, visit_id: int, role: Role
) -> None:
    person(uow, "ani@example.id", (role,))
    with pytest.raises(NotAllowed, match="staff account"):
        act(
            uow,
            visit_id,
            lambda v: check_prove_by_password(uow, guard.throttle, v, PASSWORD, now=NOW),
        )
    code = send(uow, guard, visit_id)
    with pytest.raises(NotAllowed, match="staff account"):
        prove(uow, guard, visit_id, code)
    assert joined(uow, visit_id) == (None, "declared")


def test_the_emailed_code_joins_an_existing_account_and_verifies_its_address(
    uow: UnitOfWork, guard, visit_id: int
) -> None:
    ani = person(uow, "ani@example.id", verified=False)
    prove(uow, guard, visit_id, send(uow, guard, visit_id), NOW + MINUTE)
    assert joined(uow, visit_id) == (ani.id, "email_code")
    with uow:
        assert uow.session.get_one(User, ani.id).email_verified


def test_the_emailed_code_makes_a_light_account_for_an_address_without_one(
    uow: UnitOfWork, guard, visit_id: int
) -> None:
    prove(uow, guard, visit_id, send(uow, guard, visit_id))
    with uow:
        user = uow.session.scalars(select(User)).one()
        assert (user.email, user.name, user.password_hash, user.email_verified) == (
            "ani@example.id",
            "Ani Lestari",
            None,
            True,
        )
        assert user.roles == {Role.READER}
        user_id = user.id
    assert joined(uow, visit_id) == (user_id, "email_code")


def test_a_wrong_code_is_refused_and_a_code_works_once(uow: UnitOfWork, guard, visit_id: int) -> None:
    code = send(uow, guard, visit_id)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    with pytest.raises(InvalidField, match="not right"):
        prove(uow, guard, visit_id, wrong)
    prove(uow, guard, visit_id, code)
    with pytest.raises(InvalidField, match="no longer valid"):
        prove(uow, guard, visit_id, code)


def test_guessing_codes_is_stopped_before_the_code_could_be_found(
    uow: UnitOfWork, guard, visit_id: int
) -> None:
    code = send(uow, guard, visit_id)
    others = (f"{n:06d}" for n in range(10**6) if f"{n:06d}" != code)
    with pytest.raises(TooManyAttempts):
        for _ in range(50):
            with pytest.raises(InvalidField):
                prove(uow, guard, visit_id, next(others))
    with pytest.raises(TooManyAttempts):
        prove(uow, guard, visit_id, code)  # the right one too, once the tries are spent
    assert joined(uow, visit_id) == (None, "declared")


def test_a_code_expires_and_a_new_one_waits_a_minute(uow: UnitOfWork, guard, visit_id: int) -> None:
    code = send(uow, guard, visit_id)
    with pytest.raises(InvalidInput, match="sent a moment ago"):
        send(uow, guard, visit_id, NOW + dt.timedelta(seconds=30))
    with pytest.raises(InvalidField, match="no longer valid"):
        prove(uow, guard, visit_id, code, NOW + dt.timedelta(minutes=15))


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_a_code_that_is_not_six_digits_is_refused_on_its_field(
    uow: UnitOfWork, guard, visit_id: int, typed: str
) -> None:
    send(uow, guard, visit_id)
    with pytest.raises(InvalidField, match="6 digits") as refused:
        prove(uow, guard, visit_id, typed)
    assert refused.value.field == "code"


def test_a_visit_without_an_email_gets_no_code(uow: UnitOfWork, guard) -> None:
    load_offices(uow)
    walk_in(uow, "Budi")
    with uow:
        budi = uow.session.scalars(select(Visit.id)).one()
    with pytest.raises(InvalidInput, match="no email address"):
        send(uow, guard, budi)


def test_a_visit_that_ended_proves_nothing(uow: UnitOfWork, guard, visit_id: int) -> None:
    with uow:
        uow.session.get_one(Visit, visit_id).left_at = NOW
        uow.commit()
    with pytest.raises(NotAllowed, match="has ended"):
        send(uow, guard, visit_id)


def test_the_front_office_checks_the_id_card_and_joins_the_account(uow: UnitOfWork, visit_id: int) -> None:
    front = person(uow, "loket@bps.go.id", (Role.FRONT_OFFICE,))
    ani = person(uow, "ani@example.id")
    act(uow, visit_id, lambda v: check_confirm_id_card(uow, front, v, NOW))
    assert joined(uow, visit_id) == (ani.id, "id_card")
    with uow:
        assert uow.session.get_one(Visit, visit_id).identity_checked_by_id == front.id


@pytest.mark.parametrize("role", [Role.READER, Role.LIBRARIAN])
def test_only_the_front_office_checks_id_cards(uow: UnitOfWork, visit_id: int, role: Role) -> None:
    other = person(uow, "lain@bps.go.id", (role,))
    with pytest.raises(NotAllowed):
        act(uow, visit_id, lambda v: check_confirm_id_card(uow, other, v, NOW))
    assert joined(uow, visit_id) == (None, "declared")


def test_an_id_card_never_joins_a_staff_account(uow: UnitOfWork, visit_id: int) -> None:
    front = person(uow, "loket@bps.go.id", (Role.FRONT_OFFICE,))
    person(uow, "ani@example.id", (Role.LIBRARIAN,))
    with pytest.raises(NotAllowed, match="staff account"):
        act(uow, visit_id, lambda v: check_confirm_id_card(uow, front, v, NOW))


def test_writing_a_new_email_on_a_checked_visit_undoes_the_join(uow: UnitOfWork, visit_id: int) -> None:
    front = person(uow, "loket@bps.go.id", (Role.FRONT_OFFICE,))
    act(uow, visit_id, lambda v: check_confirm_id_card(uow, front, v, NOW))
    assert joined(uow, visit_id)[1] == "id_card"
    act(uow, visit_id, lambda v: check_set_visit_email(uow, front, v, " Ani.L@Example.ID "))
    assert joined(uow, visit_id) == (None, "declared")
    with uow:
        assert uow.session.get_one(Visit, visit_id).email == "ani.l@example.id"


def test_a_terminal_acts_for_no_account_until_the_visit_is_proven(uow: UnitOfWork, visit_id: int) -> None:
    ani = person(uow, "ani@example.id")
    with uow:  # a visit joined before proofs existed (or by a bug) still acts for nobody
        visit = uow.session.get_one(Visit, visit_id)
        visit.user_id = ani.id
        session = TerminalSession(
            terminal=_terminal(uow, visit), visit=visit, started_at=NOW, last_active_at=NOW
        )
        uow.session.add(session)
        uow.commit()
        visitor = visitor_of(uow, session)
    assert (visitor.user_id, visitor.proven, visitor.stamped_name) == (
        None,
        False,
        "Ani Lestari (identitas dinyatakan, belum diperiksa)",
    )


def test_a_joined_account_given_a_staff_role_later_is_not_acted_for(uow: UnitOfWork, visit_id: int) -> None:
    front = person(uow, "loket@bps.go.id", (Role.FRONT_OFFICE,))
    ani = person(uow, "ani@example.id")
    act(uow, visit_id, lambda v: check_confirm_id_card(uow, front, v, NOW))
    with uow:
        uow.session.get_one(User, ani.id).set_roles(frozenset({Role.LIBRARIAN}))
        visit = uow.session.get_one(Visit, visit_id)
        session = TerminalSession(
            terminal=_terminal(uow, visit), visit=visit, started_at=NOW, last_active_at=NOW
        )
        uow.session.add(session)
        uow.commit()
        assert visitor_of(uow, session).user_id is None


@pytest.mark.parametrize(
    ("check", "words"),
    [
        ("declared", "identitas dinyatakan, belum diperiksa"),
        ("password", "diperiksa: kata sandi akun"),
        ("email_code", "diperiksa: kode email"),
        ("id_card", "diperiksa: kartu identitas"),
    ],
)
def test_a_stamp_names_the_visitor_with_how_the_name_was_checked(check: str, words: str) -> None:
    assert stamped_name("Ani Lestari", check) == f"Ani Lestari ({words})"


def _terminal(uow: UnitOfWork, visit: Visit):  # type: ignore[no-untyped-def]
    """Return a terminal of the visit's office (made here: these tests need only its row)."""
    terminal = Terminal(office_id=visit.office_id, name="Terminal 1", token_hash="x" * 64, registered_at=NOW)
    uow.session.add(terminal)
    return terminal
