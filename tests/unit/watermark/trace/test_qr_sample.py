"""Which pages of a PDF a trace reads QR codes on: the first ones and an even sample of the rest."""

from __future__ import annotations

import pytest

from watermark.trace.reading import TraceBudget, qr_sample

BUDGET = TraceBudget(qr_first=5, qr_pages=20)


def test_a_short_pdf_has_every_page_read() -> None:
    assert qr_sample(12, "auto", BUDGET) == list(range(12))


def test_a_long_pdf_has_its_first_pages_and_an_even_sample_up_to_the_last_read() -> None:
    pages = qr_sample(2000, "auto", BUDGET)
    assert len(pages) == 20 and pages[:5] == [0, 1, 2, 3, 4] and pages[-1] == 1999
    gaps = {b - a for a, b in zip(pages[5:], pages[6:], strict=False)}
    assert max(gaps) - min(gaps) <= 1


@pytest.mark.parametrize("count", [21, 25, 100, 10_000])
def test_the_sample_never_repeats_a_page_nor_passes_the_budget(count: int) -> None:
    pages = qr_sample(count, "auto", BUDGET)
    assert len(pages) == len(set(pages)) <= 20 and pages == sorted(pages) and pages[-1] == count - 1


def test_always_reads_every_page_and_never_none() -> None:
    assert qr_sample(2000, "always", BUDGET) == list(range(2000))
    assert qr_sample(2000, "never", BUDGET) == []
