"""The copies section: stamped softcopies delivered by channel, downloads, the most wanted publications.

Counted from the delivery ledger (every stamped copy of the office that left in the period,
whatever the channel) and from the downloads of online copies made in the period (a copy
made earlier and downloaded now counts as a download now).
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import ColumnElement, Select, func, select

from library.i18n import N_
from library.models import Delivery, DeliveryChannel, Download, Publication, SoftcopyRequest
from library.models.labels import label
from library.reports.scope import Scope
from library.reports.tables import Cell, Chart, Column, Kind, Label, Section, Table
from library.uow import UnitOfWork

TOP = 10  # publications listed

CHANNELS = (
    Column("channel", N_("Channel"), Kind.LABEL),
    Column("copies", N_("Copies delivered"), Kind.COUNT),
    Column("pages", N_("Pages"), Kind.COUNT),
)
DOWNLOADS = (
    Column("downloads", N_("Downloads"), Kind.COUNT),
    Column("copies_downloaded", N_("Copies downloaded"), Kind.COUNT),
)
PUBLICATIONS = (
    Column("rank", N_("Rank"), Kind.COUNT),
    Column("publication", N_("Publication"), Kind.TEXT),
    Column("copies", N_("Copies delivered"), Kind.COUNT),
    Column("downloads", N_("Downloads"), Kind.COUNT),
)


def copies_section(uow: UnitOfWork, scope: Scope) -> Section:
    """Return the copies delivered per channel, the downloads, and the publications most asked for."""
    return Section(
        key="copies",
        title=N_("Softcopies delivered and downloads"),
        note=N_(
            "Every stamped copy the delivery ledger recorded in the period, by the way it left; "
            "downloads of online copies in the period; publications ranked by copies, then downloads."
        ),
        tables=(
            Table("copies_by_channel", N_("Copies per channel"), CHANNELS, _channel_rows(uow, scope), ""),
            Table("downloads", N_("Downloads of online copies"), DOWNLOADS, (_downloads(uow, scope),), ""),
            Table(
                "top_publications",
                N_("Publications most asked for"),
                PUBLICATIONS,
                _top_publications(uow, scope),
                N_("No copy was delivered or downloaded in this period."),
            ),
        ),
        charts=(
            Chart(
                "copies_by_channel",
                N_("Copies delivered per channel"),
                table="copies_by_channel",
                label_column="channel",
                value_column="copies",
                maximum=None,
            ),
            Chart(
                "top_publications",
                N_("Copies of the publications most asked for"),
                table="top_publications",
                label_column="publication",
                value_column="copies",
                maximum=None,
            ),
        ),
    )


def _in_period(scope: Scope) -> tuple[ColumnElement[bool], ...]:
    """Return the conditions of a ledger row of the office in the period."""
    return (
        Delivery.office_code == scope.office_code,
        Delivery.delivered_at >= scope.starts_at,
        Delivery.delivered_at < scope.ends_before,
    )


def _channel_rows(uow: UnitOfWork, scope: Scope) -> tuple[tuple[Cell, ...], ...]:
    """Return each channel's copies and pages, every channel listed."""
    counted = {
        channel: (int(copies), int(pages))
        for channel, copies, pages in uow.session.execute(
            select(Delivery.channel, func.count(Delivery.id), func.coalesce(func.sum(Delivery.pages), 0))
            .where(*_in_period(scope))
            .group_by(Delivery.channel)
        )
    }
    return tuple(
        (Label(channel.value, message=label(channel)), *counted.get(channel.value, (0, 0)))
        for channel in DeliveryChannel
    )


def _downloads_query(scope: Scope) -> Select[int, int, int]:
    """Return the downloads of the office's online copies in the period, with their publication."""
    return (
        select(Download.id, Download.request_id, SoftcopyRequest.publication_id)
        .join(SoftcopyRequest, SoftcopyRequest.id == Download.request_id)
        .where(
            SoftcopyRequest.office_code == scope.office_code,
            Download.at >= scope.starts_at,
            Download.at < scope.ends_before,
        )
    )


def _downloads(uow: UnitOfWork, scope: Scope) -> tuple[Cell, ...]:
    """Return the downloads of the period and how many copies they were of."""
    rows = uow.session.execute(_downloads_query(scope)).all()
    return (len(rows), len({row.request_id for row in rows}))


def _top_publications(uow: UnitOfWork, scope: Scope) -> tuple[tuple[Cell, ...], ...]:
    """Return the publications with the most copies delivered (then downloads), best first."""
    copies: Counter[tuple[int | None, str]] = Counter()
    for publication_id, title_then, count in uow.session.execute(
        select(Delivery.publication_id, Delivery.title, func.count(Delivery.id))
        .where(*_in_period(scope))
        .group_by(Delivery.publication_id, Delivery.title)
    ):
        # A catalogued publication is one line whatever its title was; a scan without one, by title.
        copies[(publication_id, "" if publication_id is not None else title_then)] += count
    downloads: Counter[tuple[int | None, str]] = Counter(
        (row.publication_id, "") for row in uow.session.execute(_downloads_query(scope))
    )
    keys = set(copies) | set(downloads)
    ids = [pid for pid, _ in keys if pid is not None]
    titles: dict[int, str] = {}
    if ids:
        found = uow.session.execute(select(Publication.id, Publication.title).where(Publication.id.in_(ids)))
        titles = {pid: name for pid, name in found}

    def title(key: tuple[int | None, str]) -> str:
        return titles.get(key[0], "") if key[0] is not None else key[1]

    ranked = sorted(keys, key=lambda key: (-copies[key], -downloads[key], title(key).casefold(), key[0] or 0))
    return tuple(
        (rank, title(key), copies[key], downloads[key]) for rank, key in enumerate(ranked[:TOP], start=1)
    )
