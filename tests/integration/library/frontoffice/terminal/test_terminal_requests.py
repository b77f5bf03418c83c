"""Softcopy requests made at a library terminal: they name the visit and reach the account as online."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from library.errors import NotAllowed
from library.filestore import FileStore
from library.models import AccessLevel, Delivery, RequestStatus, SoftcopyRequest, Visit
from library.softcopy.copies import CopyWorker, prepare_copy
from library.uow import UnitOfWork
from tests.integration.library import softcopy_request_helpers as online
from tests.integration.library import terminal_helpers as fo
from tests.integration.library.softcopy_request_helpers import Queue, Sent, submit

# The online request tests' fixtures: the demo publications, the copy worker and its outbox.
pubs, worker = online.pubs, online.worker  # the outbox: conftest


def visit_of(uow: UnitOfWork, email: str, *, verified: bool = False) -> tuple[object, int]:
    """Make an account and today's visit for it; return the account and the visit's id."""
    fo.load_offices(uow)
    account = fo.person(uow, email, verified=verified)
    fo.walk_in(uow, "Dewi", user_id=account.id, email=email)
    with uow:
        return account, uow.session.scalars(select(Visit.id)).one()


def test_a_request_at_a_terminal_carries_the_visit_and_needs_no_verified_email(
    uow: UnitOfWork, pubs: dict[AccessLevel, int]
) -> None:
    account, visit_id = visit_of(uow, "dewi@example.id")
    queue = Queue()
    number = submit(uow, account, pubs[AccessLevel.OPEN], queue, visit_id=visit_id)
    with uow:
        row = uow.session.scalar(select(SoftcopyRequest).where(SoftcopyRequest.number == number))
        assert row is not None
        assert (row.visit_id, RequestStatus(row.status)) == (visit_id, RequestStatus.APPROVED)
        assert queue.delivered == [row.id]


def test_an_unverified_account_still_cannot_ask_online(uow: UnitOfWork, pubs: dict[AccessLevel, int]) -> None:
    account, _ = visit_of(uow, "dewi@example.id")
    with pytest.raises(NotAllowed, match="Verify your email"):
        submit(uow, account, pubs[AccessLevel.OPEN], Queue())


def test_a_request_for_someone_elses_visit_is_refused(uow: UnitOfWork, pubs: dict[AccessLevel, int]) -> None:
    _, visit_id = visit_of(uow, "dewi@example.id")
    stranger = fo.person(uow, "ani@example.id")
    with pytest.raises(NotAllowed, match="not yours"):
        submit(uow, stranger, pubs[AccessLevel.OPEN], Queue(), visit_id=visit_id)
    with pytest.raises(NotAllowed, match="not yours"):
        submit(uow, stranger, pubs[AccessLevel.OPEN], Queue(), visit_id=10**9)


def test_a_request_for_a_visit_that_has_left_is_refused(
    uow: UnitOfWork, pubs: dict[AccessLevel, int]
) -> None:
    account, visit_id = visit_of(uow, "dewi@example.id")
    with uow:
        visit = uow.session.get(Visit, visit_id)
        assert visit is not None
        visit.left_at = fo.NOW
        uow.commit()
    with pytest.raises(NotAllowed, match="Your visit has ended"):
        submit(uow, account, pubs[AccessLevel.OPEN], Queue(), visit_id=visit_id)


def test_the_copy_of_a_terminal_request_is_delivered_as_a_terminal_copy_for_the_visit(
    uow: UnitOfWork, pubs: dict[AccessLevel, int], worker: CopyWorker, sent: Sent, store: FileStore
) -> None:
    account, visit_id = visit_of(uow, "dewi@example.id")
    queue = Queue()
    submit(uow, account, pubs[AccessLevel.OPEN], queue, visit_id=visit_id)
    assert prepare_copy(worker, queue.delivered[0]) is not None
    with uow:
        delivery = uow.session.scalars(select(Delivery)).one()
        assert (delivery.channel, delivery.visit_id, delivery.recipient_email) == (
            "terminal",
            visit_id,
            "dewi@example.id",
        )
    assert [m["To"] for m in sent.messages] == ["dewi@example.id"]
