"""Librarians search the delivery ledger by person, publication, channel and office day."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

import catalog_data
from library.errors import InvalidInput, NotAllowed
from library.filestore import FileStore
from library.ledger.deliveries import Recipient
from library.ledger.search import LedgerQuery, ledger_records, search_ledger
from library.models import DeliveryChannel, Publication, Role, User
from library.permissions import SYSTEM
from library.uow import UnitOfWork
from tests.integration.library.ingest_fixtures import load_demo_records
from tests.integration.library.ledger_helpers import deliver
from tests.integration.library.pdf_helpers import tiny_pdf

WIB = dt.timezone(dt.timedelta(hours=7))


def person(uow: UnitOfWork, *roles: Role) -> User:
    """Return the stored person holding exactly these roles, storing them on first use."""
    email = "-".join(sorted(role.value for role in roles)) + "@bps.go.id"
    user = uow.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name="Someone", active=True)
        user.set_roles(frozenset(roles))
        uow.session.add(user)
        uow.commit()
    return user


@pytest.fixture
def publications(uow: UnitOfWork, store: FileStore) -> dict[str, int]:
    """Load two demo records with one-page stand-in PDFs; return their ids by title."""
    records = catalog_data.load_demo_catalogue()[:2]
    with uow:
        load_demo_records(uow, store, records, lambda r: tiny_pdf(r.title, 1))
        return {
            title: pid
            for pid, title in uow.session.execute(
                select(Publication.id, Publication.title).order_by(Publication.id)
            )
        }


@pytest.fixture
def ledger(uow: UnitOfWork, store: FileStore, publications: dict[str, int]) -> dict[str, str]:
    """Deliver four copies over three days; return their delivery ids by a short name."""
    first, second = publications.values()
    planned = [
        ("dewi", first, ("Dewi Lestari", "dewi@unila.ac.id"), (4, 9, 0), DeliveryChannel.ONLINE),
        ("budi", second, ("Budi Santoso", "budi.s@example.id"), (5, 10, 0), DeliveryChannel.SCAN),
        ("late", first, ("Rina Wati", "rina@example.id"), (5, 23, 30), DeliveryChannel.ONLINE),
        ("next", second, ("Dewi Kartika", "kartika@example.id"), (6, 0, 30), DeliveryChannel.TERMINAL),
    ]
    return {
        name: deliver(
            uow, store, pid, Recipient(*who), channel=channel, when=dt.datetime(2026, 3, *at, tzinfo=WIB)
        ).delivery_id
        for name, pid, who, at, channel in planned
    }


def found(uow: UnitOfWork, query: LedgerQuery, **paging: int) -> list[str]:
    """Return the delivery ids a librarian's search lists, in order."""
    with uow:
        return [r.delivery_id for r in search_ledger(uow, person(uow, Role.LIBRARIAN), query, **paging).items]


def test_the_ledger_lists_every_delivery_newest_first(uow, ledger) -> None:
    assert found(uow, LedgerQuery()) == [ledger["next"], ledger["late"], ledger["budi"], ledger["dewi"]]


@pytest.mark.parametrize(
    "text, names",
    [
        ("dewi", ["next", "dewi"]),
        ("DEWI", ["next", "dewi"]),
        ("unila", ["dewi"]),
        ("  Santoso ", ["budi"]),
        ("nobody", []),
    ],
)
def test_the_person_filter_matches_part_of_a_name_or_email_in_any_case(uow, ledger, text, names) -> None:
    assert found(uow, LedgerQuery(person=text)) == [ledger[n] for n in names]


def test_the_publication_filter_matches_part_of_the_title_in_any_case(uow, ledger) -> None:
    assert found(uow, LedgerQuery(publication="metro PUSAT")) == [ledger["next"], ledger["budi"]]
    assert len(found(uow, LedgerQuery(publication="Dalam Angka 2024"))) == 4


@pytest.mark.parametrize("form", ["{id}", "#{id}", " {id} "])
def test_a_number_alone_is_a_publication_id(uow, ledger, publications, form) -> None:
    first = list(publications.values())[0]
    assert found(uow, LedgerQuery(publication=form.format(id=first))) == [ledger["late"], ledger["dewi"]]


def test_a_number_no_publication_can_have_finds_nothing(uow, ledger) -> None:
    assert found(uow, LedgerQuery(publication="99999999999999999999")) == []


