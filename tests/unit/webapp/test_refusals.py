"""A view's use case run under `refusals`: what it catches, what it lets through, and in which order."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from library.errors import InvalidInput, NotAllowed, NotFound, PustakaError
from webapp.forms import refusals


@contextmanager
def transaction(seen: list[str]) -> Iterator[None]:
    """Stand in for `current_runtime().transaction()`: note whether it committed or rolled back."""
    try:
        yield
    except BaseException:
        seen.append("rolled back")
        raise
    seen.append("committed")


def test_a_refused_use_case_rolls_its_transaction_back_before_the_view_sees_the_refusal() -> None:
    seen: list[str] = []
    with refusals() as attempt, transaction(seen):
        raise NotFound("no such thing")
    assert seen == ["rolled back"] and attempt.failed and isinstance(attempt.error, NotFound)


def test_a_use_case_that_does_not_refuse_commits_and_the_attempt_has_no_error() -> None:
    seen: list[str] = []
    with refusals() as attempt, transaction(seen):
        pass
    assert seen == ["committed"] and not attempt.failed and attempt.status == 200
    with pytest.raises(LookupError):
        _ = attempt.error


@pytest.mark.parametrize(
    ("raised", "options"),
    [
        (ValueError("a bug, not a refusal"), {}),
        (NotAllowed("not yours"), {"to_error_page": NotAllowed}),
        (PustakaError("broader than asked"), {"catch": InvalidInput}),
    ],
)
def test_what_the_view_does_not_catch_goes_on_to_the_error_page(
    raised: Exception, options: dict[str, type[PustakaError]]
) -> None:
    with pytest.raises(type(raised)), refusals(**options):  # type: ignore[arg-type]
        raise raised
