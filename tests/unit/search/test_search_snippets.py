"""Highlighted snippets and the pages a hit lists."""

from __future__ import annotations

import pytest

from search.querying import Clause, Resolved
from search.snippets import choose_pages, highlight

pytestmark = pytest.mark.unit


def word(exact: str, stem: str | None = None) -> Resolved:
    """Return a resolved word clause."""
    return Resolved(Clause("word", (exact,)), frozenset({exact}), frozenset({stem or exact}))


def phrase(*words: str) -> Resolved:
    """Return a resolved phrase clause."""
    return Resolved(Clause("phrase", words), frozenset(words))


def test_matched_words_are_marked():
    snippet = highlight("Jumlah penduduk kota", [word("penduduk")], "id")

    assert snippet == "Jumlah <mark>penduduk</mark> kota"


def test_other_forms_of_a_word_are_marked():
    snippet = highlight("Data kependudukan", [word("penduduk")], "id")

    assert snippet == "Data <mark>kependudukan</mark>"


def test_text_outside_the_marks_is_escaped():
    snippet = highlight("<b>angka</b> & penduduk", [word("penduduk")], "id")

    assert snippet == "&lt;b&gt;angka&lt;/b&gt; &amp; <mark>penduduk</mark>"


def test_only_whole_phrases_are_marked():
    snippet = highlight("harga naik, harga konsumen turun", [phrase("harga", "konsumen")], "id")

    assert snippet == "harga naik, <mark>harga</mark> <mark>konsumen</mark> turun"


def test_a_long_text_is_cut_around_the_matches():
    text = " ".join(["kata"] * 100 + ["inflasi"] + ["lain"] * 100)

    snippet = highlight(text, [word("inflasi")], "id")

    assert "<mark>inflasi</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet.split()) < 40


def test_a_text_without_matches_gives_its_beginning():
    assert highlight("Publikasi tahunan", [word("inflasi")], "id") == "Publikasi tahunan"


def test_pages_holding_every_clause_are_listed():
    pages, _ = choose_pages({1: {0}, 2: {0, 1}, 3: {1}}, 2, 20)

    assert pages == (2,)


def test_pages_holding_any_clause_are_listed_when_none_holds_all():
    pages, _ = choose_pages({4: {0}, 2: {1}}, 2, 20)

    assert pages == (2, 4)


def test_the_page_list_is_capped():
    pages, _ = choose_pages({n: {0} for n in range(1, 50)}, 1, 20)

    assert pages == tuple(range(1, 21))


def test_the_snippet_page_is_the_first_holding_the_most_clauses():
    _, best = choose_pages({1: {0}, 5: {0, 1}, 3: {0, 1}}, 2, 20)

    assert best == 3


def test_no_pages_means_no_best_page():
    assert choose_pages({}, 1, 20) == ((), None)
