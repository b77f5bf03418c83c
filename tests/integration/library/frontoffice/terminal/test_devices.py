"""Library terminals: registration, and sessions started with a ticket (their ends: test_session_endings)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select

from library.errors import InvalidField, InvalidInput, NotAllowed
from library.frontoffice.queue.served_by_machine import SERVED_AT_TERMINAL
from library.frontoffice.terminal.devices import (
    check_deactivate_terminal,
    check_register_terminal,
    list_terminals,
    terminal_by_token,
)
from library.frontoffice.terminal.sessions import check_start_session, visitor_of
from library.models import Terminal, TerminalSession, TicketStatus, User, Visit
from library.uow import UnitOfWork
from tests.integration.library import terminal_helpers as th
from tests.integration.library.terminal_helpers import (
    METRO,
    NOW,
    person,
    secret_of,
    start,
    ticket,
    walk_in,
)

MINUTE = dt.timedelta(minutes=1)

# The shared fixtures: an administrator and a registered terminal's token.
admin, terminal_token = th.admin, th.terminal_token


def refusal(uow: UnitOfWork, token: str, typed: str, now: dt.datetime = NOW) -> str:
    """Return the message a start with what the visitor typed is refused with."""
    with pytest.raises((InvalidInput, NotAllowed)) as caught:
        start(uow, token, typed, now)
    return str(caught.value)


def test_a_terminal_keeps_only_the_sha256_of_its_token(uow: UnitOfWork, terminal_token: str) -> None:
    with uow:
        row = uow.session.scalars(select(Terminal)).one()
        assert row.token_hash == hashlib.sha256(terminal_token.encode()).hexdigest()
        assert terminal_token not in {row.token_hash, row.name}
        assert len(terminal_token) >= 40
        assert terminal_by_token(uow, terminal_token) is row
        assert row.office.code == METRO and row.registered_at == NOW


@pytest.mark.parametrize("token", ["", None, "nope", "x" * 5000])
def test_a_wrong_token_is_no_terminal(uow: UnitOfWork, terminal_token: str, token: str | None) -> None:
    with uow:
        assert terminal_by_token(uow, token) is None


def test_only_an_administrator_registers_terminals(uow: UnitOfWork, admin: User) -> None:
    reader = person(uow, "ani@example.id")
    with uow, pytest.raises(NotAllowed, match="Only an administrator"):
        check_register_terminal(uow, reader, "Terminal 9", NOW, office_code=METRO)
    with uow, pytest.raises(NotAllowed):
        list_terminals(uow, None, office_code=METRO)


@pytest.mark.parametrize(("name", "message"), [("  ", "Give the terminal a name"), ("T" * 61, "at most 60")])
def test_a_terminal_needs_a_short_name(uow: UnitOfWork, admin: User, name: str, message: str) -> None:
    with uow, pytest.raises(InvalidField, match=message):
        check_register_terminal(uow, admin, name, NOW, office_code=METRO)


def test_a_deactivated_terminal_is_listed_last_and_its_cookie_stops_working(
    uow: UnitOfWork, admin: User, terminal_token: str
) -> None:
    with uow:
        check_register_terminal(uow, admin, "Terminal 2", NOW, office_code=METRO)
        first = terminal_by_token(uow, terminal_token)
        assert first is not None
        check_deactivate_terminal(uow, admin, first.id, NOW)
        uow.commit()
    with uow:
        assert terminal_by_token(uow, terminal_token) is None
        listed = list_terminals(uow, admin, office_code=METRO)
    assert [(t.name, t.active) for t in listed] == [("Terminal 2", True), ("Terminal 1", False)]


def test_deactivating_a_terminal_ends_the_session_on_it(
    uow: UnitOfWork, admin: User, terminal_token: str
) -> None:
    walk_in(uow)
    session_id = start(uow, terminal_token, "P-001")
    with uow:
        terminal = uow.session.scalars(select(Terminal)).one()
        check_deactivate_terminal(uow, admin, terminal.id, NOW + MINUTE)
        uow.commit()
    with uow:
        ended = uow.session.get(TerminalSession, session_id)
        assert ended is not None and ended.ended_at == NOW + MINUTE and ended.ended_because == "done"


@pytest.mark.parametrize("spelling", ["{}", "{} ", "{lower}", "{nodash}", "{spaced}"])
def test_a_visitor_starts_a_session_by_typing_the_terminal_code_of_their_ticket(
    uow: UnitOfWork, terminal_token: str, spelling: str
) -> None:
    walk_in(uow, "Siti Aminah")
    code = secret_of(uow, "P-001")
    typed = spelling.format(
        code, lower=code.lower(), nodash=code.replace("-", ""), spaced=code.replace("-", " ")
    )
    session_id = start(uow, terminal_token, typed, NOW + 2 * MINUTE)
    with uow:
        session = uow.session.get(TerminalSession, session_id)
        assert session is not None
        assert (session.started_at, session.last_active_at, session.ended_at) == (
            NOW + 2 * MINUTE,
            NOW + 2 * MINUTE,
            None,
        )
        assert session.visit.name == "Siti Aminah" and session.terminal.name == "Terminal 1"
        visitor = visitor_of(uow, session)
    assert (visitor.name, visitor.terminal_name, visitor.ticket_code) == (
        "Siti Aminah",
        "Terminal 1",
        "P-001",
    )


def test_a_scanned_ticket_qr_starts_the_session_too(uow: UnitOfWork, terminal_token: str) -> None:
    walk_in(uow)
    with uow:
        token = ticket(uow, "P-001").visit.status_token
    session_id = start(uow, terminal_token, f"https://pst.example.go.id/kunjungan/{token}")
    with uow:
        session = uow.session.get(TerminalSession, session_id)
        assert session is not None and session.ticket_id == ticket(uow, "P-001").id


def test_starting_a_session_in_time_serves_the_library_ticket_without_a_breach(
    uow: UnitOfWork, terminal_token: str
) -> None:
    walk_in(uow)
    start(uow, terminal_token, "P-001", NOW + 4 * MINUTE)
    with uow:
        served = ticket(uow, "P-001")
        assert served.status == TicketStatus.SERVING.value
        assert served.served_at == NOW + 4 * MINUTE
        assert served.clock_started_at == NOW  # the library's clock starts at the guest book
        assert served.target_at == NOW + 5 * MINUTE
        assert not served.breached and served.breach_reason == ""


def test_a_session_started_past_the_target_records_the_breach_as_a_terminal_session(
    uow: UnitOfWork, terminal_token: str
) -> None:
    walk_in(uow)
    start(uow, terminal_token, "P-001", NOW + 7 * MINUTE)
    with uow:
        served = ticket(uow, "P-001")
        assert served.breached and served.breach_reason == SERVED_AT_TERMINAL == "sesi terminal"
        assert served.target_at == NOW + 5 * MINUTE


def test_a_ticket_already_served_at_the_counter_keeps_its_times(uow: UnitOfWork, terminal_token: str) -> None:
    walk_in(uow)
    with uow:
        counter = ticket(uow, "P-001")
        counter.status, counter.served_at = TicketStatus.SERVING.value, NOW + MINUTE
        uow.commit()
    start(uow, terminal_token, "P-001", NOW + 9 * MINUTE)
    with uow:
        served = ticket(uow, "P-001")
        assert served.served_at == NOW + MINUTE and served.breach_reason == "" and served.target_at is None


def test_yesterdays_ticket_is_refused_typed_or_scanned(uow: UnitOfWork, terminal_token: str) -> None:
    walk_in(uow, at=NOW - dt.timedelta(days=1))
    yesterday = (NOW - dt.timedelta(days=1)).date()
    code = secret_of(uow, "P-001", yesterday)
    assert refusal(uow, terminal_token, code) == (
        f"No ticket of today has the terminal code {code}. Check the code printed under the QR."
    )
    with uow:
        token = ticket(uow, "P-001", yesterday).visit.status_token
    assert "a ticket is valid only on its day" in refusal(uow, terminal_token, f"/kunjungan/{token}")


@pytest.mark.parametrize("typed", ["P-001", "p001", "P 1", " p-1 "])
def test_a_ticket_number_alone_opens_no_session(uow: UnitOfWork, terminal_token: str, typed: str) -> None:
    walk_in(uow)  # P-001 exists: its number is on the board for anyone to read
    with uow, pytest.raises(InvalidField, match="A ticket number alone cannot open a session"):
        terminal = terminal_by_token(uow, terminal_token)
        assert terminal is not None
        check_start_session(uow, terminal, typed, NOW)


def test_a_ticket_whose_visit_has_left_is_refused(uow: UnitOfWork, terminal_token: str) -> None:
    walk_in(uow)
    with uow:
        ticket(uow, "P-001").visit.left_at = NOW + MINUTE
        uow.commit()
    assert refusal(uow, terminal_token, "P-001", NOW + 2 * MINUTE) == (
        "The visit of ticket P-001 has ended. Please fill in the guest book again."
    )


def test_a_visit_with_only_a_consultation_ticket_is_told_to_get_a_library_one(
    uow: UnitOfWork, terminal_token: str
) -> None:
    walk_in(uow, services=("consultation",))
    message = refusal(uow, terminal_token, secret_of(uow, "K-001"))
    assert message == "This visit has no library ticket; ask the front office for one."


def test_an_unknown_terminal_code_is_refused_with_the_code_as_read(
    uow: UnitOfWork, terminal_token: str
) -> None:
    walk_in(uow)
    assert "No ticket of today has the terminal code AAAA-BBBB" in refusal(uow, terminal_token, "aaaa bbbb")


def test_a_ticket_of_another_office_is_not_found(uow: UnitOfWork, terminal_token: str) -> None:
    walk_in(uow, services=("consultation",), office="1805")
    assert "No ticket of today has the terminal code" in refusal(uow, terminal_token, secret_of(uow, "K-001"))
    with uow:
        token = uow.session.scalars(select(Visit.status_token)).one()
    assert "not a ticket of this office" in refusal(uow, terminal_token, f"/kunjungan/{token}")


@pytest.mark.parametrize(
    ("status", "message"),
    [(TicketStatus.NO_SHOW, "was skipped"), (TicketStatus.TRANSFERRED, "moved to another queue")],
)
def test_a_skipped_or_moved_ticket_is_refused(
    uow: UnitOfWork, terminal_token: str, status: TicketStatus, message: str
) -> None:
    walk_in(uow)
    with uow:
        ticket(uow, "P-001").status = status.value
        uow.commit()
    assert message in refusal(uow, terminal_token, "P-001")


def test_a_visit_without_an_account_reads_but_cannot_ask_for_copies(
    uow: UnitOfWork, terminal_token: str
) -> None:
    walk_in(uow, "Wayan")
    session_id = start(uow, terminal_token, "P-001")
    with uow:
        session = uow.session.get(TerminalSession, session_id)
        assert session is not None
        visitor = visitor_of(uow, session)
    assert (visitor.name, visitor.email, visitor.user_id, visitor.can_request) == ("Wayan", "", None, False)


def test_a_visit_with_an_account_is_that_person_at_the_terminal(uow: UnitOfWork, terminal_token: str) -> None:
    account = person(uow, "dewi@example.id", verified=False)
    walk_in(uow, "Dewi", user_id=account.id, email="dewi@example.id")
    session_id = start(uow, terminal_token, "P-001")
    with uow:
        session = uow.session.get(TerminalSession, session_id)
        assert session is not None
        visitor = visitor_of(uow, session)
    assert (visitor.user_id, visitor.email, visitor.can_request) == (account.id, "dewi@example.id", True)
