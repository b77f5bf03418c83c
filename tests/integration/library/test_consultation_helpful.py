"""Online consultations on SQLite and PostgreSQL: the acknowledgement, and the user's own close."""

from __future__ import annotations

import datetime as dt

import pytest

from library.consultation.consultations import check_open_consultation
from library.consultation.desk import check_mark_clear
from library.models import Role
from library.uow import UnitOfWork
from tests.integration.library.frontoffice_helpers import load_offices
from tests.integration.library.test_consultations import GOOD, RULES, WIB, person, step

SATURDAY = dt.datetime(2026, 11, 28, 10, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def offices(uow: UnitOfWork) -> None:
    load_offices(uow)


def test_opening_acknowledges_the_number_and_the_due_date_the_standard_clock_gives(uow, post, sent) -> None:
    ani = person(uow, "ani@example.id")
    budi = person(uow, "budi@example.id", roles=(Role.CONSULTANT,))
    number = step(uow, check_open_consultation, ani, GOOD, RULES, SATURDAY, post=post)
    [mail] = sent.messages
    text = mail.get_content()
    assert mail["To"] == "ani@example.id" and number in mail["Subject"]
    # Asked on a Saturday: the 3 working days count from Monday's opening, as a clear question's clock.
    assert "paling lambat 3 Desember 2026 08.00 WIB" in text and "due by 3 December 2026, 08:00 WIB" in text
    assert text.index("sudah kami terima") < text.index("We have received")
    assert f"https://pst.example.id/konsultasi/{number}" in text
    due = step(uow, check_mark_clear, budi, number, RULES, SATURDAY)
    assert due == dt.datetime(2026, 12, 3, 8, 0, tzinfo=WIB)
