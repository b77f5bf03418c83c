"""Counting what people search for, for the reports, without keeping who searched.

A search is counted as its words and the office day only (`search_term`: office, day, term,
count): no person, no address, no time of day. One client counts a term once a day (a script
repeating a word cannot make it the office's first: `search_seen` keeps, for the day only, a
keyed digest of the client's address); a search counts only when it found something, and one
that found nothing but was offered a correction counts under the correction. The office may
hide a term from its report (`hidden_search_term`). The words are folded to lower case and their
spaces tidied, so "Kota Metro " and "kota metro" are one term. Words that may be personal
data are never kept: anything with an email address's "@", a run of ten digits or more (an
identity card's NIK) or a mobile number however it is spaced ("0812-3456-7890", "+62 812 ...").
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from library.db import changed_rows
from library.errors import InvalidField
from library.i18n import N_
from library.models import HiddenSearchTerm, SearchSeen, SearchTerm
from library.models.search_term import TERM_MAX
from library.permissions import Actor, is_person, require_edit_reports
from library.uow import UnitOfWork

_PERSONAL = re.compile(r"@|\d{10,}|(?:\+62|\b0)\s?8\d(?:[\s.-]?\d){6,}")
_ROWS_A_STATEMENT = 500  # 4 bound values a row: well under SQLite's 32,766


@dataclass(frozen=True)
class CountedSearch:
    """One search to count, as `do_count_search` takes it (staff searches are never made into one)."""

    office_code: str
    text: str
    day: dt.date
    client: str
    found: bool
    correction: str | None

    def key(self) -> tuple[str, dt.date, str, str] | None:
        """Return what the search counts once under (office, day, term, client), or None: not counted."""
        term = counted_term(self.text, self.found, self.correction)
        return None if term is None else (self.office_code, self.day, term, self.client[:32])


def search_term_of(text: str) -> str | None:
    """Return the term a search is counted under, or None for one that is not counted."""
    term = " ".join(text.casefold().split())
    if not term or _PERSONAL.search(term):
        return None
    return term[:TERM_MAX].rstrip()


def counted_term(text: str, found: bool, correction: str | None) -> str | None:
    """Return the term a search counts under: its correction if any, else its words if found."""
    return search_term_of(correction if correction else text if found else "")


def counts_searches_of(actor: Actor | None) -> bool:
    """Tell whether this actor's searches are counted: staff at work are not."""
    return not (is_person(actor) and actor.is_staff())


def do_count_search(
    uow: UnitOfWork,
    actor: Actor | None,
    office_code: str,
    text: str,
    day: dt.date,
    *,
    client: str,
    found: bool = True,
    correction: str | None = None,
) -> None:
    """Count one search of these words on the office day, once per client; staff at work are not counted.

    `client`: a digest naming the client for this day only (the caller keys it: see the web
    shell's search). A search with a `correction` (what a misspelt search was taken for, or the
    one offered when it found nothing) counts under it; else only one that `found` something.
    Nothing is kept of who searched: the actor is asked only whether they are staff.
    """
    term = counted_term(text, found, correction)
    if term is None or not counts_searches_of(actor):
        return
    uow.session.execute(delete(SearchSeen).where(SearchSeen.office_code == office_code, SearchSeen.day < day))
    try:
        with uow.session.begin_nested():
            uow.session.add(SearchSeen(office_code=office_code, day=day, term=term, client=client[:32]))
    except IntegrityError:
        return  # this client's search of the term is counted already today
    if _add_one(uow, office_code, day, term):
        return
    try:
        with uow.session.begin_nested():  # the day's first search of the term
            uow.session.add(SearchTerm(office_code=office_code, day=day, term=term, searches=1))
    except IntegrityError:
        _add_one(uow, office_code, day, term)  # another process counted it first, just now


