"""What a consultant records of a walk-in consultation: saved on the ticket, needed to finish it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from library.errors import InvalidField, InvalidFields, NotAllowed
from library.frontoffice.queue.actions import call_next, start_service
from library.frontoffice.queue.at_work import QueueError, QueueRef
from library.frontoffice.queue.consultation_records import (
    ConsultationNote,
    check_finish_consultation,
    check_record_consultation,
    check_save_consultation_record,
    ticket_history,
)
from library.frontoffice.queue.read_models import console_view
from library.models import TicketStatus, WalkInConsultation
from library.uow import UnitOfWork
from tests.integration.library.queue_helpers import OFFICE, arrive, at, person, set_up

CONSULTATION = QueueRef(OFFICE, "consultation")
NOTE = ConsultationNote("  Inflasi   Kota Metro ", "Tabel inflasi 2020-2025", "softcopy")


@pytest.fixture
def day(uow: UnitOfWork):
    """Open a unit of work on a set-up queue day."""
    with uow:
        set_up(uow)
        yield uow


def serving(day: UnitOfWork, name: str = "Ani", minutes: float = 0) -> int:
    """Bring a consultation visitor to the consultant's desk and start serving them; return the ticket id."""
    arrive(day, name, minutes, ["consultation"])
    ticket = call_next(day, person(day, "consultant"), OFFICE, "consultation", "Meja 1", at(minutes + 1))
    start_service(day, person(day, "consultant"), ticket.id, at(minutes + 2), at=CONSULTATION)
    return ticket.id


def records(day: UnitOfWork) -> list[WalkInConsultation]:
    return list(day.session.scalars(select(WalkInConsultation)))


def test_the_consultant_records_a_consultation_on_its_ticket(day: UnitOfWork) -> None:
    ticket_id = serving(day)
    check_record_consultation(day, person(day, "consultant"), ticket_id, NOTE, at(5), at=CONSULTATION)
    (row,) = records(day)
    assert (row.ticket_id, row.topic, row.given, row.referral) == (
        ticket_id,
        "Inflasi Kota Metro",
        "Tabel inflasi 2020-2025",
        "softcopy",
    )
    assert row.consultant_id == person(day, "consultant").id and row.recorded_at == at(5)


def test_recording_again_changes_the_one_record(day: UnitOfWork) -> None:
    ticket_id = serving(day)
    consultant = person(day, "consultant")
    check_record_consultation(day, consultant, ticket_id, NOTE, at(5), at=CONSULTATION)
    check_record_consultation(day, consultant, ticket_id, ConsultationNote("PDRB", "", "library"), at(6))
    (row,) = records(day)
    assert (row.topic, row.given, row.referral) == ("PDRB", "", "library")


def test_finishing_with_the_record_starts_the_next_visitors_clock(day: UnitOfWork) -> None:
    first = serving(day, "Ani", 0)
    arrive(day, "Budi", 1, ["consultation"])
    done = check_finish_consultation(day, person(day, "consultant"), first, at(20), NOTE, at=CONSULTATION)
    assert done.status == TicketStatus.DONE and done.finished_at == at(20)
    (waiting,) = console_view(day, person(day, "consultant"), OFFICE, "consultation", at(25)).waiting
    assert waiting.clock_started_at == at(20) and waiting.waited_minutes == 5
    assert len(records(day)) == 1


@pytest.mark.parametrize(("finish", "status"), [(False, TicketStatus.SERVING), (True, TicketStatus.DONE)])
def test_the_consoles_form_saves_the_record_and_finishes_only_when_asked(
    day: UnitOfWork, finish: bool, status: TicketStatus
) -> None:
    ticket_id = serving(day)
    consultant = person(day, "consultant")
    ticket = check_save_consultation_record(
        day, consultant, ticket_id, NOTE, at(20), finish=finish, at=CONSULTATION
    )
    assert ticket.status == status
    (row,) = records(day)
    assert (row.topic, row.recorded_at) == ("Inflasi Kota Metro", at(20))


def test_finishing_without_a_topic_is_refused_and_leaves_the_visitor_being_served(day: UnitOfWork) -> None:
    ticket_id = serving(day)
    consultant = person(day, "consultant")
    with pytest.raises(InvalidFields) as refused:
        check_finish_consultation(day, consultant, ticket_id, at(9), ConsultationNote("   ", "Tabel", "none"))
    assert refused.value.field == "topic" and "topic" in refused.value.message
    with pytest.raises(InvalidField) as no_record:
        check_finish_consultation(day, consultant, ticket_id, at(9))  # the plain "Finish" button
    assert no_record.value.field == "topic"
    day.session.expire_all()
    assert records(day) == []
    assert console_view(day, consultant, OFFICE, "consultation", at(10)).at_counters[0].status == "serving"


def test_a_record_saved_before_lets_the_plain_finish_button_finish(day: UnitOfWork) -> None:
    ticket_id = serving(day)
    consultant = person(day, "consultant")
    check_record_consultation(day, consultant, ticket_id, NOTE, at(5))
    assert check_finish_consultation(day, consultant, ticket_id, at(9)).status == TicketStatus.DONE


@pytest.mark.parametrize(
    ("note", "fields"),
    [
        (ConsultationNote("x" * 201, "", "none"), ["topic"]),
        (ConsultationNote("Inflasi", "y" * 4001, "none"), ["given"]),
        (ConsultationNote("Inflasi", "", "kasir"), ["referral"]),
        (ConsultationNote("", "y" * 4001, "kasir"), ["topic", "given", "referral"]),
    ],
)
def test_a_bad_record_names_every_field_at_once(
    day: UnitOfWork, note: ConsultationNote, fields: list[str]
) -> None:
    ticket_id = serving(day)
    with pytest.raises(InvalidFields) as refused:
        check_record_consultation(day, person(day, "consultant"), ticket_id, note, at(5))
    assert [p.field for p in refused.value.problems] == fields  # type: ignore[attr-defined]
    assert records(day) == []


def test_only_a_consultation_being_served_is_recorded(day: UnitOfWork) -> None:
    (library,) = arrive(day, "Ani", 0, ["library"])
    (waiting,) = arrive(day, "Budi", 0, ["consultation"])
    front = person(day, "front")
    with pytest.raises(QueueError, match="consultation"):
        check_record_consultation(day, front, library.id, NOTE, at(1))
    with pytest.raises(QueueError, match="not being served"):
        check_record_consultation(day, front, waiting.id, NOTE, at(1))


def test_a_librarian_may_not_record_a_consultation(day: UnitOfWork) -> None:
    ticket_id = serving(day)
    with pytest.raises(NotAllowed):
        check_record_consultation(day, person(day, "librarian"), ticket_id, NOTE, at(5))


def test_the_tickets_history_shows_its_steps_and_the_record(day: UnitOfWork) -> None:
    ticket_id = serving(day)
    consultant = person(day, "consultant")
    check_finish_consultation(day, consultant, ticket_id, at(20), NOTE, at=CONSULTATION)
    history = ticket_history(day, consultant, ticket_id, at=CONSULTATION)
    assert [step.what for step in history.steps] == [
        "Ticket taken at the guest book",
        "Called to the counter",
        "Service started",
        "Consultation recorded",
        "Service finished",
    ]
    assert history.note == ConsultationNote("Inflasi Kota Metro", "Tabel inflasi 2020-2025", "softcopy")
    assert history.consultant_name == consultant.name and history.referral_words == "To a softcopy request"
    with pytest.raises(QueueError):
        ticket_history(day, consultant, ticket_id, at=QueueRef(OFFICE, "library"))
