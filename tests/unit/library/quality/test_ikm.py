"""The IKM equals a hand calculation done the regulation's way: exact 1/9 weights, one rounding."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from library.quality.elements import BY_CODE, ELEMENTS
from library.quality.ikm import Grade, compute_index, grade_of

CODES = [f"U{n}" for n in range(1, 10)]


def response(*scores: int | None) -> dict[str, int]:
    return {code: score for code, score in zip(CODES, scores, strict=True) if score is not None}


def test_the_index_of_three_responses_equals_the_hand_calculation() -> None:
    responses = [
        response(4, 3, 3, 4, 3, 4, 4, 3, 3),
        response(3, 3, 2, 4, 3, 3, 4, 3, 2),
        response(4, 4, 3, 4, 4, 4, 4, 2, 3),
    ]
    # By hand: NRR U1..U9 = 11/3, 10/3, 8/3, 12/3, 10/3, 11/3, 12/3, 8/3, 8/3; their sum is
    # 90/3 = 30; IKM = 25 x 30 / 9 = 83.333... -> 83.33, grade B.
    index = compute_index(responses)
    assert index.responses == 3
    assert [e.nrr for e in index.elements] == [Fraction(n, 3) for n in (11, 10, 8, 12, 10, 11, 12, 8, 8)]
    assert index.value == Decimal("83.33") and index.grade is Grade.B


def test_an_element_nobody_answered_shares_its_weight_among_the_others() -> None:
    responses = [response(4, 4, 3, None, 4, 4, 4, 3, 3), response(3, 4, 3, None, 4, 3, 4, 4, 4)]
    # By hand: U4 has no answer; the other eight NRRs are 3.5, 4, 3, 4, 3.5, 4, 3.5, 3.5 = 29;
    # IKM = 25 x 29 / 8 = 90.625 -> 90.63 (half up), grade A.
    index = compute_index(responses)
    assert index.elements[3].answered == 0 and index.elements[3].nrr is None
    assert index.value == Decimal("90.63") and index.grade is Grade.A


def test_the_exact_ninth_is_used_not_0_111() -> None:
    # Every element at 3.3: 25 x 9 x 3.3 / 9 = 82.5 exactly; with 0.111 it would read 82.42.
    responses = [response(*[3] * 9)] * 7 + [response(*[4] * 9)] * 3
    assert compute_index(responses).value == Decimal("82.50")


def test_no_response_gives_no_index() -> None:
    index = compute_index([])
    assert (index.responses, index.value, index.grade) == (0, None, None)


def test_all_fours_is_100_and_all_ones_is_25() -> None:
    assert compute_index([response(*[4] * 9)]).value == Decimal("100.00")
    assert compute_index([response(*[1] * 9)]).value == Decimal("25.00")


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("100.00", Grade.A),
        ("88.31", Grade.A),
        ("88.30", Grade.B),
        ("76.61", Grade.B),
        ("76.60", Grade.C),
        ("65.00", Grade.C),
        ("64.99", Grade.D),
        ("25.00", Grade.D),
    ],
)
def test_the_grade_bands_are_the_regulations(value: str, grade: Grade) -> None:
    assert grade_of(Decimal(value)) is grade


def test_every_element_has_four_answers_worst_first() -> None:
    assert [e.code for e in ELEMENTS] == CODES
    assert all(len(e.answers) == 4 for e in ELEMENTS)
    assert BY_CODE["U4"].answers[-1] == "Free"
