"""What importing one MARC record would do: create a publication, merge into one, or refuse it.

A record's fields are checked as the edit form checks a librarian's (an identifier of the
wrong shape is left out and said, not a reason to refuse the record); a record without a
title is refused. Merging fills what the stored publication leaves empty; a value the record
has otherwise is shown and kept as stored, unless the import replaces differing values.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from catalog_data.identifiers import slug_problem
from library.catalogue.holdings import HoldingDetails, clean_holding
from library.catalogue.marc.matching import find_office, find_publication, imported_key
from library.catalogue.marc.profile import KEY_SOURCE, Words
from library.catalogue.marc.reading import Description, HoldingLine, key_of
from library.catalogue.metadata_rules import LIMITS, check_field, fields_of
from library.collection.barcodes import BarcodeNumbering
from library.errors import InvalidField
from library.i18n import N_
from library.models import AccessLevel, Publication
from library.uow import UnitOfWork


class Action(enum.StrEnum):
    """What the import does with a record."""

    CREATE = "create"
    MERGE = "merge"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@dataclass(frozen=True)
class FieldChange:
    """One field a merge fills or replaces; `applied` False: the record differs, the stored value stays."""

    field: str
    old: str
    new: str
    applied: bool = True


@dataclass(frozen=True)
class ImportOptions:
    """How records are taken in."""

    default_office: str  # the office of a record whose corporate author names none of ours
    default_location: str = "Perpustakaan"  # where copies are when the record does not say
    replace: bool = False  # a merge replaces stored values the record has otherwise
    drafts: bool = False  # new publications wait as drafts (else public, as a CSV batch with titles)
    numbering: BarcodeNumbering = BarcodeNumbering()  # the barcodes of the printed copies it adds


@dataclass(frozen=True)
class RecordPlan:
    """What the import does with one record of the file, and why."""

    number: int
    title: str
    action: Action
    publication_id: int | None = None
    matched_by: str = ""
    changes: tuple[FieldChange, ...] = ()
    holdings: tuple[HoldingLine, ...] = ()  # holdings to add
    problem: Words | None = None
    notes: tuple[Words, ...] = ()
    values: Mapping[str, str] = field(default_factory=dict)  # every field of a new publication
    office_code: str = ""
    key: str = ""


def plan_record(uow: UnitOfWork, number: int, description: Description, options: ImportOptions) -> RecordPlan:
    """Decide what importing one record does, reading the catalogue as it is now."""
    notes = list(description.notes)
    values = _checked_values(description.fields, notes)
    title = values.get("title", "")
    if not title:
        return RecordPlan(number, "", Action.REFUSED, problem=Words(N_("The record has no title (245 $a).")))
    holdings = _checked_holdings(description.holdings, notes)
    match = find_publication(uow, description)
    if match.ambiguous:
        return RecordPlan(
            number,
            title,
            Action.REFUSED,
            problem=Words(
                N_("Its %(by)s names several publications (%(ids)s): merge them first, or edit by hand."),
                {"by": match.by, "ids": ", ".join(f"#{i}" for i in match.ambiguous)},
            ),
        )
    if match.publication is not None:
        return _merge_plan(number, match.publication, match.by, values, holdings, notes, options)
    office, named = find_office(uow, description.issuing_body, options.default_office)
    if office is None:
        return RecordPlan(
            number, title, Action.REFUSED, problem=Words(N_("This office is not in the database."))
        )
    if description.issuing_body and not named:
        notes.append(
            Words(
                N_("The corporate author '%(body)s' is none of the offices here; the issuer is %(office)s."),
                {"body": description.issuing_body, "office": office.name},
            )
        )
    return RecordPlan(
        number,
        title,
        Action.CREATE,
        holdings=holdings,
        notes=tuple(notes),
        values=values,
        office_code=office.code,
        key=_new_key(description, values),
    )


def _merge_plan(
    number: int,
    publication: Publication,
    by: str,
    values: Mapping[str, str],
    holdings: tuple[HoldingLine, ...],
    notes: list[Words],
    options: ImportOptions,
) -> RecordPlan:
    """Plan a merge: the fields filled or replaced, the differing ones kept, the holdings added."""
    stored = fields_of(publication).as_dict()
    changes = []
    for name, new in values.items():
        old = stored.get(name, "")
        if name in ("access_level", "embargo_until") or old == new:
            continue  # access is decided here, not by another system's record
        if name == "actual_release" and old[:4] == new[:4]:
            continue  # a record's year agrees with the day stored
        changes.append(FieldChange(name, old, new, applied=not old or options.replace))
    present = {(h.call_number.casefold(), h.location.casefold()) for h in publication.holdings}
    added = tuple(h for h in holdings if (h.call_number.casefold(), h.location.casefold()) not in present)
    action = Action.MERGE if added or any(c.applied for c in changes) else Action.UNCHANGED
    return RecordPlan(
        number,
        values["title"] if action is Action.MERGE and not publication.title else publication.title,
        action,
        publication_id=publication.id,
        matched_by=by,
        changes=tuple(changes),
        holdings=added,
        notes=tuple(notes),
    )


def _checked_values(fields: Mapping[str, str], notes: list[Words]) -> dict[str, str]:
    """Return the record's fields as the edit form would save them; leave out (and say) what is not valid."""
    values: dict[str, str] = {}
    for name, raw in fields.items():
        limit = LIMITS.get(name)
        text = raw
        if limit is not None and len(text) > limit:
            text = text[:limit].rstrip()
            notes.append(Words(N_("%(field)s is cut to %(max)s characters."), {"field": name, "max": limit}))
        try:
            values[name] = check_field(name, text)
        except InvalidField as error:
            notes.append(
                Words(
                    N_("%(field)s '%(value)s' is not kept: %(why)s"),
                    {"field": name, "value": raw, "why": Words(error.message, error.params)},
                )
            )
    if "embargo_until" in values and values.get("access_level") != AccessLevel.EMBARGOED.value:
        values.pop("embargo_until")
    if values.get("access_level") == AccessLevel.EMBARGOED.value and "embargo_until" not in values:
        values.pop("access_level")
    return values


def _checked_holdings(lines: tuple[HoldingLine, ...], notes: list[Words]) -> tuple[HoldingLine, ...]:
    """Return the holdings as the desk would record them; leave out (and say) one it would refuse."""
    kept = []
    for line in lines:
        try:
            clean = clean_holding(
                HoldingDetails(line.call_number, line.location, min(line.copies, 999), note=line.note)
            )
        except InvalidField as error:
            notes.append(
                Words(
                    N_("The holding '%(call_number)s' is not kept: %(why)s"),
                    {"call_number": line.call_number, "why": Words(error.message, error.params)},
                )
            )
            continue
        kept.append(
            HoldingLine(clean.call_number, clean.location, int(clean.copies), clean.note, line.barcodes)
        )
    return tuple(kept)


def _new_key(description: Description, values: Mapping[str, str]) -> str:
    """Return the key of a new publication: from the record's control number, else from its title."""
    for key in description.keys:
        if key.startswith(KEY_SOURCE) and slug_problem(key_of(key)) is None:
            return key_of(key)  # Pustaka's own key, exported by another Pustaka
    for key in description.keys:
        made = imported_key(key)
        if made:
            return made
    digest = hashlib.sha256(f"{values['title']}|{values.get('actual_release', '')}".encode()).hexdigest()
    return f"marc-{digest[:20]}"
