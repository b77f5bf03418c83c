"""An account registered in a visitor's name but never verified is never handed to its registrant.

The attack (issue 56): a stranger registers the visitor's address at `/daftar` with his own
password and never opens the verification link. When the visitor later proves the address at
the terminal (emailed code) or shows an ID card, the proof must not join the visit to an account
the stranger can sign in to.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from library.accounts.registration import check_sign_in
from library.errors import InvalidInput, NotAllowed
from library.frontoffice.identity import (
    Joined,
    check_confirm_id_card,
    check_prove_by_code,
    check_prove_by_password,
    check_send_visit_code,
    visit_code,
)
from library.models import Role, User, Visit
from library.uow import UnitOfWork
from tests.integration.library.accounts_helpers import detached, stored_person
from tests.integration.library.frontoffice.test_identity import CodeMail, act, joined
from tests.integration.library.frontoffice_helpers import make_guard
from tests.integration.library.terminal_helpers import NOW, load_offices, person, walk_in

STRANGERS_PASSWORD = "sandi milik penyusup 123"


@pytest.fixture
def guard(engine: Engine):  # type: ignore[no-untyped-def]
    """Return the secret and the rate limits the identity checks use."""
    return make_guard(engine)


@pytest.fixture
def setup(uow: UnitOfWork) -> tuple[int, int]:
    """Record the stranger's unverified sign-up of ani@example.id, then Ani's own visit; return both ids."""
    load_offices(uow)
    stranger = stored_person(uow, "ani@example.id", name="Bukan Ani", password=STRANGERS_PASSWORD)
    walk_in(uow, "Ani Lestari", email="ani@example.id")
    with uow:
        return stranger.id, uow.session.scalars(select(Visit.id)).one()


def strangers_sign_in(uow: UnitOfWork, guard) -> User:  # type: ignore[no-untyped-def]
    """Sign in with the stranger's password, as he would on the website."""
    with uow:
        user = check_sign_in(
            uow,
            guard.throttle,
            email="ani@example.id",
            password=STRANGERS_PASSWORD,
            client="10.9.9.9",
            now=NOW,
        )
        uow.commit()
        return user


def test_the_emailed_code_takes_the_unverified_account_back_for_the_visitor(
    uow: UnitOfWork, guard, setup: tuple[int, int]
) -> None:
    account_id, visit_id = setup
    before = detached(uow, account_id)
    act(uow, visit_id, lambda v: check_send_visit_code(uow, CodeMail(), guard.throttle, v, now=NOW))
    with uow:
        code = visit_code(guard.secret, uow.session.get_one(Visit, visit_id))
    result = act(
        uow, visit_id, lambda v: check_prove_by_code(uow, guard.secret, guard.throttle, v, code, now=NOW)
    )
    assert isinstance(result, Joined) and result.reclaimed
    assert joined(uow, visit_id) == (account_id, "email_code")
    user = detached(uow, account_id)
    assert (user.password_hash, user.name, user.email_verified) == (None, "Ani Lestari", True)
    assert user.session_version > before.session_version  # the stranger's cookies no longer open it
    with pytest.raises(InvalidInput, match="not right"):
        strangers_sign_in(uow, guard)


def test_an_id_card_takes_the_unverified_account_back_and_leaves_it_to_its_mailbox(
    uow: UnitOfWork, guard, setup: tuple[int, int]
) -> None:
    account_id, visit_id = setup
    front = person(uow, "loket@bps.go.id", (Role.FRONT_OFFICE,))
    result = act(uow, visit_id, lambda v: check_confirm_id_card(uow, front, v, NOW))
    assert isinstance(result, Joined) and result.reclaimed
    assert joined(uow, visit_id) == (account_id, "id_card")
    user = detached(uow, account_id)
    assert (user.password_hash, user.email_verified) == (None, False)  # a light account: claimed by mail
    with pytest.raises(InvalidInput, match="not right"):
        strangers_sign_in(uow, guard)


def test_the_strangers_password_at_the_terminal_proves_nothing(
    uow: UnitOfWork, guard, setup: tuple[int, int]
) -> None:
    _account_id, visit_id = setup
    with pytest.raises(NotAllowed, match="never had its email verified"):
        act(
            uow,
            visit_id,
            lambda v: check_prove_by_password(uow, guard.throttle, v, STRANGERS_PASSWORD, now=NOW),
        )
    assert joined(uow, visit_id) == (None, "declared")


def test_a_verified_account_is_joined_as_it_is(uow: UnitOfWork, guard) -> None:
    load_offices(uow)
    ani = person(uow, "ani@example.id")
    walk_in(uow, "Ani Lestari", email="ani@example.id")
    with uow:
        visit_id = uow.session.scalars(select(Visit.id)).one()
    front = person(uow, "loket@bps.go.id", (Role.FRONT_OFFICE,))
    result = act(uow, visit_id, lambda v: check_confirm_id_card(uow, front, v, NOW))
    assert isinstance(result, Joined) and not result.reclaimed
    assert detached(uow, ani.id).password_hash == ani.password_hash
