"""A rendered results part is kept for its key and the very answer it shows, as many as asked."""

from __future__ import annotations

from flask import Flask, url_for

from webapp.search.results_html import RenderedResults, _names_key, page_links, query_of


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


def test_office_names_read_again_give_the_same_key_object_and_other_names_another() -> None:
    names = {"1871": {"id": "BPS Kota Metro", "en": "BPS-Statistics of Metro Municipality"}}
    first = _names_key(names)
    again = _names_key({code: dict(values) for code, values in names.items()})  # read anew, equal
    assert again is first  # every kept part's key shares it
    other = _names_key({"1871": {"id": "BPS Kota Metro", "en": "Metro"}})
    assert other != first and _names_key(names) == first


def test_page_links_are_the_links_the_template_wrote_each_escaped() -> None:
    links = page_links("/baca/7?a=1&b=2", [3, 12])
    assert links == (
        '<a href="/baca/7?a=1&amp;b=2?halaman=3">3</a>, <a href="/baca/7?a=1&amp;b=2?halaman=12">12</a>'
    )
    assert page_links("/baca/7", []) == ""


def test_a_query_put_after_a_path_gives_the_url_flask_builds_with_the_words() -> None:
    app = Flask(__name__)
    app.add_url_rule("/cari/<int:publication_id>", "inside", lambda publication_id: "")
    with app.test_request_context():
        for words in ("", "ipm 2024", 'a&b=c "frasa" ?#/%', "pendudukan*"):
            suffix = query_of(url_for("inside", publication_id=1, q=words))
            assert url_for("inside", publication_id=42) + suffix == url_for(
                "inside", publication_id=42, q=words
            )
    assert query_of("/cari/1") == ""
