"""The minimum SKM sample is the Krejcie-Morgan table's, as PermenPANRB 14/2017 asks."""

from __future__ import annotations

import pytest

from library.quality.sample import minimum_sample


@pytest.mark.parametrize(
    ("population", "sample"),
    [  # rows of Krejcie and Morgan's table (1970)
        (10, 10),
        (15, 14),
        (50, 44),
        (75, 63),
        (100, 80),
        (200, 132),
        (500, 217),
        (1000, 278),
        (3000, 341),
        (10000, 370),
        (50000, 381),
        (1000000, 384),
    ],
)
def test_the_minimum_sample_is_the_tables(population: int, sample: int) -> None:
    assert minimum_sample(population) == sample


def test_no_service_given_asks_for_no_answer_and_a_few_ask_for_all() -> None:
    assert [minimum_sample(n) for n in (0, 1, 2, 3)] == [0, 1, 2, 3]