def test_percent_and_underscore_in_a_search_are_taken_literally(uow, ledger) -> None:
    assert found(uow, LedgerQuery(person="%")) == []
    assert found(uow, LedgerQuery(person="_")) == []


def test_the_channel_filter_keeps_only_that_channel(uow, ledger) -> None:
    assert found(uow, LedgerQuery(channel=DeliveryChannel.SCAN)) == [ledger["budi"]]


def test_a_delivery_at_half_past_eleven_at_night_belongs_to_that_office_day(uow, ledger) -> None:
    fifth = dt.date(2026, 3, 5)
    assert found(uow, LedgerQuery(date_from=fifth, date_to=fifth)) == [ledger["late"], ledger["budi"]]


def test_the_next_office_day_starts_at_midnight_office_time(uow, ledger) -> None:
    assert found(uow, LedgerQuery(date_from=dt.date(2026, 3, 6))) == [ledger["next"]]
    assert found(uow, LedgerQuery(date_to=dt.date(2026, 3, 4))) == [ledger["dewi"]]


def test_the_office_time_zone_decides_the_day(uow, ledger) -> None:
    # 23:30 WIB is 00:30 WITA on the 6th: for an office in Makassar it is the next day.
    sixth = dt.date(2026, 3, 6)
    query = LedgerQuery(date_from=sixth, date_to=sixth, timezone="Asia/Makassar")
    assert found(uow, query) == [ledger["next"], ledger["late"]]


def test_filters_combine(uow, ledger) -> None:
    query = LedgerQuery(person="dewi", channel=DeliveryChannel.ONLINE, date_to=dt.date(2026, 3, 5))
    assert found(uow, query) == [ledger["dewi"]]


def test_pages_split_the_rows_and_keep_the_total(uow, ledger) -> None:
    with uow:
        second = search_ledger(uow, person(uow, Role.LIBRARIAN), LedgerQuery(), page=2, per_page=3)
    assert [r.delivery_id for r in second.items] == [ledger["dewi"]]
    assert (second.total, second.pages, second.has_next) == (4, 2, False)


def test_a_row_carries_the_ledger_record_and_the_title(uow, ledger, publications) -> None:
    with uow:
        row = search_ledger(uow, person(uow, Role.LIBRARIAN), LedgerQuery(person="budi")).items[0]
    assert (row.recipient_name, row.recipient_email, row.channel) == (
        "Budi Santoso",
        "budi.s@example.id",
        "scan",
    )
    assert row.publication_title == list(publications)[1]
    assert row.delivered_at == dt.datetime(2026, 3, 5, 3, 0, tzinfo=dt.UTC)


def test_a_start_date_after_the_end_date_is_refused(uow) -> None:
    query = LedgerQuery(date_from=dt.date(2026, 3, 6), date_to=dt.date(2026, 3, 5))
    with uow, pytest.raises(InvalidInput, match="The start date is after the end date"):
        search_ledger(uow, person(uow, Role.LIBRARIAN), query)


@pytest.mark.parametrize(
    "roles", [None, (Role.READER,), (Role.FRONT_OFFICE,)], ids=["nobody", "reader", "front office"]
)
def test_only_librarians_may_read_the_ledger(uow, roles) -> None:
    with uow, pytest.raises(NotAllowed):
        search_ledger(uow, person(uow, *roles) if roles else None, LedgerQuery())
    with uow, pytest.raises(NotAllowed):
        ledger_records(uow, person(uow, *roles) if roles else None, LedgerQuery())


def test_the_system_may_not_read_the_ledger(uow) -> None:
    with uow, pytest.raises(NotAllowed):
        search_ledger(uow, SYSTEM, LedgerQuery())


def test_an_admin_may_read_the_ledger(uow, ledger) -> None:
    with uow:
        assert search_ledger(uow, person(uow, Role.ADMIN), LedgerQuery()).total == 4


def test_the_export_yields_every_matching_row_newest_first(uow, ledger) -> None:
    with uow:
        rows = [
            r.delivery_id
            for r in ledger_records(
                uow, person(uow, Role.LIBRARIAN), LedgerQuery(publication="", person="dewi")
            )
        ]
    assert rows == [ledger["next"], ledger["dewi"]]