def do_count_searches(uow: UnitOfWork, searches: Iterable[CountedSearch]) -> int:
    """Count many searches (none a member of staff's) in a few statements; return how many counted.

    Each counts as `do_count_search` would count it alone: once per client, term and day, under
    its correction, only if it found something. The rows a client's searches add to `search_seen`
    are inserted with the conflicting ones skipped, and the terms those rows are new for are added
    to in one upsert: a batch of a thousand is three statements, not three thousand.
    """
    keys = {key: None for key in (s.key() for s in searches) if key is not None}
    if not keys:
        return 0
    insert = postgresql.insert if uow.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    first_days: dict[str, dt.date] = {}
    for office_code, day, _, _ in keys:
        first_days[office_code] = min(day, first_days.get(office_code, day))
    for office_code, day in first_days.items():  # the rows of days gone by
        uow.session.execute(
            delete(SearchSeen).where(SearchSeen.office_code == office_code, SearchSeen.day < day)
        )
    new: Counter[tuple[str, dt.date, str]] = Counter()
    listed = list(keys)
    for start in range(0, len(listed), _ROWS_A_STATEMENT):
        rows = [
            {"office_code": o, "day": d, "term": t, "client": c}
            for o, d, t, c in listed[start : start + _ROWS_A_STATEMENT]
        ]
        made = uow.session.execute(
            insert(SearchSeen)
            .values(rows)
            .on_conflict_do_nothing()
            .returning(SearchSeen.office_code, SearchSeen.day, SearchSeen.term)
        )
        new.update((o, d, t) for o, d, t in made)
    terms = [{"office_code": o, "day": d, "term": t, "searches": n} for (o, d, t), n in new.items()]
    for start in range(0, len(terms), _ROWS_A_STATEMENT):
        upsert = insert(SearchTerm).values(terms[start : start + _ROWS_A_STATEMENT])
        uow.session.execute(
            upsert.on_conflict_do_update(
                index_elements=[SearchTerm.office_code, SearchTerm.day, SearchTerm.term],
                set_={"searches": SearchTerm.searches + upsert.excluded.searches},
            )
        )
    return sum(new.values())


def check_hide_search_term(
    uow: UnitOfWork, actor: Actor | None, office_code: str, text: str, now: dt.datetime
) -> str:
    """Keep a term out of the office's top searches (office head); return the term as counted."""
    person = require_edit_reports(uow, actor)
    term = search_term_of(text)
    if term is None:
        raise InvalidField("term", N_("Type the search term to hide, as the report shows it."))
    if uow.session.get(HiddenSearchTerm, (office_code, term)) is None:
        uow.session.add(
            HiddenSearchTerm(
                office_code=office_code,
                term=term,
                hidden_by_id=person.id if is_person(person) else None,
                hidden_at=now,
            )
        )
        uow.session.flush()
    return term


def check_show_search_term(uow: UnitOfWork, actor: Actor | None, office_code: str, text: str) -> None:
    """Let a hidden term appear in the office's top searches again (office head)."""
    require_edit_reports(uow, actor)
    term = search_term_of(text) or ""
    uow.session.execute(
        delete(HiddenSearchTerm).where(
            HiddenSearchTerm.office_code == office_code, HiddenSearchTerm.term == term
        )
    )


def hidden_search_terms(uow: UnitOfWork, office_code: str) -> list[str]:
    """Return the terms the office keeps out of its top searches, in order."""
    return list(
        uow.session.scalars(
            select(HiddenSearchTerm.term)
            .where(HiddenSearchTerm.office_code == office_code)
            .order_by(HiddenSearchTerm.term)
        )
    )


def _add_one(uow: UnitOfWork, office_code: str, day: dt.date, term: str) -> bool:
    """Add one to the term's count of the day; tell whether it had one."""
    result = uow.session.execute(
        update(SearchTerm)
        .where(SearchTerm.office_code == office_code, SearchTerm.day == day, SearchTerm.term == term)
        .values(searches=SearchTerm.searches + 1)
        .execution_options(synchronize_session=False)
    )
    return changed_rows(result) == 1
