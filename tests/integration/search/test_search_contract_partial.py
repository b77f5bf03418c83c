"""Contract: a query no publication answers whole is answered without one typed piece (issue 78).

On every engine, in the pass that scores the query: the publications holding every clause but one
piece's, for the piece whose omission gives the best-scoring publication, ranked, counted and
shown as the query without that piece would be, and the piece named as typed. When fewer than a
page hold every clause, those lacking one piece (whichever) follow them, each naming it.
"""

from __future__ import annotations

import pytest

from search.clauses import parse
from search.engine import Query, SearchResults
from search.partial import most_words
from tests.integration.search.test_search_contract_meaning import DOCS, PLACES, doc


@pytest.fixture
def searched(engine):
    engine.index(DOCS)
    return engine


def asked(engine, text: str, **options) -> SearchResults:
    return engine.search(Query(text, quiet=PLACES, partial=True, **options))


def plain(engine, text: str, **options) -> SearchResults:
    """Return the answer of a query that asks for no partial answer (the search inside a publication)."""
    return engine.search(Query(text, quiet=PLACES, **options))


def shown(results: SearchResults) -> tuple:
    """Return all a results page shows but the piece left out (the scores to a millionth)."""
    hits = [(h.publication_id, round(h.score, 6), h.title, h.snippet_html, h.pages) for h in results.hits]
    return results.total, hits, results.facets, results.suggestion, results.corrected


@pytest.mark.parametrize(
    ("text", "without", "left_out"),
    [
        ("kemiskinan qwxz", "kemiskinan", ("qwxz",)),
        ("qwxz kemiskinan tulang bawang", "kemiskinan tulang bawang", ("qwxz",)),
        ("kota qwxz metro", "kota metro", ("qwxz",)),  # the words now side by side rank as such
        ("statistik pendidikan 2022 zzkt", "statistik pendidikan 2022", ("zzkt",)),  # a year named
        ("bab, kemiskinan (qwxz)", "bab kemiskinan", ("qwxz",)),  # named as typed, without the brackets
    ],
)
def test_a_query_no_publication_answers_whole_answers_as_the_query_without_its_odd_piece(
    searched, text, without, left_out
):
    results = asked(searched, text)

    assert results.total and results.left_out == left_out
    assert shown(results) == shown(plain(searched, without))


def test_only_a_query_that_asks_for_it_is_answered_in_part(searched):
    results = searched.search(Query("kemiskinan qwxz", quiet=PLACES))

    assert results.total == 0 and results.hits == [] and results.left_out == ()


def test_a_query_every_clause_of_which_some_publication_holds_is_answered_whole(searched):
    whole = plain(searched, "kota metro dalam angka", per_page=1)

    results = asked(searched, "kota metro dalam angka", per_page=1)  # a page of them: nothing follows

    assert whole.total and results.left_out == () and results.fewer_words == 0
    assert shown(results) == shown(whole)


def test_the_piece_left_out_is_the_one_whose_best_publication_scores_highest(searched):
    # Without "pengangguran" the Rawajitu compendium (by its title); without "rawajitu", the
    # publications on unemployment: whichever has the better best publication answers.
    ways = {"pengangguran": asked(searched, "rawajitu"), "rawajitu": asked(searched, "pengangguran")}
    best = max(ways, key=lambda word: ways[word].hits[0].score)

    results = asked(searched, "pengangguran rawajitu")

    assert results.left_out == (best,) and shown(results) == shown(ways[best])


@pytest.mark.parametrize("known", ["pengangguran", "rawajitu"])
def test_a_piece_none_of_whose_words_the_domain_knows_is_left_out_first(searched, known):
    # Whatever the scores: the glossary's word is what was asked for, the other is the odd one.
    results = asked(searched, "pengangguran rawajitu", known=frozenset({known}))

    assert results.left_out == ({"pengangguran": "rawajitu", "rawajitu": "pengangguran"}[known],)
    assert shown(results) == shown(asked(searched, known))


def test_the_filters_hold_for_the_whole_answer_and_for_the_partial_one(searched):
    # Kota Metro's compendium holds both words, but not in Tulang Bawang's publications.
    results = asked(searched, "kemiskinan metro", filters={"office": ("1805",)})

    assert results.left_out == ("metro",)
    assert [hit.publication_id for hit in results.hits] == ["miskin-tuba"]
    assert results.facets["office"] == [("1805", 1)]


