"""The search section: what people searched for most in the period (counted words, never who)."""

from __future__ import annotations

from sqlalchemy import func, select

from library.i18n import N_
from library.models import HiddenSearchTerm, SearchTerm
from library.reports.scope import Scope
from library.reports.tables import Cell, Chart, Column, Kind, Section, Table
from library.uow import UnitOfWork

TOP = 10  # terms listed

TOTALS = (
    Column("searches", N_("Searches counted"), Kind.COUNT),
    Column("terms", N_("Different terms"), Kind.COUNT),
)
TERMS = (
    Column("rank", N_("Rank"), Kind.COUNT),
    Column("term", N_("Search term"), Kind.TEXT),
    Column("searches", N_("Searches"), Kind.COUNT),
)


def search_section(uow: UnitOfWork, scope: Scope) -> Section:
    """Return how many searches were counted in the period and the terms searched most."""
    in_period = (
        SearchTerm.office_code == scope.office_code,
        SearchTerm.day >= scope.period.start,
        SearchTerm.day <= scope.period.end,
    )
    total = func.sum(SearchTerm.searches)
    searches, terms = uow.session.execute(
        select(func.coalesce(total, 0), func.count(func.distinct(SearchTerm.term))).where(*in_period)
    ).one()
    hidden = select(HiddenSearchTerm.term).where(HiddenSearchTerm.office_code == scope.office_code)
    counted = uow.session.execute(
        select(SearchTerm.term, total)
        .where(*in_period, SearchTerm.term.not_in(hidden))
        .group_by(SearchTerm.term)
    )
    # Ties in code order, not the database's collation, so every backend ranks them alike.
    top = sorted(((term, int(count)) for term, count in counted), key=lambda tc: (-tc[1], tc[0]))[:TOP]
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (rank, term, count) for rank, (term, count) in enumerate(top, start=1)
    )
    return Section(
        key="search",
        title=N_("Searches"),
        note=N_(
            "Searches of the public on this site with words, counted once per results list (not per "
            "page of it), folded to lower case. Only the words and the day are kept, never who "
            "searched; words that may be personal data (an email address, an identity or phone "
            "number) and searches by staff are not counted. A client counts a term once a day, "
            "a search only when it found something (a misspelt one under the correction offered), "
            "and terms the office hid are left out of the list."
        ),
        tables=(
            Table("search_totals", N_("Searches in the period"), TOTALS, ((int(searches), int(terms)),), ""),
            Table(
                "search_terms",
                N_("Terms searched most"),
                TERMS,
                rows,
                N_("No search was counted in this period."),
            ),
        ),
        charts=(
            Chart(
                "search_terms",
                N_("Searches of the terms searched most"),
                table="search_terms",
                label_column="term",
                value_column="searches",
                maximum=None,
            ),
        ),
    )
