"""Fixtures shared by the integration tests of more than one area."""

from __future__ import annotations

import pytest

from watermark.ink.pageinks import PageInks


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The indexes of the pages rendered to measure their ink, in order."""
    rendered: list[int] = []
    measure = PageInks._measure

    def counting(self: PageInks, index: int, width: float, height: float) -> object:
        rendered.append(index)
        return measure(self, index, width, height)

    monkeypatch.setattr(PageInks, "_measure", counting)
    return rendered
