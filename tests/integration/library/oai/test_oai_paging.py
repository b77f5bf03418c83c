"""OAI-PMH lists page by a (updated_at, id) cursor that survives both databases, ties and microseconds."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from library.models import Office, Publication
from library.oai import verbs as oai
from library.oai.repository import Repository
from library.oai.requests import NoRecordsMatch, OAIRequest
from library.uow import UnitOfWork

NOW = dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.UTC)
T0 = dt.datetime(2024, 5, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)
# Three publications share one updated_at to the microsecond: only the id orders them.
STAMPS = [
    T0,
    T0,
    T0,
    T0 + dt.timedelta(microseconds=1),
    T0 + dt.timedelta(seconds=1),
    T0 + dt.timedelta(days=1),
]


def repository(page_size: int) -> Repository:
    """Return a repository description paging `page_size` records at a time."""
    return Repository("https://pustaka.example.go.id", "1872", "pst@example.go.id", b"k" * 32, page_size)


@pytest.fixture
def ids(uow: UnitOfWork) -> list[int]:
    """Store publications of two offices with the test datestamps; return their ids in stamp order."""
    with uow:
        metro = Office(code="1872", name="BPS Kota Metro")
        sumsel = Office(code="1600", name="BPS Provinsi Sumatera Selatan")
        uow.session.add_all([metro, sumsel])
        rows = [
            Publication(
                key=f"p{n}",
                title=f"Publikasi {n}",
                subject="Statistik Umum" if n % 2 else "Harga",
                issuing_office=metro if n < 4 else sumsel,
                updated_at=stamp,
            )
            for n, stamp in enumerate(STAMPS)
        ]
        uow.session.add_all(rows)
        uow.commit()
        return [p.id for p in rows]


def harvest(uow: UnitOfWork, page_size: int, **arguments: str) -> list[list[int]]:
    """List every page of ListIdentifiers with the arguments; return the ids of each page."""
    repo = repository(page_size)
    request = OAIRequest("ListIdentifiers", {"metadataPrefix": "oai_dc", **arguments})
    pages = []
    with uow:
        named = {repo.identifier(p): p.id for p in uow.session.scalars(select(Publication))}
        while True:
            page = oai.list_records(uow, repo, request, NOW, with_metadata=False)
            pages.append([named[r.header.identifier] for r in page.records])
            if page.resumption is None or not page.resumption.token:
                return pages
            request = OAIRequest("ListIdentifiers", {"resumptionToken": page.resumption.token})


@pytest.mark.parametrize("page_size", [1, 2, 4, 100])
def test_every_page_size_lists_each_record_once_in_datestamp_then_id_order(
    uow: UnitOfWork, ids: list[int], page_size: int
) -> None:
    pages = harvest(uow, page_size)
    assert [i for page in pages for i in page] == ids
    assert all(len(page) == page_size for page in pages[:-1])


def test_the_datestamp_is_the_updated_at_second_in_utc(uow: UnitOfWork, ids: list[int]) -> None:
    with uow:
        record = oai.get_record(uow, repository(10), f"oai:pustaka.example.go.id:pub/{ids[0]}", "oai_dc")
        first = uow.session.get(Publication, ids[0])
        assert first is not None
        assert record.header.identifier == f"oai:pustaka.bps1872:{first.identifier}"
    assert record.header.datestamp == "2024-05-01T09:30:15Z"
    assert record.header.set_specs == ("office:1872", "subject:harga")


def test_from_and_until_bound_the_list_at_the_second(uow: UnitOfWork, ids: list[int]) -> None:
    same_second = {"from": "2024-05-01T09:30:15Z", "until": "2024-05-01T09:30:15Z"}
    assert [i for page in harvest(uow, 2, **same_second) for i in page] == ids[:4]
    assert [i for page in harvest(uow, 2, **{"from": "2024-05-02"}) for i in page] == ids[5:]


def test_sets_filter_by_office_and_subject(uow: UnitOfWork, ids: list[int]) -> None:
    assert [i for page in harvest(uow, 2, set="office:1600") for i in page] == ids[4:]
    assert [i for page in harvest(uow, 2, set="subject:harga") for i in page] == ids[0::2]


def test_an_empty_list_is_no_records_match(uow: UnitOfWork, ids: list[int]) -> None:
    with pytest.raises(NoRecordsMatch):
        harvest(uow, 2, until="2024-04-30")
