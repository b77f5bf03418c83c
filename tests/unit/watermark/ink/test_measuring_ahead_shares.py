"""How the pages to measure are shared between this process, which also stamps them, and the others."""

from __future__ import annotations

import pytest

from watermark.ink import ahead


@pytest.mark.parametrize(
    ("pages", "processes"), [(5000, 2), (5000, 4), (131, 3), (64, 2), (12, 8), (448, 7), (14, 5), (1, 2)]
)
def test_every_page_is_in_one_share_in_order_and_this_process_takes_the_least(pages, processes) -> None:
    missing = [(index, None) for index in range(pages)]
    shares = ahead.split(missing, processes)
    assert [page for share in shares for page in share] == missing
    assert len(shares) <= processes
    own, others = shares[0], shares[1:]
    assert others and all(share and len(own) <= len(share) for share in others)
    assert max(map(len, others)) - min(map(len, others)) <= 1


def test_this_process_measures_less_by_what_stamping_every_page_costs_it() -> None:
    own, other = ahead.split([(index, None) for index in range(5000)], 2)
    # own pages measured and stamped, then the other's stamped: the two finish together
    work = len(own) * (1 + ahead.STAMP_COST) + len(other) * ahead.STAMP_COST
    assert abs(work - len(other)) <= 1 + ahead.STAMP_COST
    many = ahead.split([(index, None) for index in range(5000)], 8)
    assert many[0] == []  # with seven others, stamping alone keeps this one busy enough
