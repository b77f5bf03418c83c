"""The satisfaction index (IKM) of a set of SKM responses, exactly as PermenPANRB 14/2017 sets it.

Per element the NRR is the mean score of those who answered it. IKM = 25 x the sum of the
NRRs weighted equally: 1/9 each, the exact fraction (not 0.111), and only the final figure is
rounded, to two decimals, half up. An element nobody answered has no NRR; the weights are then
shared by the elements that have one (1/8 each when one is missing), so a missing element
neither drags the index down nor up. The grade bands are those of the regulation.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from library.i18n import N_
from library.models import ELEMENT_CODES

_CENT = Decimal("0.01")


class Grade(enum.StrEnum):
    """The service quality grade an IKM falls in."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @property
    def label(self) -> str:
        """Return the grade's name in the regulation (marked for translation)."""
        return _GRADE_LABELS[self]


_GRADE_LABELS = {
    Grade.A: N_("Very good"),
    Grade.B: N_("Good"),
    Grade.C: N_("Less than good"),
    Grade.D: N_("Not good"),
}
# Lowest IKM of each grade, best first; below the last is D.
_GRADE_FLOORS = ((Decimal("88.31"), Grade.A), (Decimal("76.61"), Grade.B), (Decimal("65.00"), Grade.C))


@dataclass(frozen=True)
class ElementScore:
    """One element's answers: how many, their total and their mean (NRR), None if unanswered."""

    code: str
    answered: int
    total: int

    @property
    def nrr(self) -> Fraction | None:
        """Return the element's mean score, exact."""
        return Fraction(self.total, self.answered) if self.answered else None


@dataclass(frozen=True)
class Index:
    """The IKM of a set of responses, its grade, and each element's figures."""

    responses: int
    elements: tuple[ElementScore, ...]
    value: Decimal | None  # 25.00-100.00; None with no answer at all
    grade: Grade | None


def grade_of(value: Decimal) -> Grade:
    """Return the grade of an IKM rounded to two decimals."""
    return next((grade for floor, grade in _GRADE_FLOORS if value >= floor), Grade.D)


def element_scores(responses: Iterable[Mapping[str, int]]) -> tuple[int, tuple[ElementScore, ...]]:
    """Return the number of responses and each element's count and total."""
    counts = dict.fromkeys(ELEMENT_CODES, 0)
    totals = dict.fromkeys(ELEMENT_CODES, 0)
    count = 0
    for answers in responses:
        count += 1
        for code, score in answers.items():
            counts[code] += 1
            totals[code] += score
    return count, tuple(ElementScore(code, counts[code], totals[code]) for code in ELEMENT_CODES)


def index_of(responses: int, elements: tuple[ElementScore, ...]) -> Index:
    """Return the IKM of elements' counts and totals (from `element_scores` or the database)."""
    means = [e.nrr for e in elements if e.nrr is not None]
    if not means:
        return Index(responses, elements, None, None)
    exact = 25 * sum(means, Fraction(0)) / len(means)
    value = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return Index(responses, elements, value, grade_of(value))


def compute_index(responses: Iterable[Mapping[str, int]]) -> Index:
    """Return the IKM of responses, each a mapping of element code to score (1-4)."""
    return index_of(*element_scores(responses))
