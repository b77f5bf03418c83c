"""What a publication is found by beyond its own words, on Whoosh and PostgreSQL: its controlled subject's
English name, and the years inside a range its title names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from library.catalogue.indexing import publication_doc
from library.models import Office, Publication
from library.subjects.vocabulary import apply_subject
from library.uow import UnitOfWork
from search.engine import Query, SearchEngine
from search.postgres.engine import PostgresSearchEngine
from search.whoosh.engine import WhooshSearchEngine
from tests.conftest import postgres_schema

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(params=["whoosh", "postgres"])
def search_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchEngine]:
    """Return an empty search engine of each kind (PostgreSQL's in a schema of its own)."""
    if request.param == "whoosh":
        with WhooshSearchEngine(tmp_path / "index", lock_timeout=0.2) as whoosh:
            yield whoosh
    else:
        with postgres_schema("subject_search", migrated=False) as url, PostgresSearchEngine(url) as postgres:
            yield postgres


def test_an_english_query_finds_the_indonesian_subject(uow: UnitOfWork, search_engine: SearchEngine) -> None:
    with uow:
        office = Office(code="1872", name="BPS Kota Metro")
        typed = {"wages": "upah buruh", "kept": "Upah harian", "poverty": "Kemiskinan"}
        for number, (key, subject) in enumerate(typed.items()):
            title = f"Laporan Kota Metro {number}"  # the words searched are in no title
            publication = Publication(key=key, title=title, subject=subject, issuing_office=office)
            apply_subject(uow, publication)
            uow.session.add(publication)
        uow.session.flush()
        publications = uow.session.scalars(select(Publication).order_by(Publication.id)).all()
        docs = {p.key: publication_doc(uow.session, p, TODAY) for p in publications}
    search_engine.index(list(docs.values()))

    def found(text: str) -> list[str]:
        hits = search_engine.search(Query(text=text)).hits
        return sorted(
            key for key, doc in docs.items() if doc.publication_id in {h.publication_id for h in hits}
        )

    # "Wages" is the English name of Upah Buruh only: nothing else indexes the word.
    assert found("wages") == ["wages"]
    assert found("poverty") == ["poverty"]
    assert docs["wages"].subject == "Upah Buruh"  # the controlled subject's own name is shown


def test_a_year_inside_the_title_s_range_finds_the_publication(
    uow: UnitOfWork, search_engine: SearchEngine
) -> None:
    with uow:
        office = Office(code="1872", name="BPS Kota Metro")
        titles = {
            "projection": "Proyeksi Penduduk Kota Metro 2020-2035",
            "yearbook": "Kota Metro Dalam Angka 2024",
        }
        for key, title in titles.items():
            uow.session.add(Publication(key=key, title=title, issuing_office=office))
        uow.session.flush()
        docs = {
            p.key: publication_doc(uow.session, p, TODAY) for p in uow.session.scalars(select(Publication))
        }
    search_engine.index(list(docs.values()))
    ids = {doc.publication_id: key for key, doc in docs.items()}

    def found(text: str) -> list[str]:
        return sorted(ids[hit.publication_id] for hit in search_engine.search(Query(text=text)).hits)

    assert found("penduduk metro 2025") == ["projection"]  # inside 2020-2035, named nowhere
    assert found("penduduk metro 2036") == []  # past its end
    assert found("metro 2024") == ["projection", "yearbook"]