def test_a_place_typed_apart_is_left_out_whole_and_named_as_typed(searched):
    results = asked(searched, "kemiskinan rawa jitu", filters={"office": ("1872",)})

    assert results.left_out == ("rawa", "jitu")
    assert [hit.publication_id for hit in results.hits] == ["metro-angka"]


def test_a_word_the_index_knows_as_two_is_left_out_whole(searched):
    # "angkatankerja" is searched as "angkatan kerja": the Rawajitu compendium has neither word.
    results = asked(searched, "angkatankerja rawajitu", filters={"office": ("1805",)})

    assert results.left_out == ("angkatankerja",)
    assert [hit.publication_id for hit in results.hits] == ["rawajitu"]


def test_a_series_name_is_left_out_whole(searched):
    # Lubuklinggau's education statistics are no "Dalam Angka": without the series' name, they answer.
    results = asked(searched, "pendidikan dalam angka", filters={"office": ("1674",)})

    assert results.left_out == ("dalam", "angka")
    assert [hit.publication_id for hit in results.hits] == ["didik-llg"]


@pytest.mark.parametrize(
    "text",
    [
        '"kota metro" qwxz',  # a quoted phrase asks for exactly what it quotes
        "qwxz",  # one piece: nothing is left without it
        "angka qwxz",  # "angka" beside another word asks for nothing of its own
        "zzkt qwxz",
    ],
)
def test_some_queries_are_never_answered_in_part(searched, text):
    results = asked(searched, text)

    assert results.total == 0 and results.left_out == ()


def test_a_correction_that_finds_publications_is_offered_before_a_partial_answer(searched):
    # "kemskinn" is two slips from "kemiskinan": not searched as it, but suggested.
    results = asked(searched, "kemskinn metro")

    assert results.suggestion == "kemiskinan metro"
    assert results.total == 0 and results.left_out == ()


def test_a_partial_answer_pages_and_sorts_as_the_query_without_the_piece(searched):
    for options in ({"page": 2, "per_page": 1}, {"sort": "newest"}):
        results = asked(searched, "pendidikan qwxz", **options)

        assert results.left_out == ("qwxz",)
        assert shown(results) == shown(plain(searched, "pendidikan", **options))


def test_a_partial_answer_corrects_a_misspelt_word_it_keeps(engine):
    engine.index([*DOCS, doc("miskin-metro", "Profil Kemiskinan Kota Metro 2024", "1872")])

    results = asked(engine, "kemiskinn qwxz")  # a slip of one letter: searched as its neighbours

    assert results.left_out == ("qwxz",) and results.corrected == "kemiskinan"
    assert shown(results) == shown(plain(engine, "kemiskinn"))


def test_fewer_than_a_page_holding_every_word_are_followed_by_those_lacking_one(searched):
    whole = plain(searched, "kemiskinan metro")
    ways = {("metro",): plain(searched, "kemiskinan"), ("kemiskinan",): plain(searched, "metro")}

    results = asked(searched, "kemiskinan metro")

    assert 0 < whole.total < 10 and results.left_out == ()
    assert shown(results)[1][: whole.total] == shown(whole)[1]  # first, as the whole query ranks them
    assert results.total == whole.total + results.fewer_words and results.fewer_words
    held = {hit.publication_id for hit in whole.hits}
    for hit in results.hits[whole.total :]:  # each lacks the one piece it names, and holds the rest
        assert hit.missing in ways and hit.publication_id not in held
        assert hit.publication_id in {h.publication_id for h in ways[hit.missing].hits}
    assert [h.score for h in results.hits[whole.total :]] == sorted(
        (h.score for h in results.hits[whole.total :]), reverse=True
    )
    assert sum(n for _, n in results.facets["office"]) == results.total


def test_the_publications_lacking_a_word_page_on_from_those_holding_every_word(searched):
    everything = asked(searched, "kemiskinan metro", per_page=50)
    per_page = plain(searched, "kemiskinan metro").total + 1  # more than hold every word

    pages = [asked(searched, "kemiskinan metro", page=n, per_page=per_page) for n in (1, 2, 3)]

    listed = [(h.publication_id, h.missing) for page in pages for h in page.hits]
    assert listed == [(h.publication_id, h.missing) for h in everything.hits][: 3 * per_page]
    assert {page.total for page in pages} == {everything.total}


