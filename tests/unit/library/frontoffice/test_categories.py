"""The guest book's categories: stored codes, labels for the catalogue, occupations shared with accounts."""

from __future__ import annotations

import pytest

from library.accounts.occupations import OCCUPATIONS as ACCOUNT_OCCUPATIONS
from library.frontoffice.categories import AGE_BANDS, EDUCATIONS, OCCUPATIONS, SEXES, category, is_category
from library.models import Visit

QUESTIONS = {"sex": SEXES, "age_band": AGE_BANDS, "education": EDUCATIONS, "occupation": OCCUPATIONS}


@pytest.mark.parametrize("column", sorted(QUESTIONS))
def test_every_code_is_unique_and_fits_its_visit_column(column: str) -> None:
    codes = [c.code for c in QUESTIONS[column]]
    width = Visit.__table__.c[column].type.length
    assert len(codes) == len(set(codes))
    assert all(0 < len(code) <= width for code in codes)


def test_the_answers_are_the_ones_bps_counts_in_its_guest_book_and_survey() -> None:
    assert [c.code for c in SEXES] == ["male", "female"]
    assert [c.code for c in AGE_BANDS] == ["under_17", "17_25", "26_35", "36_45", "46_55", "56_65", "over_65"]
    assert [c.code for c in EDUCATIONS] == ["high_school", "diploma", "bachelor", "master", "doctorate"]


def test_occupations_are_those_registration_asks_for() -> None:
    assert [(c.code, c.label) for c in OCCUPATIONS] == [(o.code, o.label) for o in ACCOUNT_OCCUPATIONS]


def test_a_category_is_found_by_its_code_and_nothing_else() -> None:
    assert category(EDUCATIONS, "bachelor") == EDUCATIONS[2]
    assert category(EDUCATIONS, "Bachelor (D4/S1)") is None
    assert category(SEXES, None) is None
    assert is_category(AGE_BANDS, "over_65") and not is_category(AGE_BANDS, "")
