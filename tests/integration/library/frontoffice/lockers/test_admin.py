"""An administrator keeps the lockers: adds them singly or by range, renames, takes them out of use."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from library.errors import InvalidField, NotAllowed, NotFound
from library.frontoffice.lockers.admin import (
    check_add_lockers,
    check_rename_locker,
    check_set_locker_active,
    do_add_demo_lockers,
    lockers_of,
)
from library.frontoffice.lockers.stock import LockerConflict, check_give_locker
from library.models import Locker, User
from library.permissions import SYSTEM
from library.uow import UnitOfWork
from tests.integration.library.frontoffice.lockers.conftest import NOW, Desk


def add(uow: UnitOfWork, actor: object, text: str, office: str = "1872"):  # type: ignore[no-untyped-def]
    """Add lockers and commit."""
    with uow:
        added = check_add_lockers(uow, actor, office, text)  # type: ignore[arg-type]
        uow.commit()
        return added


def listing(uow: UnitOfWork, actor: User, office: str = "1872") -> list[tuple[str, bool, str]]:
    """Return the office's lockers as the admin page lists them: label, active, holder."""
    with uow:
        return [(row.label, row.active, row.holder) for row in lockers_of(uow, actor, office)]


def test_a_range_adds_every_locker_numbered_like_its_first(uow, admin: User) -> None:
    added = add(uow, admin, "A-01..A-20")
    assert added.added == tuple(f"A-{n:02d}" for n in range(1, 21)) and added.existing == ()
    assert [label for label, _, _ in listing(uow, admin)][:3] == ["A-01", "A-02", "A-03"]


def test_single_labels_and_ranges_may_be_mixed_with_commas(uow, admin: User) -> None:
    added = add(uow, admin, " Loker  VIP , B-8..10, b-9, B-2 ")
    assert added.added == ("Loker VIP", "B-8", "B-9", "B-10", "B-2")
    assert [label for label, _, _ in listing(uow, admin)] == ["B-2", "B-8", "B-9", "B-10", "Loker VIP"]


def test_lockers_the_office_has_already_are_skipped_and_named(uow, admin: User) -> None:
    add(uow, admin, "A-01..A-03")
    added = add(uow, admin, "a-02..a-05")
    assert (added.added, added.existing) == (("a-04", "a-05"), ("a-02", "a-03"))
    with uow, pytest.raises(InvalidField, match="has these lockers already: A-01"):
        check_add_lockers(uow, admin, "1872", "A-01")


def test_the_same_label_at_two_offices_is_two_lockers(uow, admin: User) -> None:
    add(uow, admin, "A-01")
    assert add(uow, admin, "A-01", office="1805").added == ("A-01",)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "number or name"),
        (" , ,", "number or name"),
        ("A-05..A-01", "smaller number to the larger"),
        ("A-01..B-05", "same beginning"),
        ("A-01..", "same beginning"),
        ("..5", "same beginning"),
        ("A-1..A-999", "at most 200"),
        ("1..150, 200..300", "at most 200"),
        ("A" * 21, "at most 20 characters"),
        ("<script>", "letters, digits, spaces"),
        ("A-01; DROP", "letters, digits, spaces"),
        ("-A", "letters, digits, spaces"),
        ("Loker ✓", "letters, digits, spaces"),
        ("X-" + "9" * 30 + "..X-" + "9" * 31, "at most 200"),
    ],
)
def test_labels_that_cannot_be_printed_on_a_key_tag_are_refused(
    uow, desk: Desk, admin: User, text, says
) -> None:
    with uow, pytest.raises(InvalidField, match=says) as refused:
        check_add_lockers(uow, admin, "1872", text)
    assert refused.value.field == "labels"
    assert listing(uow, admin) == []


def test_a_locker_is_renamed_but_never_to_a_label_the_office_uses(uow, desk: Desk, admin: User) -> None:
    lockers = desk.lockers()
    with uow:
        assert check_rename_locker(uow, admin, "1872", lockers["A-01"], " Z-01 ") == ("A-01", "Z-01")
        uow.commit()
    with uow, pytest.raises(InvalidField, match="has a locker A-02 already") as refused:
        check_rename_locker(uow, admin, "1872", lockers["A-01"], "a-02")
    assert refused.value.field == "label"
    with uow, pytest.raises(InvalidField, match="letters, digits"):
        check_rename_locker(uow, admin, "1872", lockers["A-01"], "%")
    assert [label for label, _, _ in listing(uow, admin)] == ["A-02", "A-03", "Z-01"]


def test_another_offices_locker_cannot_be_edited_from_here(uow, desk: Desk, admin: User) -> None:
    elsewhere = desk.lockers(office="1805")
    for call in (
        lambda: check_rename_locker(uow, admin, "1872", elsewhere["A-01"], "B"),
        lambda: check_set_locker_active(uow, admin, "1872", elsewhere["A-01"], False),
        lambda: check_rename_locker(uow, admin, "1872", 2**40, "B"),
    ):
        with uow, pytest.raises(NotFound, match="no such locker"):
            call()


def test_a_free_locker_is_taken_out_of_use_and_put_back(uow, desk: Desk, admin: User) -> None:
    lockers = desk.lockers()
    with uow:
        assert check_set_locker_active(uow, admin, "1872", lockers["A-02"], False) == "A-02"
        uow.commit()
    assert listing(uow, admin)[1] == ("A-02", False, "")
    with uow:
        check_set_locker_active(uow, admin, "1872", lockers["A-02"], True)
        uow.commit()
    assert listing(uow, admin)[1] == ("A-02", True, "")


def test_a_locker_in_use_cannot_be_taken_out_of_use(uow, desk: Desk, admin: User, front: User) -> None:
    lockers = desk.lockers()
    budi = desk.visit("Budi")
    with uow:
        check_give_locker(uow, front, budi, lockers["A-01"], "ktp", "1234", NOW)
        uow.commit()
    with uow, pytest.raises(LockerConflict, match=r"Locker A-01 is in use \(Budi\)"):
        check_set_locker_active(uow, admin, "1872", lockers["A-01"], False)
    assert listing(uow, admin)[0] == ("A-01", True, "Budi")


def test_only_administrators_and_the_system_edit_lockers(uow, desk: Desk, front: User, admin: User) -> None:
    lockers = desk.lockers()
    for call in (
        lambda: check_add_lockers(uow, front, "1872", "B-01"),
        lambda: check_rename_locker(uow, front, "1872", lockers["A-01"], "B"),
        lambda: check_set_locker_active(uow, None, "1872", lockers["A-01"], False),
        lambda: lockers_of(uow, front, "1872"),
    ):
        with uow, pytest.raises(NotAllowed, match="Only an administrator can edit the lockers"):
            call()
    assert add(uow, SYSTEM, "B-01").added == ("B-01",)


def test_the_demo_office_gets_twelve_lockers_once(uow, offices: None, admin: User) -> None:
    with uow:
        assert do_add_demo_lockers(uow, "1872") == 12
        uow.commit()
    with uow:
        assert do_add_demo_lockers(uow, "1872") == 0
        assert do_add_demo_lockers(uow, "0000") == 0  # an office not loaded
        labels = list(uow.session.scalars(select(Locker.label).order_by(Locker.label)))
    assert labels == [f"A-{n:02d}" for n in range(1, 13)]


def test_an_office_with_lockers_of_its_own_gets_no_demo_ones(uow, admin: User) -> None:
    add(uow, admin, "Loker 1")
    with uow:
        assert do_add_demo_lockers(uow, "1872") == 0
