"""Softcopy requests on SQLite and PostgreSQL: policy, quotas, the form and the librarian's decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from library.errors import InvalidField, InvalidInput, NotAllowed
from library.mail import Mailer
from library.models import AccessLevel, Publication, RequestStatus, Role, SoftcopyRequest
from library.softcopy.decisions import check_approve, check_refuse, release_embargoed
from library.softcopy.read_models import list_my_requests, request_view
from library.softcopy.request_checks import RequestRules
from library.uow import UnitOfWork
from tests.integration.library import softcopy_request_helpers as helpers
from tests.integration.library.softcopy_request_helpers import NOW, Queue, person, status, submit

# The shared fixtures: the demo publications, the copy worker and its outbox.
pubs, worker = helpers.pubs, helpers.worker  # the outbox: conftest


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (AccessLevel.OPEN, RequestStatus.APPROVED),
        (AccessLevel.REGISTERED, RequestStatus.APPROVED),
        (AccessLevel.RESTRICTED, RequestStatus.REVIEW),
        (AccessLevel.EMBARGOED, RequestStatus.EMBARGO),
    ],
)
def test_the_access_level_decides_where_a_request_starts(uow, pubs, level, expected) -> None:
    queue = Queue()
    number = submit(uow, person(uow, "ani@example.id"), pubs[level], queue)
    assert status(uow, number) is expected
    assert bool(queue.delivered) is (expected is RequestStatus.APPROVED)


def test_a_request_needs_a_verified_email(uow, pubs) -> None:
    queue = Queue()
    with pytest.raises(NotAllowed):
        submit(uow, person(uow, "ani@example.id", verified=False), pubs[AccessLevel.OPEN], queue)
    with uow:
        assert uow.session.scalar(select(func.count(SoftcopyRequest.id))) == 0
    assert queue.delivered == []


def test_the_answer_is_due_three_working_days_after_the_request(uow, pubs) -> None:
    friday = dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)  # 15:30 WIB
    number = submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.RESTRICTED], Queue(), now=friday)
    with uow:
        view = request_view(uow, _user(uow), number)
    assert view.due_at == dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.UTC)


def _user(uow: UnitOfWork):
    """Return the account of ani@example.id (inside an open unit of work)."""
    from library.models import User

    return uow.session.scalar(select(User).where(User.email == "ani@example.id"))


def test_the_daily_quota_is_enforced_with_a_clear_message(uow, pubs) -> None:
    actor = person(uow, "ani@example.id")
    rules = RequestRules(daily_quota=2)
    submit(uow, actor, pubs[AccessLevel.OPEN], Queue(), rules, scope="pages", pages="1")
    submit(uow, actor, pubs[AccessLevel.OPEN], Queue(), rules, scope="pages", pages="2")
    with pytest.raises(InvalidInput, match="2 requests today"):
        submit(uow, actor, pubs[AccessLevel.OPEN], Queue(), rules, scope="pages", pages="3")
    tomorrow = NOW + dt.timedelta(days=1)
    submit(uow, actor, pubs[AccessLevel.OPEN], Queue(), rules, now=tomorrow, scope="pages", pages="3")


def test_the_monthly_quota_is_enforced(uow, pubs) -> None:
    actor = person(uow, "ani@example.id")
    rules = RequestRules(monthly_quota=1)
    submit(uow, actor, pubs[AccessLevel.OPEN], Queue(), rules)
    with pytest.raises(InvalidInput, match="this month"):
        submit(uow, actor, pubs[AccessLevel.RESTRICTED], Queue(), rules, now=NOW + dt.timedelta(days=2))


def test_asking_twice_for_the_same_thing_points_to_the_first_request(uow, pubs) -> None:
    actor = person(uow, "ani@example.id")
    first = submit(uow, actor, pubs[AccessLevel.RESTRICTED], Queue())
    with pytest.raises(InvalidInput, match=first):
        submit(uow, actor, pubs[AccessLevel.RESTRICTED], Queue())


@pytest.mark.parametrize(
    ("changes", "field_name"),
    [
        ({"purpose": "fun"}, "purpose"),
        ({"intended_use": "short"}, "intended_use"),
        ({"agreed": False}, "agreed"),
        ({"scope": "pages", "pages": "3-9"}, "pages"),
        ({"scope": "chapters"}, "scope"),
    ],
)
def test_a_wrong_form_names_its_field_and_records_nothing(uow, pubs, changes, field_name) -> None:
    with pytest.raises(InvalidField) as refused:
        submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.OPEN], Queue(), **changes)
    assert refused.value.field == field_name
    with uow:
        assert uow.session.scalar(select(func.count(SoftcopyRequest.id))) == 0


def test_a_librarian_approves_and_only_a_librarian(uow, pubs) -> None:
    queue = Queue()
    reader = person(uow, "ani@example.id")
    librarian = person(uow, "pustakawan@example.id", roles=(Role.LIBRARIAN,))
    number = submit(uow, reader, pubs[AccessLevel.RESTRICTED], queue)
    with uow, pytest.raises(NotAllowed):
        check_approve(uow, reader, number, queue, NOW)
    with uow:
        check_approve(uow, librarian, number, queue, NOW, "Untuk skripsi, disetujui.")
        uow.commit()
    assert status(uow, number) is RequestStatus.APPROVED and len(queue.delivered) == 1
    with uow:
        events = request_view(uow, librarian, number).events
    assert [e.status for e in events] == [RequestStatus.REVIEW, RequestStatus.APPROVED]
    assert events[-1].note == "Untuk skripsi, disetujui." and events[-1].actor_name


def test_a_refusal_needs_a_reason_and_emails_it(uow, pubs, sent) -> None:
    reader = person(uow, "ani@example.id")
    librarian = person(uow, "pustakawan@example.id", roles=(Role.LIBRARIAN,))
    number = submit(uow, reader, pubs[AccessLevel.RESTRICTED], Queue())
    mailer = Mailer(sent, "pst@example.id")
    with uow, pytest.raises(InvalidField):
        check_refuse(uow, librarian, number, "no", mailer, str, NOW)
    with uow:
        check_refuse(uow, librarian, number, "Data masih dalam verifikasi.", mailer, str, NOW)
        uow.commit()
    assert status(uow, number) is RequestStatus.REFUSED
    assert "Data masih dalam verifikasi." in sent.messages[0].get_content()


def test_an_embargoed_request_is_released_on_its_date(uow, pubs) -> None:
    queue = Queue()
    number = submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.EMBARGOED], queue)
    with uow:
        until = uow.session.scalar(
            select(Publication.embargo_until).where(Publication.id == pubs[AccessLevel.EMBARGOED])
        )
        assert release_embargoed(uow, queue, until - dt.timedelta(days=1), NOW) == []
        assert release_embargoed(uow, queue, until, NOW) == [number]
        uow.commit()
    assert status(uow, number) is RequestStatus.APPROVED and len(queue.delivered) == 1


def test_my_requests_lists_only_mine(uow, pubs) -> None:
    ani, budi = person(uow, "ani@example.id"), person(uow, "budi@example.id")
    mine = submit(uow, ani, pubs[AccessLevel.OPEN], Queue())
    submit(uow, budi, pubs[AccessLevel.OPEN], Queue())
    with uow:
        assert [v.number for v in list_my_requests(uow, ani)] == [mine]


def test_a_refused_request_cannot_then_be_approved(uow, pubs, sent) -> None:
    queue = Queue()
    reader = person(uow, "ani@example.id")
    librarian = person(uow, "pustakawan@example.id", roles=(Role.LIBRARIAN,))
    number = submit(uow, reader, pubs[AccessLevel.RESTRICTED], queue)
    with uow:
        check_refuse(
            uow, librarian, number, "Data masih dalam verifikasi.", Mailer(sent, "pst@x.id"), str, NOW
        )
        uow.commit()
    with uow, pytest.raises(InvalidInput, match="not waiting"):
        check_approve(uow, librarian, number, queue, NOW)
    assert queue.delivered == [] and status(uow, number) is RequestStatus.REFUSED


def test_control_characters_are_taken_out_of_free_text(uow, pubs) -> None:
    number = submit(
        uow,
        person(uow, "ani@example.id"),
        pubs[AccessLevel.RESTRICTED],
        Queue(),
        intended_use="Untuk\x00 skripsi\r\nsaya.",
        tables="Tabel 3.1\x07",
    )
    with uow:
        row = uow.session.scalar(select(SoftcopyRequest).where(SoftcopyRequest.number == number))
        assert (row.intended_use, row.tables_wanted) == ("Untuk skripsi\nsaya.", "Tabel 3.1")
