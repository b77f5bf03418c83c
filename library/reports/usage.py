"""The usage section: publications' views, reads, pages shown and downloads as COUNTER counts them.

Read from the usage area's figures (`library.usage`): double clicks within 30 seconds once,
known robots and staff never counted, reads as reading sessions of an hour. Grouped per issuing
office, per collection (a publication in several counts in each) and per publication.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from library.browse.membership import collections_holding
from library.i18n import N_
from library.reports.scope import Scope
from library.reports.tables import Cell, Chart, Column, Kind, Label, Section, Table
from library.uow import UnitOfWork
from library.usage.counting import Figures
from library.usage.figures import Clock
from library.usage.read_models import UsageRow, usage_per_publication

FIGURES = (
    Column("views", N_("Views"), Kind.COUNT),
    Column("reads", N_("Reads"), Kind.COUNT),
    Column("pages", N_("Pages shown"), Kind.COUNT),
    Column("downloads", N_("Downloads"), Kind.COUNT),
    Column("requests", N_("Requests (reads and downloads)"), Kind.COUNT),  # COUNTER's Total_Item_Requests
    Column("sessions", N_("Sessions that read or downloaded"), Kind.COUNT),  # Unique_Item_Requests
)
TOTALS = (Column("publications", N_("Publications used"), Kind.COUNT), *FIGURES)
OFFICES = (Column("office", N_("Issuing office"), Kind.LABEL), *TOTALS)
COLLECTIONS = (Column("collection", N_("Collection"), Kind.LABEL), *TOTALS)
PUBLICATIONS = (
    Column("publication_id", N_("Number"), Kind.COUNT),
    Column("publication", N_("Publication"), Kind.TEXT),
    Column("office_code", N_("Office code"), Kind.TEXT),
    *FIGURES,
)
TOP_CHARTED = 10


def usage_section(uow: UnitOfWork, scope: Scope) -> Section:
    """Return the period's usage in all, per issuing office and per publication."""
    rows = usage_per_publication(uow, Clock(scope.timezone), scope.period.start, scope.period.end)
    holding = collections_holding(uow, [r.publication_id for r in rows])
    return Section(
        key="usage",
        title=N_("Usage of publications"),
        note=N_(
            "Views of a publication's page, reads (reading sessions: one visitor within one hour shown "
            "pages of it), pages shown and downloads of delivered copies, counted as the COUNTER code "
            "of practice says: the same click again within 30 seconds counts once, known robots (the "
            "COUNTER-Robots list) and staff at work are not counted. Requests are COUNTER's "
            "Total_Item_Requests, sessions that read or downloaded its Unique_Item_Requests."
        ),
        tables=(
            Table("usage_totals", N_("Usage in the period"), TOTALS, (_totals(rows),), ""),
            Table(
                "usage_offices",
                N_("Usage per issuing office"),
                OFFICES,
                grouped(
                    rows, lambda r: [Label(r.office_code, indonesian=r.office_name, english=r.office_name)]
                ),
                N_("No publication was used in this period."),
            ),
            Table(
                "usage_collections",
                N_("Usage per collection"),
                COLLECTIONS,
                grouped(
                    rows,
                    lambda r: [
                        Label(c.slug, indonesian=c.name_id, english=c.name_en or c.name_id)
                        for c in holding.get(r.publication_id, ())
                    ],
                ),
                N_("No publication of a collection was used in this period."),
            ),
            Table(
                "usage_publications",
                N_("Usage per publication"),
                PUBLICATIONS,
                tuple((r.publication_id, r.title, r.office_code, *_cells(r.figures)) for r in rows),
                N_("No publication was used in this period."),
            ),
        ),
        charts=(
            Chart(
                "usage_offices",
                N_("Reads per issuing office"),
                table="usage_offices",
                label_column="office",
                value_column="reads",
                maximum=None,
            ),
        ),
    )


def grouped(
    rows: Iterable[UsageRow], groups_of: Callable[[UsageRow], Iterable[Label]]
) -> tuple[tuple[Cell, ...], ...]:
    """Return a row per group (an office, a collection): its publications used and their figures summed.

    A publication in several groups (collections) counts in each of them.
    """
    sums: dict[Label, tuple[int, Figures]] = {}
    for row in rows:
        for group in groups_of(row):
            used, figures = sums.get(group, (0, Figures()))
            figures.add(row.figures)
            sums[group] = (used + 1, figures)
    ordered = sorted(sums.items(), key=lambda item: (-item[1][1].reads - item[1][1].downloads, item[0].code))
    return tuple((group, used, *_cells(figures)) for group, (used, figures) in ordered)


def _totals(rows: list[UsageRow]) -> tuple[Cell, ...]:
    """Return the period's figures over every publication."""
    total = Figures()
    for row in rows:
        total.add(row.figures)
    return (len(rows), *_cells(total))


def _cells(figures: Figures) -> tuple[int, ...]:
    """Return the figures in the columns' order: views, reads, pages, downloads, requests, sessions."""
    views, reads, pages, downloads, sessions = figures.values()
    return (views, reads, pages, downloads, reads + downloads, sessions)
