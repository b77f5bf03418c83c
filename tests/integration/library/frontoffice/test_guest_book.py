"""The guest book on SQLite and PostgreSQL: visits, tickets, accounts by email, and its guards."""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress

import pytest
from sqlalchemy import func, select

from library.accounts.ratelimit import TooManyAttempts
from library.accounts.users import check_create_user
from library.errors import NotFound
from library.frontoffice.guest_book import (
    REPEAT_MINUTES,
    EntryInvalid,
    FormRefused,
    RepeatedName,
    check_sign_guest_book,
    guest_book_offer,
)
from library.models import QueueService, RateLimitHit, Role, Ticket, User, Visit
from library.models.base import utcnow
from library.permissions import SYSTEM
from library.uow import UnitOfWork
from tests.integration.library.frontoffice_helpers import (
    METRO,
    NOW,
    entry,
    load_offices,
    make_guard,
    sign,
    visit_of,
)


@pytest.fixture
def guard(engine):
    return make_guard(engine)


@pytest.fixture(autouse=True)
def offices(uow: UnitOfWork) -> None:
    load_offices(uow)


def count(uow: UnitOfWork, model: type) -> int:
    with uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_form_offers_the_offices_services_in_its_order(uow) -> None:
    with uow:
        offered = guest_book_offer(uow, METRO)
        other = guest_book_offer(uow, "1805")
    assert offered.office_name.endswith("Kota Metro")
    assert [(s.code, s.letter) for s in offered.services] == [("library", "P"), ("consultation", "K")]
    assert [s.code for s in other.services] == ["consultation"]


def test_a_service_switched_off_is_not_offered(uow) -> None:
    with uow:
        uow.session.execute(
            QueueService.__table__.update().where(QueueService.code == "library").values(active=False)
        )
        uow.commit()
    with uow:
        assert [s.code for s in guest_book_offer(uow, METRO).services] == ["consultation"]


def test_an_entry_makes_a_visit_with_a_ticket_per_service_numbered_per_queue(uow, guard) -> None:
    first = visit_of(uow, sign(uow, guard, entry(services=("consultation", "library"))))
    second = visit_of(uow, sign(uow, guard, entry(services=("library",))))
    assert [t.code for t in first.tickets] == ["P-001", "K-001"]
    assert [t.code for t in second.tickets] == ["P-002"]
    assert all(t.issued_at == NOW and t.status == "waiting" for t in first.tickets)
    assert (first.name, first.sex, first.age_band, first.education) == (
        "Siti Aminah",
        "female",
        "17_25",
        "bachelor",
    )
    assert (first.occupation, first.institution, first.phone) == (
        "student",
        "Universitas Lampung",
        "0812 3456 7890",
    )
    assert first.purpose == "Mencari data kemiskinan" and first.channel == "kiosk"
    assert first.arrived_at == NOW and first.user_id is None
    assert len(first.status_token) == 32 and first.status_token != second.status_token


def test_the_visits_day_is_the_offices_date_not_utcs(uow, guard) -> None:
    # 23:30 UTC on the 22nd is 06:30 WIB on the 23rd in Kota Metro.
    late = dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC)
    visit = visit_of(uow, sign(uow, guard, entry(now=late), now=late))
    assert visit.day == dt.date(2026, 11, 23)
    assert visit.tickets[0].day == dt.date(2026, 11, 23)


def test_the_email_is_kept_as_declared_and_joins_no_account(uow, guard) -> None:
    first = visit_of(uow, sign(uow, guard, entry(email=" Siti@Example.ID ")))
    second = visit_of(uow, sign(uow, guard, entry(email="SITI@example.id", name="Siti A.")))
    assert (first.email, second.email) == ("siti@example.id", "siti@example.id")
    assert (first.user_id, second.user_id) == (None, None)
    assert first.identity_check == second.identity_check == "declared"
    assert count(uow, User) == 0  # typing an address makes no account: proof does (identity)


