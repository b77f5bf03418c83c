"""Every judged query's search page fits a 360 px phone: filters, hits and notes wrap, none sideways."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from benchmarks.search_quality import load_judgments
from tests.browser.test_phone_widths import HEIGHTS, WIDER_THAN_THE_SCREEN, served_copy


@pytest.fixture(scope="module")
def searching(tmp_path_factory: pytest.TempPathFactory, indexed_instance: Path) -> Iterator[str]:
    """Serve an indexed demo instance for this module; yield its address."""
    with served_copy(indexed_instance, tmp_path_factory.mktemp("search-widths")) as server:
        yield server.url


def test_the_search_page_of_every_judged_query_fits_a_phone(searching: str, page) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 360, "height": HEIGHTS[360]})
    problems = []
    for query in load_judgments():
        page.goto(f"{searching}/cari/?q={quote_plus(query.text)}")
        fit = page.evaluate(WIDER_THAN_THE_SCREEN)
        if fit["scroll"] > fit["width"] or fit["wide"]:
            problems.append(f"{query.text!r}: {fit['scroll']} px wide: {fit['wide']}")
    assert not problems, "\n".join(problems)
