"""Pages claimed as measured: this process from the front, the others chunks from the back, each once."""

from __future__ import annotations

import random

import pytest

from watermark.ink.claims import CLAIM_PAGES, Claims


@pytest.fixture
def claims():
    made = Claims()
    yield made
    made.close()


def test_the_others_claim_chunks_from_the_back_and_this_process_each_page_from_the_front(claims) -> None:
    claims.begin(100)
    assert claims.take_chunk(1) == range(100 - CLAIM_PAGES, 100)
    assert claims.take_chunk(2, 10) == range(100 - CLAIM_PAGES - 10, 100 - CLAIM_PAGES)
    assert claims.take(0) == 0 and claims.take(1) == 0
    assert claims.take(99) == 1 and claims.owner(99) == 1
    assert claims.take(100 - CLAIM_PAGES - 1) == 2 and claims.owner(100 - CLAIM_PAGES - 10) == 2
    assert claims.owner(5) == 0


def test_a_chunk_stops_at_the_pages_this_process_took_and_none_is_left_after(claims) -> None:
    claims.begin(40)
    for index in range(30):
        assert claims.take(index) == 0
    assert claims.take_chunk(1, 16) == range(30, 40)
    assert claims.take_chunk(1, 16) == range(0)
    assert claims.take(35) == 1


def test_this_process_may_claim_before_the_pages_are_counted(claims) -> None:
    assert claims.take_chunk(1) == range(0)  # not counted yet: nothing to claim
    assert claims.take(0) == 0 and claims.take(1) == 0
    claims.begin(20)
    claims.begin(7)  # counted once: a later count changes nothing
    assert claims.take_chunk(1, 100) == range(2, 20)


@pytest.mark.parametrize("seed", range(20))
def test_every_page_is_claimed_once_whatever_the_order_of_the_claims(claims, seed) -> None:
    rng = random.Random(seed)
    pages = rng.randint(1, 300)
    claims.begin(pages)
    owners: dict[int, int] = {}
    index = 0
    while index < pages:
        if rng.random() < 0.3:
            number = rng.randint(1, 3)
            for page in claims.take_chunk(number, rng.randint(1, 20)):
                assert page not in owners
                owners[page] = number
        else:
            owner = claims.take(index)
            assert owners.setdefault(index, 0) == owner
            index += 1
    assert sorted(owners) == list(range(pages))
    mine = [page for page, owner in owners.items() if owner == 0]
    assert mine == list(range(len(mine)))  # this process's pages come first, the others' after