def test_an_email_with_an_account_leaves_the_account_untouched_and_unjoined(uow, guard) -> None:
    with uow:
        made = check_create_user(
            uow,
            SYSTEM,
            email="budi@example.id",
            name="Budi",
            roles=[Role.LIBRARIAN],
            password="kopi tubruk pagi",
            email_verified=True,
            now=utcnow(),
        )
        uow.commit()
    visit = visit_of(uow, sign(uow, guard, entry(email="Budi@Example.id", name="Budi Santoso")))
    assert visit.user_id is None and visit.identity_check == "declared"
    with uow:
        user = uow.session.get(User, made.id)
        assert user is not None and user.name == "Budi" and user.password_hash
    assert count(uow, User) == 1


def test_bad_answers_leave_nothing_behind_and_do_not_count_against_the_limit(uow, guard) -> None:
    with pytest.raises(EntryInvalid) as refused:
        sign(uow, guard, entry(sex="", services=("library", "printing"), email="nobody@"))
    assert refused.value.fields == {"sex", "services", "email"}
    assert (count(uow, Visit), count(uow, Ticket), count(uow, User), count(uow, RateLimitHit)) == (0, 0, 0, 0)


def test_a_service_the_office_does_not_offer_is_refused(uow, guard) -> None:
    # Tulang Bawang offers consultation only: its guest book has no library queue.
    with pytest.raises(EntryInvalid) as refused:
        sign(uow, guard, entry(services=("library",)), office="1805")
    assert refused.value.fields == {"services"}


def test_an_unknown_office_is_not_found(uow, guard) -> None:
    with pytest.raises(NotFound):
        sign(uow, guard, entry(), office="9999")


def test_a_filled_in_honeypot_is_refused_and_counted(uow, guard) -> None:
    with pytest.raises(FormRefused, match="could not be accepted"):
        sign(uow, guard, entry(honeypot="http://spam.example"))
    assert (count(uow, Visit), count(uow, RateLimitHit)) == (
        0,
        2,
    )  # counted against both its limits: ten minutes and the day


def test_a_form_sent_within_seconds_of_opening_is_refused(uow, guard) -> None:
    form = entry(form_started=entry(now=NOW + dt.timedelta(minutes=1) - dt.timedelta(seconds=2)).form_started)
    with pytest.raises(FormRefused, match="too quickly"):
        sign(uow, guard, form)
    assert count(uow, Visit) == 0


def test_a_form_sent_at_once_hears_about_its_answers_first(uow, guard) -> None:
    form = entry(name="", form_started=entry(now=NOW + dt.timedelta(minutes=1)).form_started)
    with pytest.raises(EntryInvalid) as refused:
        sign(uow, guard, form)
    assert refused.value.fields == {"name"}


def test_a_form_refused_as_too_quick_counts_against_the_limit(uow, guard) -> None:
    with pytest.raises(FormRefused):
        sign(uow, guard, entry(form_started=entry(now=NOW + dt.timedelta(minutes=1)).form_started))
    assert count(uow, RateLimitHit) == 2  # its ten-minute and its daily limit


def test_a_form_open_for_hours_is_refused(uow, guard) -> None:
    with pytest.raises(FormRefused, match="open for too long"):
        sign(uow, guard, entry(now=NOW - dt.timedelta(hours=4)))
    assert count(uow, Visit) == 0


def test_twenty_entries_from_one_address_in_ten_minutes_are_the_most(uow, guard) -> None:
    for n in range(20):
        sign(uow, guard, entry(), now=NOW + dt.timedelta(seconds=20 * n))
    with pytest.raises(TooManyAttempts):
        sign(uow, guard, entry(), now=NOW + dt.timedelta(minutes=7))
    sign(uow, guard, entry(), now=NOW + dt.timedelta(minutes=7), client="10.0.0.10")  # another address
    sign(uow, guard, entry(now=NOW + dt.timedelta(minutes=11)), now=NOW + dt.timedelta(minutes=11))
    assert count(uow, Visit) == 22


