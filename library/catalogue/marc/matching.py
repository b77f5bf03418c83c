"""Which publication a MARC record is about, and which office issued it.

A record names its publication, most certain first: its key (001 or 035, Pustaka's own or the
key an earlier import gave it), its ISBN, its Nomor Publikasi, its ISSN or Katalog BPS with
its year (a serial and a BPS series such as "Dalam Angka" keep those numbers every year), and at
last its title with its year. A value that names two publications matches none: the record
is refused rather than merged into the wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute

from library.catalogue.marc.profile import folded, issuing_body
from library.catalogue.marc.reading import Description, key_of
from library.i18n import N_
from library.models import Office, Publication
from library.uow import UnitOfWork

IMPORTED_PREFIX = "marc-"


@dataclass(frozen=True)
class Match:
    """The publication a record is about (None: a new one), how it was found, or why it is unclear."""

    publication: Publication | None
    by: str = ""
    ambiguous: tuple[int, ...] = ()


def find_publication(uow: UnitOfWork, description: Description) -> Match:
    """Return the publication a record describes, trying its identifiers most certain first."""
    fields = description.fields
    year = fields.get("actual_release", "")[:4]
    tries: list[tuple[str, Callable[[], ColumnElement[bool]]]] = []
    keys = [key_of(k) for k in description.keys] + [imported_key(k) for k in description.keys]
    if keys:
        tries.append((N_("record key"), lambda: Publication.key.in_(keys)))
    if fields.get("isbn"):
        tries.append((N_("ISBN"), lambda: _digits(Publication.isbn) == _plain(fields["isbn"])))
    if fields.get("nomor_publikasi"):
        tries.append(
            (N_("Nomor Publikasi"), lambda: Publication.nomor_publikasi == fields["nomor_publikasi"])
        )
    for name, label in (("issn", N_("ISSN and year")), ("katalog_bps", N_("Katalog BPS and year"))):
        if fields.get(name) and year:
            column = Publication.issn if name == "issn" else Publication.katalog_bps
            tries.append((label, lambda c=column, v=fields[name]: c == v))  # type: ignore[misc]
    for by, condition in tries:
        found = _with_year(uow.session.scalars(select(Publication).where(condition())).all(), by, year)
        if found:
            return _one(found, by)
    title = folded(fields.get("title", ""))
    if title and year:
        words = fields["title"].split()
        rows = uow.session.scalars(
            select(Publication).where(
                func.lower(Publication.title).contains(words[0].lower(), autoescape=True)
            )
        ).all()
        found = [
            p
            for p in rows
            if folded(p.title) == title and str(p.year or "") == year and not _numbers_differ(p, fields)
        ]
        if found:
            return _one(found, N_("title and year"))
    return Match(None)


def find_office(uow: UnitOfWork, body: str, default_code: str) -> tuple[Office | None, bool]:
    """Return the office a corporate author names (else the default office) and whether it was named."""
    wanted = folded(body).removeprefix("indonesia ")  # LC's form: "Indonesia. Badan Pusat Statistik."
    if wanted:
        for office in uow.session.scalars(select(Office).order_by(Office.code)):
            if folded(issuing_body(office.name)) == wanted or folded(office.name) == wanted:
                return office, True
    return uow.session.scalar(select(Office).where(Office.code == default_code)), False


def imported_key(record_key: str) -> str:
    """Return the key a publication imported from another system gets: 'marc-' and its control number."""
    slug = re.sub(r"[^a-z0-9]+", "-", record_key.lower()).strip("-")
    return (IMPORTED_PREFIX + slug)[:120] if slug else ""


def _numbers_differ(publication: Publication, fields: Mapping[str, str]) -> bool:
    """Tell whether a publication and a record both give a BPS number or ISBN, and they differ."""
    for name in ("nomor_publikasi", "katalog_bps", "isbn"):
        stored, given = getattr(publication, name), fields.get(name, "")
        if stored and given and _plain(stored) != _plain(given):
            return True
    return False


def _with_year(found: Sequence[Publication], by: str, year: str) -> list[Publication]:
    """Keep only the publications of the record's year when the identifier is a series' own."""
    if not by.endswith(" and year"):
        return list(found)
    return [p for p in found if str(p.year or "") == year]


def _one(found: Sequence[Publication], by: str) -> Match:
    """Return the one publication found, or say which several a value names."""
    if len(found) == 1:
        return Match(found[0], by)
    return Match(None, by, tuple(sorted(p.id for p in found)))


def _digits(column: InstrumentedAttribute[str]) -> ColumnElement[str]:
    """Return an ISBN column without its hyphens and spaces."""
    return func.replace(func.replace(column, "-", ""), " ", "")


def _plain(isbn: str) -> str:
    """Return an ISBN without its hyphens and spaces."""
    return isbn.replace("-", "").replace(" ", "")