def test_sorted_by_date_or_narrowed_by_a_filter_only_what_is_asked_for_is_listed(searched):
    newest = asked(searched, "kemiskinan metro", sort="newest")
    narrowed = asked(searched, "kemiskinan metro", filters={"office": ("1872",)})

    assert shown(newest) == shown(plain(searched, "kemiskinan metro", sort="newest"))
    assert newest.fewer_words == 0
    assert {h.publication_id for h in narrowed.hits} <= {
        h.publication_id for h in plain(searched, "", filters={"office": ("1872",)}, per_page=50).hits
    }


def test_a_publication_lacking_a_word_is_shown_as_the_query_without_it_shows_it(searched):
    searched.index(
        [
            doc(
                "pesisir",
                "Profil Pesisir",
                "1872",
                "nelayan di pantai",
                "ikan laut segar",
                "nelayan menjual ikan",
            ),
            doc("kolam", "Profil Kolam", "1872", "budidaya ikan oleh nelayan"),
        ]
    )

    results = asked(searched, "nelayan ikan budidaya")

    lacking = next(hit for hit in results.hits if hit.publication_id == "pesisir")
    alone = next(hit for hit in plain(searched, "nelayan ikan").hits if hit.publication_id == "pesisir")
    assert lacking.missing == ("budidaya",)
    # The pages listed hold every word it holds, the snippet from the first of them.
    assert lacking.pages == alone.pages == (3,) and lacking.snippet_html == alone.snippet_html


def test_a_query_nothing_answers_without_one_piece_is_answered_without_two(searched):
    # A sentence typed in full: two words no publication has, one that several have.
    query = Query("qwxz kemiskinan zzkt", quiet=PLACES, partial=True)
    alone = searched.search(query)

    results = most_words(query, parse(query.text), alone, searched.search)

    assert alone.total == 0 and alone.left_out == ()
    assert set(results.left_out) == {"qwxz", "zzkt"} and results.suggestion is None
    assert shown(results) == shown(plain(searched, "kemiskinan"))


def test_an_answer_without_two_pieces_pages_as_the_query_without_them(searched):
    query = Query("qwxz kemiskinan zzkt", quiet=PLACES, partial=True, page=2, per_page=1)

    results = most_words(query, parse(query.text), searched.search(query), searched.search)

    assert set(results.left_out) == {"qwxz", "zzkt"}
    assert shown(results) == shown(plain(searched, "kemiskinan", page=2, per_page=1))


def test_a_sentence_nothing_answers_without_two_pieces_is_answered_by_the_most_pieces(searched):
    # Three words no publication has: not even the query without two answers (`most_words`).
    query = Query("qwxz kemiskinan zzkt metro yyqv", quiet=PLACES, partial=True)

    results = most_words(query, parse(query.text), searched.search(query), searched.search)

    assert set(results.left_out) == {"qwxz", "zzkt", "yyqv"} and results.suggestion is None
    assert shown(results) == shown(plain(searched, "kemiskinan metro"))


def test_the_most_pieces_keep_the_place_typed(searched):
    # Kota Metro's compendium holds three of the pieces ("bab", "pengangguran", "kemiskinan"), but
    # not the place typed, of which the figures must be: Lubuklinggau's education statistics hold
    # two, the place one of them.
    text = "bab pengangguran kemiskinan qwxz pendidikan lubuklinggau zzkt"

    results = searched.search(Query(text, quiet=PLACES, partial=True, most=True))

    assert set(results.left_out) == {"bab", "pengangguran", "kemiskinan", "qwxz", "zzkt"}
    assert shown(results) == shown(plain(searched, "pendidikan lubuklinggau"))


def test_one_piece_held_is_not_an_answer_of_the_most_pieces(searched):
    results = searched.search(Query("kemiskinan qwxz zzkt yyqv", quiet=PLACES, partial=True, most=True))

    assert results.total == 0 and results.left_out == ()


def test_a_query_answered_without_one_piece_keeps_the_place_typed(searched):
    # No Lubuklinggau publication is on poverty: its own publications answer, not another place's
    # on poverty, though those hold the word in their titles.
    results = asked(searched, "kemiskinan lubuklinggau")

    assert results.left_out == ("kemiskinan",)
    assert shown(results) == shown(plain(searched, "lubuklinggau"))