def test_an_entry_not_committed_leaves_no_visit_ticket_or_account(uow, guard) -> None:
    with uow:
        check_sign_guest_book(
            uow, guard, entry(email="x@example.id"), office_code=METRO, now=NOW, client="10.0.0.9"
        )
    assert (count(uow, Visit), count(uow, Ticket), count(uow, User)) == (0, 0, 0)


def test_the_front_offices_own_tablet_takes_a_whole_group_yet_is_not_unlimited(uow, guard) -> None:
    tablets = dataclasses.replace(guard, kiosks=(ipaddress.ip_network("10.0.5.0/24"),))
    for n in range(30):  # a school class, one after another
        sign(uow, tablets, entry(), now=NOW + dt.timedelta(seconds=10 * n), client="10.0.5.20")
    assert count(uow, Visit) == 30
    for n in range(20):  # any other address has the lower limit
        sign(uow, tablets, entry(), now=NOW + dt.timedelta(seconds=10 * n), client="10.0.6.1")
    with pytest.raises(TooManyAttempts):
        sign(uow, tablets, entry(), now=NOW + dt.timedelta(minutes=5), client="10.0.6.1")
    for n in range(30, 60):  # the tablet: 60 in an hour, more than people fill in
        sign(uow, tablets, entry(), now=NOW + dt.timedelta(seconds=10 * n), client="10.0.5.20")
    with pytest.raises(TooManyAttempts):
        sign(uow, tablets, entry(), now=NOW + dt.timedelta(minutes=15), client="10.0.5.20")


def test_an_address_has_a_daily_limit_beyond_its_ten_minute_one(uow, guard) -> None:
    for n in range(40):  # two full windows of ten minutes, then more, in one day
        at = NOW + dt.timedelta(minutes=11 * (n // 20), seconds=n)
        sign(uow, guard, entry(now=at), now=at, client="10.0.7.1")
    later = NOW + dt.timedelta(hours=5)
    with pytest.raises(TooManyAttempts):
        sign(uow, guard, entry(now=later), now=later, client="10.0.7.1")
    tomorrow = NOW + dt.timedelta(days=1, minutes=1)
    sign(uow, guard, entry(now=tomorrow), now=tomorrow, client="10.0.7.1")


def test_the_tablet_is_still_guarded_against_programs(uow, guard) -> None:
    tablets = dataclasses.replace(guard, kiosks=(ipaddress.ip_network("10.0.5.20"),))
    with pytest.raises(FormRefused):
        sign(uow, tablets, entry(honeypot="http://spam.example"), client="10.0.5.20")
    with pytest.raises(FormRefused):
        sign(uow, tablets, entry(now=NOW + dt.timedelta(minutes=1)), client="10.0.5.20")
    assert count(uow, Visit) == 0


def test_the_same_name_signing_again_within_minutes_is_asked_first_and_confirmed_is_taken(uow, guard) -> None:
    sign(uow, guard, entry(name="Siti Aminah", same_name_confirmed=False))
    later = NOW + dt.timedelta(minutes=1)
    again = entry(later, name="  siti   AMINAH ", same_name_confirmed=False)
    with uow, pytest.raises(RepeatedName) as asked:
        check_sign_guest_book(uow, guard, again, office_code=METRO, now=later, client="10.0.0.9")
    assert asked.value.fields == {"same_name"}  # the question is asked at its checkbox
    assert count(uow, Visit) == 1
    sign(uow, guard, dataclasses.replace(again, same_name_confirmed=True), later)  # another Siti Aminah
    sign(uow, guard, entry(name="Budi", same_name_confirmed=False), later)  # another name: no question
    assert count(uow, Visit) == 3


def test_the_same_name_is_not_asked_about_after_the_window_or_at_another_office(uow, guard) -> None:
    sign(uow, guard, entry(name="Siti Aminah", same_name_confirmed=False))
    at_other = entry(name="Siti Aminah", services=("consultation",), same_name_confirmed=False)
    sign(uow, guard, at_other, office="1805")
    later = NOW + dt.timedelta(minutes=REPEAT_MINUTES, seconds=1)
    sign(uow, guard, entry(later, name="Siti Aminah", same_name_confirmed=False), later)
    assert count(uow, Visit) == 3
