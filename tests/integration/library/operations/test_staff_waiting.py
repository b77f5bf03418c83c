"""The staff menu's counts: each part only for a person whose roles see it, all in one statement."""

from __future__ import annotations

from sqlalchemy import update

from library.models import AccessLevel, Publication, Role
from library.operations.waiting import StaffWaiting, count_staff_waiting
from library.uow import UnitOfWork
from tests.integration.library.accounts_helpers import stored_person
from tests.integration.library.softcopy_request_helpers import person, pubs, submit

__all__ = ["pubs"]  # the fixture, used by name


def test_each_person_is_counted_the_work_their_roles_see(uow: UnitOfWork, pubs, queue) -> None:
    submit(uow, person(uow, "ani@example.id"), pubs[AccessLevel.RESTRICTED], queue)  # waits for a decision
    with uow:
        others = [pubs[AccessLevel.OPEN], pubs[AccessLevel.REGISTERED]]
        uow.session.execute(update(Publication).where(Publication.id.in_(others)).values(published_at=None))
        uow.commit()
    staff = {
        role: stored_person(uow, f"{role.value}@bps.go.id", [role])
        for role in (Role.ADMIN, Role.LIBRARIAN, Role.CONSULTANT, Role.FRONT_OFFICE)
    }
    reader = person(uow, "budi@example.id")
    with uow:
        counted = {role: count_staff_waiting(uow, who) for role, who in staff.items()}
        assert count_staff_waiting(uow, None) == count_staff_waiting(uow, reader) == StaffWaiting()
    assert counted[Role.ADMIN] == counted[Role.LIBRARIAN] == StaffWaiting(desk=3)  # 2 drafts, 1 request
    assert counted[Role.CONSULTANT] == counted[Role.FRONT_OFFICE] == StaffWaiting()
