"""Minting: a number per prefix from its counter, never the row's id, never given twice."""

from __future__ import annotations

from sqlalchemy import select

from library.models import IdentifierCounter, Office, Publication
from library.models.identifier import PREFIX_KEY
from library.uow import UnitOfWork


def add(uow: UnitOfWork, key: str, prefix: str | None = None) -> Publication:
    """Store a publication (numbered under `prefix`, else the default) and return it."""
    with uow:
        if prefix:
            uow.session.info[PREFIX_KEY] = prefix
        office = uow.session.scalar(select(Office)) or Office(code="1872", name="BPS Kota Metro")
        publication = Publication(key=key, title=key, issuing_office=office)
        uow.session.add(publication)
        uow.commit()
        return publication


def test_publications_are_numbered_in_turn_under_the_default_prefix(uow: UnitOfWork) -> None:
    first, second = add(uow, "a"), add(uow, "b")
    assert (first.identifier, second.identifier) == ("bps1872/1", "bps1872/2")


def test_a_deleted_publication_s_number_is_never_given_again(uow: UnitOfWork) -> None:
    add(uow, "a")
    dropped = add(uow, "b")
    with uow:
        uow.session.delete(uow.session.get(Publication, dropped.id))
        uow.commit()
    again = add(uow, "c")
    assert again.identifier == "bps1872/3"  # not 2, even where the database gives id 2 again


def test_a_new_prefix_numbers_from_one_and_the_old_identifiers_keep_theirs(uow: UnitOfWork) -> None:
    old = add(uow, "a")
    new = add(uow, "b", prefix="metro")
    assert (old.identifier, new.identifier) == ("bps1872/1", "metro/1")
    with uow:
        counters = dict(
            uow.session.execute(select(IdentifierCounter.prefix, IdentifierCounter.last_number)).all()
        )
    assert counters == {"bps1872": 1, "metro": 1}


def test_a_counter_lost_starts_past_the_highest_number_its_prefix_holds(uow: UnitOfWork) -> None:
    add(uow, "a")
    add(uow, "b")
    with uow:
        uow.session.execute(IdentifierCounter.__table__.delete())
        uow.commit()
    assert add(uow, "c").identifier == "bps1872/3"
