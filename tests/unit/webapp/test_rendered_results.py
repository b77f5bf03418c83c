"""A rendered results part is kept for its key and the very answer it shows, as many as asked."""

from __future__ import annotations

from webapp.search.results_html import RenderedResults


def test_a_part_is_rendered_again_for_another_answer_under_the_same_key() -> None:
    kept, rendered = RenderedResults(entries=2), []

    def render(text: str):
        return lambda: rendered.append(text) or text

    answer, newer = object(), object()
    assert kept.get("q=inflasi", answer, render("a")) == "a"
    assert kept.get("q=inflasi", answer, render("b")) == "a"  # kept
    assert kept.get("q=inflasi", newer, render("c")) == "c"  # a new index version's answer
    kept.get("q=ipm", answer, render("d"))
    kept.get("q=kemiskinan", answer, render("e"))  # three keys, two kept: the oldest goes
    assert kept.get("q=inflasi", newer, render("f")) == "f"
    assert rendered == ["a", "c", "d", "e", "f"]
