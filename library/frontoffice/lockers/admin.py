"""The office's lockers as an administrator keeps them: added singly or by range, renamed, put out of use."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from library.db import changed_rows
from library.errors import InvalidField, NotFound
from library.frontoffice.lockers.stock import LockerConflict, label_order, office_of, row_of
from library.i18n import N_
from library.models import Locker, LockerLoan, Office, Visit
from library.permissions import Actor, require_edit_lockers
from library.uow import UnitOfWork

MAX_LABEL = 20
MAX_RANGE = 200  # lockers added by one range
DEMO_LOCKERS = "A-01..A-12"
LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 ./-]*[A-Za-z0-9])?")
RANGE = re.compile(r"(?P<prefix>.*?)(?P<first>\d+)\s*\.\.\s*(?P<again>.*?)(?P<last>\d+)")


@dataclass(frozen=True)
class LockerRow:
    """A locker as the administrator's list shows it."""

    id: int
    label: str
    active: bool
    holder: str  # the visitor whose card is held for it; empty when free


@dataclass(frozen=True)
class LockersAdded:
    """What adding lockers did: the labels added, and those the office had already."""

    added: tuple[str, ...]
    existing: tuple[str, ...]


def clean_label(value: str, field: str = "label") -> str:
    """Return a locker's label with its spaces tidied; refuse one that cannot be printed on a key tag."""
    label = " ".join((value or "").split())
    if not label:
        raise InvalidField(field, N_("Type the locker's number or name, such as A-01."))
    if len(label) > MAX_LABEL:
        raise InvalidField(field, N_("A locker's label has at most %(max)s characters."), max=MAX_LABEL)
    if not LABEL.fullmatch(label):
        raise InvalidField(
            field,
            N_("Use letters, digits, spaces and the signs - . / in a locker's label, such as A-01."),
        )
    return label


def parse_locker_labels(text: str) -> list[str]:
    """Return the labels a line names: labels and ranges such as A-01..A-20, separated by commas."""
    parts = [part for part in (text or "").split(",") if part.strip()]
    if not parts:
        raise InvalidField("labels", N_("Type the locker's number or name, such as A-01."))
    labels: dict[str, str] = {}
    for part in parts:
        for label in _range(part) if ".." in part else [clean_label(part, "labels")]:
            labels.setdefault(label.casefold(), label)
        if len(labels) > MAX_RANGE:
            raise InvalidField("labels", N_("Add at most %(max)s lockers at a time."), max=MAX_RANGE)
    return list(labels.values())


def _range(part: str) -> list[str]:
    """Return the labels of one range: the same prefix, numbers from the first to the last."""
    found = RANGE.fullmatch(part.strip())
    if found is None or found["again"].strip() not in ("", found["prefix"].strip()):
        raise InvalidField(
            "labels",
            N_("Write a range as its first and last label with the same beginning, such as A-01..A-20."),
        )
    first, last = int(found["first"]), int(found["last"])
    if first > last:
        raise InvalidField("labels", N_("A range goes from the smaller number to the larger one."))
    if last - first >= MAX_RANGE:
        raise InvalidField("labels", N_("Add at most %(max)s lockers at a time."), max=MAX_RANGE)
    width = len(found["first"])
    return [clean_label(f"{found['prefix']}{n:0{width}d}", "labels") for n in range(first, last + 1)]


def check_add_lockers(uow: UnitOfWork, actor: Actor | None, office_code: str, text: str) -> LockersAdded:
    """Add the lockers a line names to the office, skipping those it has already."""
    require_edit_lockers(uow, actor)
    office = office_of(uow, office_code)
    labels = parse_locker_labels(text)
    known = {
        label.casefold()
        for label in uow.session.scalars(select(Locker.label).where(Locker.office_id == office.id))
    }
    existing = tuple(label for label in labels if label.casefold() in known)
    added = tuple(label for label in labels if label.casefold() not in known)
    if not added:
        raise InvalidField(
            "labels", N_("The office has these lockers already: %(labels)s."), labels=", ".join(existing)
        )
    uow.session.add_all(Locker(office_id=office.id, label=label) for label in added)
    _flush_or_refuse(uow)
    return LockersAdded(added, existing)


