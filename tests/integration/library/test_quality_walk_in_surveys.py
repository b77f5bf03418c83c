"""Walk-in visitors are invited to rate each service they were given, once, on the terminal or by QR."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from library.frontoffice import check_depart, finish_service, start_service, visit_status
from library.models import SurveyChannel, SurveyInvitation
from library.quality import ticket_event
from library.uow import UnitOfWork
from tests.integration.library.queue_helpers import arrive, at, person, set_up


@pytest.fixture
def day(uow: UnitOfWork):
    with uow:
        set_up(uow)
        yield uow


def invitations(uow: UnitOfWork) -> list[SurveyInvitation]:
    return list(uow.session.scalars(select(SurveyInvitation).order_by(SurveyInvitation.id)))


def test_finishing_a_service_invites_its_visitor_to_rate_it(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    start_service(day, person(day, "front"), ticket.id, at(1))
    finish_service(day, person(day, "front"), ticket.id, at(20))
    [invitation] = invitations(day)
    assert (invitation.event_key, invitation.service, invitation.channel) == (
        ticket_event(ticket.id),
        "library",
        SurveyChannel.VISIT.value,
    )
    status = visit_status(day, ticket.visit.status_token, at(21))
    assert status.tickets[0].survey == invitation.token


def test_leaving_invites_for_services_given_and_never_for_a_no_show(day: UnitOfWork) -> None:
    library, consultation = arrive(day, "Budi", 0, ("library", "consultation"))
    start_service(day, person(day, "front"), library.id, at(1))  # at the terminal or a counter
    check_depart(day, person(day, "front"), library.visit_id, at(30))  # the consultation never came
    assert [i.event_key for i in invitations(day)] == [ticket_event(library.id)]
    status = visit_status(day, library.visit.status_token, at(31))
    assert [t.survey is not None for t in status.tickets] == [True, False]
    check_depart(day, person(day, "front"), library.visit_id, at(32))  # twice: still one
    assert day.session.scalar(select(func.count()).select_from(SurveyInvitation)) == 1
