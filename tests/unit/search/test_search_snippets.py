"""Highlighted snippets and the pages a hit lists."""

from __future__ import annotations

import random

import pytest

from search.clauses import Clause
from search.querying import Resolved
from search.snippets import choose_clause_pages, choose_pages, highlight, highlight_tokens

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


def test_the_choice_made_clause_by_clause_is_the_choice_made_page_by_page():
    chooser = random.Random(5)
    for _ in range(2_000):
        clauses = chooser.randint(1, 4)
        per_clause = [
            set(chooser.sample(range(1, 60), chooser.choice((0, 1, 3, 30)))) for _ in range(clauses)
        ]
        by_page: dict[int, set[int]] = {}
        for index, pages in enumerate(per_clause):
            for page in pages:
                by_page.setdefault(page, set()).add(index)
        cap = chooser.choice((1, 5, 20))
        assert choose_clause_pages(per_clause, cap) == choose_pages(by_page, clauses, cap), per_clause


def test_the_snippet_read_by_the_pattern_alone_is_the_one_read_word_by_word():
    # `highlight` finds the words with one regular expression and the places of its window's
    # words only; `highlight_tokens` reads every word's place. On pages of any length and make-up
    # (stopwords, figures with inner dots, punctuation, accents, marks beyond the 64-word skip)
    # and any query (words, stems, phrases), the two snippets are the same text. Each page is
    # asked for by every query in both languages: all but the first read its kept words.
    chooser = random.Random(27)
    vocabulary = [
        *"penduduk kependudukan harga konsumen inflasi kota desa ekonomi tumbuh pertumbuhan".split(),
        *"yang dan di the of 1.234 2.5 10 naik turun rata café straße ΣΟΦΙΑ ängste x_y".split(),
    ]
    separators = [" ", " ", " ", ", ", ". ", "\n", " - ", " (", ") ", "...", " / "]
    queries = [
        [word("penduduk")],
        [word("kependudukan", "penduduk")],
        [word("harga"), word("inflasi")],
        [phrase("harga", "konsumen")],
        [word("café"), phrase("kota", "desa")],
        [word("tidakada")],
        [word("1.234"), word("straße")],
    ]
    for _ in range(600):
        count = chooser.choice((0, 1, 5, 29, 30, 31, 64, 65, 130, 300, 700))
        text = "".join(chooser.choice(vocabulary) + chooser.choice(separators) for _ in range(count))
        for resolved in queries:
            for language in ("id", "en"):
                assert highlight(text, resolved, language) == highlight_tokens(text, resolved, language)
    # A letter whose lower case is longer takes the word-by-word way, with the same result.
    assert highlight("İstanbul penduduk", [word("penduduk")], "id") == highlight_tokens(
        "İstanbul penduduk", [word("penduduk")], "id"
    )