def check_rename_locker(
    uow: UnitOfWork, actor: Actor | None, office_code: str, locker_id: int, label: str
) -> tuple[str, str]:
    """Give a locker a new label; return its old and new labels."""
    require_edit_lockers(uow, actor)
    locker = _locker(uow, office_code, locker_id)
    new = clean_label(label)
    old = locker.label
    if new == old:
        return old, new
    others = uow.session.scalars(
        select(Locker.label).where(Locker.office_id == locker.office_id, Locker.id != locker.id)
    )
    clash = next((other for other in others if other.casefold() == new.casefold()), None)
    if clash is not None:
        raise InvalidField("label", N_("The office has a locker %(locker)s already."), locker=clash)
    locker.label = new
    _flush_or_refuse(uow)
    return old, new


def check_set_locker_active(
    uow: UnitOfWork, actor: Actor | None, office_code: str, locker_id: int, active: bool
) -> str:
    """Put a locker back in use, or take it out of use unless a card is held for it; return its label."""
    require_edit_lockers(uow, actor)
    locker = _locker(uow, office_code, locker_id)
    in_use = exists().where(LockerLoan.locker_id == Locker.id, LockerLoan.returned_at.is_(None))
    condition = [Locker.id == locker.id] + ([] if active else [~in_use])
    changed = changed_rows(uow.session.execute(update(Locker).where(*condition).values(active=active)))
    uow.session.refresh(locker)
    if not changed:
        holder = uow.session.scalar(
            select(LockerLoan).where(LockerLoan.locker_id == locker.id, LockerLoan.returned_at.is_(None))
        )
        raise LockerConflict(
            N_(
                "Locker %(locker)s is in use (%(name)s): give the card back before taking "
                "the locker out of use."
            ),
            locker=locker.label,
            name=holder.visit.name if holder else "",
        )
    return locker.label


def lockers_of(uow: UnitOfWork, actor: Actor | None, office_code: str) -> list[LockerRow]:
    """List the office's lockers in label order, with whose card each holds."""
    require_edit_lockers(uow, actor)
    office = office_of(uow, office_code)
    holders = dict(
        uow.session.execute(
            select(LockerLoan.locker_id, Visit.name)
            .join(Visit, LockerLoan.visit_id == Visit.id)
            .where(Visit.office_id == office.id, LockerLoan.returned_at.is_(None))
        ).all()
    )
    lockers = uow.session.scalars(select(Locker).where(Locker.office_id == office.id))
    rows = [LockerRow(x.id, x.label, x.active, holders.get(x.id, "")) for x in lockers]
    return sorted(rows, key=lambda row: label_order(row.label))


def do_add_demo_lockers(uow: UnitOfWork, office_code: str, labels: str = DEMO_LOCKERS) -> int:
    """Give the demo office its lockers if it has none yet; return how many were added."""
    office = uow.session.scalar(select(Office).where(Office.code == office_code))
    if office is None or uow.session.scalar(select(Locker.id).where(Locker.office_id == office.id).limit(1)):
        return 0
    added = parse_locker_labels(labels)
    uow.session.add_all(Locker(office_id=office.id, label=label) for label in added)
    uow.session.flush()
    return len(added)


def _locker(uow: UnitOfWork, office_code: str, locker_id: int) -> Locker:
    """Return the office's locker with this id; refuse another office's or one that does not exist."""
    office = office_of(uow, office_code)
    locker = row_of(uow, Locker, locker_id)
    if locker is None or locker.office_id != office.id:
        raise NotFound(N_("There is no such locker."))
    return locker


def _flush_or_refuse(uow: UnitOfWork) -> None:
    """Write the lockers, refusing a label another administrator has just taken (rolls back)."""
    try:
        uow.session.flush()
    except IntegrityError:
        uow.rollback()
        raise LockerConflict(
            N_("Another administrator has just added a locker with that label: look at the list again.")
        ) from None
