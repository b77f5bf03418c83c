"""The catalogue (or some of it) written as MARC21, a few records at a time.

Publications are read in pages of `PAGE` by their id, each page with its holdings, items and page
counts, written, and let go of: the whole catalogue is never in memory, on the web or on the
command line. ISO 2709 records follow each other; MARCXML is one `<collection>`.
"""

from __future__ import annotations

import enum
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from pymarc import Record
from pymarc.marcxml import record_to_xml_node
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import selectinload

from library.catalogue.marc.profile import MARC_NS, MARC_SCHEMA
from library.catalogue.marc.writing import Extras, to_marc
from library.models import FileAsset, FileRole, Item, ItemStatus, Publication
from library.permissions import ONLY_LIBRARIANS, Actor, SystemActor, may_edit_publications, require
from library.uow import UnitOfWork

PAGE = 200
MAX_QUERY = 200
XML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<collection xmlns="{MARC_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    f'xsi:schemaLocation="{MARC_NS} {MARC_SCHEMA}">\n'
).encode()
XML_TAIL = b"</collection>\n"


class MarcFormat(enum.StrEnum):
    """The two ways MARC21 is written down."""

    XML = "xml"  # MARCXML
    MRC = "mrc"  # ISO 2709

    @property
    def media_type(self) -> str:
        """Return the media type of a file in this format."""
        return "application/marcxml+xml" if self is MarcFormat.XML else "application/marc"


@dataclass(frozen=True)
class Selection:
    """Which publications to export: all, those matching a desk search, or some by id."""

    query: str = ""
    ids: Sequence[int] = ()
    with_withdrawn: bool = False


def marc_bytes(record: Record, marc_format: MarcFormat) -> bytes:
    """Return one record as ISO 2709 or as a MARCXML <record> (without the XML declaration)."""
    if marc_format is MarcFormat.MRC:
        return record.as_marc21()
    node = record_to_xml_node(record, namespace=False)
    return ET.tostring(node, encoding="utf-8", xml_declaration=False) + b"\n"


def export_marc(
    uow: UnitOfWork,
    actor: Actor | None,
    selection: Selection,
    marc_format: MarcFormat,
    page_url: Callable[[int], str],
    identifier_url: Callable[[str], str] | None = None,
) -> Iterator[bytes]:
    """Yield the selected publications as MARC21, a page of records at a time; librarians only.

    The caller keeps `uow` open while it reads the chunks (a streamed response, a file).
    """
    require(uow, actor, may_export, ONLY_LIBRARIANS)
    return _chunks(uow, selection, marc_format, page_url, identifier_url)


def may_export(actor: Actor | None) -> bool:
    """Tell whether the actor may export the catalogue: librarians and the command line."""
    return isinstance(actor, SystemActor) or may_edit_publications(actor)


def _chunks(
    uow: UnitOfWork,
    selection: Selection,
    marc_format: MarcFormat,
    page_url: Callable[[int], str],
    identifier_url: Callable[[str], str] | None,
) -> Iterator[bytes]:
    """Yield the file: the XML head, each page of records, the XML tail."""
    if marc_format is MarcFormat.XML:
        yield XML_HEAD
    after = 0
    while True:
        page = uow.session.scalars(
            select(Publication)
            .where(Publication.id > after, *_conditions(selection))
            .options(selectinload(Publication.holdings))
            .order_by(Publication.id)
            .limit(PAGE)
        ).all()
        if not page:
            break
        pages, barcodes = _extras(uow, page)
        yield b"".join(
            marc_bytes(
                to_marc(p, Extras(page_url(p.id), pages.get(p.id), barcodes, _persistent(p, identifier_url))),
                marc_format,
            )
            for p in page
        )
        after = page[-1].id
        uow.session.expunge_all()  # let the page go: memory stays one page deep
    if marc_format is MarcFormat.XML:
        yield XML_TAIL


def _persistent(publication: Publication, identifier_url: Callable[[str], str] | None) -> str:
    """Return a publication's persistent address, when the caller builds them and it has one."""
    return identifier_url(publication.identifier) if identifier_url and publication.identifier else ""


def _conditions(selection: Selection) -> list[ColumnElement[bool]]:
    """Return the conditions of a selection: the desk's search words, the ids, withdrawn or not."""
    conditions: list[ColumnElement[bool]] = []
    if not selection.with_withdrawn:
        conditions.append(Publication.withdrawn_at.is_(None))
    if selection.ids:
        conditions.append(Publication.id.in_(list(selection.ids)))
    for word in selection.query[:MAX_QUERY].split():
        conditions.append(
            or_(
                func.lower(Publication.title).contains(word.lower(), autoescape=True),
                Publication.katalog_bps.contains(word, autoescape=True),
                Publication.nomor_publikasi.contains(word, autoescape=True),
            )
        )
    return conditions


def _extras(uow: UnitOfWork, page: Sequence[Publication]) -> tuple[dict[int, int], dict[int, list[str]]]:
    """Return a page's page counts (by publication) and its copies' barcodes (by holding)."""
    ids = [p.id for p in page]
    pages = dict(
        uow.session.execute(
            select(FileAsset.publication_id, func.max(FileAsset.page_count))
            .where(
                FileAsset.publication_id.in_(ids),
                FileAsset.role.in_((FileRole.ACCESS.value, FileRole.MASTER.value)),
            )
            .group_by(FileAsset.publication_id)
        ).all()
    )
    holding_ids = [h.id for p in page for h in p.holdings]
    barcodes: dict[int, list[str]] = {}
    rows = uow.session.execute(
        select(Item.holding_id, Item.barcode)
        .where(Item.holding_id.in_(holding_ids), Item.status != ItemStatus.WITHDRAWN.value)
        .order_by(Item.barcode)
    )
    for holding_id, barcode in rows:
        barcodes.setdefault(holding_id, []).append(barcode)
    return {k: v for k, v in pages.items() if v}, barcodes
