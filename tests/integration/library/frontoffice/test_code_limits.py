"""Emailed codes are limited per address and per terminal, however many visits name one address.

The threat model (docs/walk-in-identity.md): 10 wrong tries per 15 minutes per visit and per
address, 20 a day per address (one chance in 50,000 a day of guessing a 6-digit code), 30 an
hour per terminal; 5 code emails a day per address.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from library.accounts.ratelimit import TooManyAttempts
from library.errors import InvalidField
from library.frontoffice.identity import check_prove_by_code, check_send_visit_code, visit_code
from library.models import Terminal, TerminalSession, Visit
from library.uow import UnitOfWork
from tests.integration.library.frontoffice.test_identity import CodeMail, act
from tests.integration.library.frontoffice_helpers import make_guard
from tests.integration.library.terminal_helpers import NOW, load_offices, walk_in

QUARTER = dt.timedelta(minutes=16)  # past the deployment's 15-minute window


@pytest.fixture
def guard(engine: Engine):  # type: ignore[no-untyped-def]
    """Return the secret and the rate limits the identity checks use."""
    return make_guard(engine)


def visits(uow: UnitOfWork, *emails: str) -> list[int]:
    """Record one walk-in per address given (addresses may repeat); return their ids in order."""
    load_offices(uow)
    for n, email in enumerate(emails):
        walk_in(uow, f"Pengunjung {n}", email=email)
    with uow:
        return list(uow.session.scalars(select(Visit.id).order_by(Visit.id)))


def send(uow: UnitOfWork, guard, visit_id: int, now: dt.datetime) -> str:  # type: ignore[no-untyped-def]
    """Send the visit a code now and return it."""
    act(uow, visit_id, lambda v: check_send_visit_code(uow, CodeMail(), guard.throttle, v, now=now))
    with uow:
        return visit_code(guard.secret, uow.session.get_one(Visit, visit_id))


def wrong(code: str, n: int = 1) -> str:
    """Return a code that is not this one."""
    return f"{(int(code) + n) % 10**6:06d}"


def guess(uow: UnitOfWork, guard, visit_id: int, code: str, now: dt.datetime, session_id: int | None = None):  # type: ignore[no-untyped-def]
    """Type a code for the visit (at the terminal session given)."""
    return act(
        uow,
        visit_id,
        lambda v: check_prove_by_code(
            uow, guard.secret, guard.throttle, v, code, now=now, session_id=session_id
        ),
    )


def test_more_visits_for_one_address_buy_no_more_guesses(uow: UnitOfWork, guard) -> None:
    first, second = visits(uow, "ani@example.id", "ani@example.id")
    code = send(uow, guard, first, NOW)
    for n in range(10):
        with pytest.raises(InvalidField):
            guess(uow, guard, first, wrong(code, n + 1), NOW)
    other = send(uow, guard, second, NOW)
    with pytest.raises(TooManyAttempts):
        guess(uow, guard, second, other, NOW)  # the same address: its tries are spent


def test_an_address_has_twenty_wrong_tries_a_day(uow: UnitOfWork, guard) -> None:
    [visit_id] = visits(uow, "ani@example.id")
    now = NOW
    for n in range(20):
        if n % 10 == 0:
            now += QUARTER
            code = send(uow, guard, visit_id, now)
        with pytest.raises(InvalidField):
            guess(uow, guard, visit_id, wrong(code, n + 1), now)
    now += QUARTER
    code = send(uow, guard, visit_id, now)
    with pytest.raises(TooManyAttempts):
        guess(uow, guard, visit_id, code, now)
    code = send(uow, guard, visit_id, now + dt.timedelta(days=1))
    guess(uow, guard, visit_id, code, now + dt.timedelta(days=1))  # a new day


def test_a_terminal_has_thirty_wrong_tries_an_hour_across_its_visitors(uow: UnitOfWork, guard) -> None:
    ids = visits(uow, *(f"orang{n}@example.id" for n in range(4)))
    with uow:
        office_id = uow.session.get_one(Visit, ids[0]).office_id
        terminal = Terminal(office_id=office_id, name="Terminal 1", token_hash="x" * 64, registered_at=NOW)
        sessions = [
            TerminalSession(terminal=terminal, visit_id=i, started_at=NOW, last_active_at=NOW) for i in ids
        ]
        uow.session.add_all(sessions)
        uow.commit()
        session_ids = [s.id for s in sessions]
    codes = [send(uow, guard, i, NOW) for i in ids]
    for n in range(30):
        k = n // 10  # ten on each visit: each visit's and address's own limit is kept
        with pytest.raises(InvalidField):
            guess(uow, guard, ids[k], wrong(codes[k], n + 1), NOW, session_ids[k])
    with pytest.raises(TooManyAttempts):
        guess(uow, guard, ids[3], codes[3], NOW, session_ids[3])
    guess(uow, guard, ids[3], codes[3], NOW)  # elsewhere (the desk's own device), the address still may


def test_an_address_gets_five_code_emails_a_day(uow: UnitOfWork, guard) -> None:
    ids = visits(uow, *(["ani@example.id"] * 6))
    for visit_id in ids[:5]:
        send(uow, guard, visit_id, NOW)
    with pytest.raises(TooManyAttempts):
        send(uow, guard, ids[5], NOW)
    send(uow, guard, ids[5], NOW + dt.timedelta(days=1))
