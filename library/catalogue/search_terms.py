"""Counting what people search for, for the reports, without keeping who searched.

A search is counted as its words and the office day only (`search_term`: office, day, term,
count): no person, no address, no time of day. The words are folded to lower case and their
spaces tidied, so "Kota Metro " and "kota metro" are one term. Words that may be personal
data are never kept: anything with an email address's "@", a run of ten digits or more (an
identity card's NIK) or a mobile number however it is spaced ("0812-3456-7890", "+62 812 ...").
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from library.db import changed_rows
from library.models import SearchTerm
from library.models.search_term import TERM_MAX
from library.permissions import Actor, is_person
from library.uow import UnitOfWork

_PERSONAL = re.compile(r"@|\d{10,}|(?:\+62|\b0)\s?8\d(?:[\s.-]?\d){6,}")


def search_term_of(text: str) -> str | None:
    """Return the term a search is counted under, or None for one that is not counted."""
    term = " ".join(text.casefold().split())
    if not term or _PERSONAL.search(term):
        return None
    return term[:TERM_MAX].rstrip()


def do_count_search(uow: UnitOfWork, actor: Actor | None, office_code: str, text: str, day: dt.date) -> None:
    """Count one search of these words on the office day; staff at work are not counted.

    Nothing is kept of who searched: the actor is asked only whether they are staff.
    """
    term = search_term_of(text)
    if term is None or (is_person(actor) and actor.is_staff()):
        return
    if _add_one(uow, office_code, day, term):
        return
    try:
        with uow.session.begin_nested():  # the day's first search of the term
            uow.session.add(SearchTerm(office_code=office_code, day=day, term=term, searches=1))
    except IntegrityError:
        _add_one(uow, office_code, day, term)  # another process counted it first, just now


def _add_one(uow: UnitOfWork, office_code: str, day: dt.date, term: str) -> bool:
    """Add one to the term's count of the day; tell whether it had one."""
    result = uow.session.execute(
        update(SearchTerm)
        .where(SearchTerm.office_code == office_code, SearchTerm.day == day, SearchTerm.term == term)
        .values(searches=SearchTerm.searches + 1)
        .execution_options(synchronize_session=False)
    )
    return changed_rows(result) == 1
