"""Who may work a walk-in queue: the front office, and each service's own staff."""

from __future__ import annotations

import pytest

from library.permissions import may_work_queue
from tests.unit.library.test_permissions import actor, table


@pytest.mark.parametrize(("kind", "allowed"), table("front office", "librarian", "admin"))
def test_the_front_office_and_librarians_may_work_the_library_queue(kind: str, allowed: bool) -> None:
    assert may_work_queue(actor(kind), "library") is allowed


@pytest.mark.parametrize(("kind", "allowed"), table("front office", "consultant", "admin"))
def test_the_front_office_and_consultants_may_work_the_consultation_queue(kind: str, allowed: bool) -> None:
    assert may_work_queue(actor(kind), "consultation") is allowed


@pytest.mark.parametrize(("kind", "allowed"), table("front office", "admin"))
def test_only_the_front_office_works_a_queue_of_a_service_with_no_staff_role(
    kind: str, allowed: bool
) -> None:
    assert may_work_queue(actor(kind), "data_request") is allowed
