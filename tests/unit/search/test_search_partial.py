"""A query answered without one typed piece: which pieces there are, and which way is chosen."""

from __future__ import annotations

from dataclasses import replace

import pytest

from search.clauses import parse
from search.engine import Hit, Query, SearchResults
from search.partial import (
    chosen,
    compendia_first,
    districts_named,
    fewest_left_out,
    interleaved,
    most_words,
    omissions,
    pieces,
    topped_without,
)
from search.querying import Resolved, spaced_words
from tests.unit.search.test_search_querying import FakeVocabulary

pytestmark = pytest.mark.unit


def resolved(text: str, **known: int) -> list[Resolved]:
    """Return the typed text's clauses, spaced as an index of these words would (no lookups)."""
    return [Resolved(c, frozenset(c.words)) for c in spaced_words(parse(text), FakeVocabulary(**known))]


def test_each_typed_word_is_a_piece():
    assert pieces(resolved("kemiskinan kota metro")) == [(0,), (1,), (2,)]


def test_a_word_the_index_knows_as_two_is_one_piece_and_two_typed_apart_that_it_knows_as_one_too():
    assert pieces(resolved("metropusat kemiskinan", metro=3, pusat=2, kemiskinan=4)) == [(0, 1), (2,)]
    assert pieces(resolved("rawa jitu timur", rawajitu=1, timur=4)) == [(0,), (1,)]


def test_a_series_name_is_one_piece():
    assert pieces(resolved("metro dalam angka 2024")) == [(0,), (1, 2), (3,)]


def test_each_way_leaves_out_one_piece_named_as_typed():
    ways = omissions("Kemiskinan, rawa jitu", resolved("Kemiskinan, rawa jitu", rawajitu=1))

    assert [way.typed for way in ways] == [("Kemiskinan",), ("rawa", "jitu")]  # without the comma
    assert [[item.clause.words for item in way.rest] for way in ways] == [[("rawajitu",)], [("kemiskinan",)]]


def test_the_query_without_a_piece_parses_to_the_clauses_left():
    clauses = parse("metropusat kemiskinan 2024")
    ways = omissions("metropusat kemiskinan 2024", resolved("metropusat kemiskinan 2024", metro=3, pusat=2))

    assert [c.words for c in ways[0].without(clauses)] == [("kemiskinan",), ("2024",)]
    assert [c.words for c in ways[2].without(clauses)] == [("metropusat",), ("kemiskinan",)]


@pytest.mark.parametrize("text", ['"kota metro" kemiskinan', "kemiskinan", "angka kemiskinan", "di"])
def test_a_quoted_phrase_or_a_single_piece_has_no_way_in_part(text):
    assert omissions(text, resolved(text)) == []


def test_the_way_chosen_has_the_best_scoring_publication_the_first_typed_of_equals():
    assert chosen([None, 2.0, 3.5, 1.0]) == 2
    assert chosen([2.0, None, 2.0]) == 0
    assert chosen([None, None]) is None


def topped(*hits: tuple[str, float, tuple[str, ...]]) -> SearchResults:
    found = [Hit(key, score, key, "", (), missing) for key, score, missing in hits]
    return SearchResults(len(found), found, {}, fewer_words=sum(bool(h.missing) for h in found))


def test_a_first_page_topped_up_is_one_ranking_that_keeps_other_places_and_years_last():
    query = Query("kemiskinan metro 2024", quiet=frozenset({"metro"}), partial=True)
    results = topped(
        ("whole", 10.0, ()),
        ("weak", 2.0, ()),  # holds every word, in passing
        ("other-place", 30.0, ("metro",)),
        ("other-year", 25.0, ("2024",)),
        ("title", 9.0, ("kemiskinan",)),  # weighs 2/3 of 9: 6
        ("faint", 2.4, ("kemiskinan",)),  # 1.6
    )

    ranked = [hit.publication_id for hit in interleaved(query, parse(query.text), results).hits]

    assert ranked == ["whole", "title", "weak", "faint", "other-place", "other-year"]
    later = interleaved(
        Query("kemiskinan metro 2024", partial=True, page=2), parse("kemiskinan metro 2024"), results
    )
    assert later.hits == results.hits  # a later page holds only those lacking one, ranked by the engine


def test_a_publication_lacking_the_topic_asked_for_weighs_as_if_it_lacked_two_pieces():
    query = Query("accommodation statistics metro", known=frozenset({"accommodation"}), partial=True)
    results = topped(
        ("hotels", 5.0, ()),
        ("welfare", 12.0, ("accommodation",)),  # weighs 1/3 of 12: 4, below the hotels (2/3: 8, above)
        ("tourism", 9.0, ("statistics",)),  # lacks a word around the topic: 2/3 of 9, above them
    )

    ranked = [hit.publication_id for hit in interleaved(query, parse(query.text), results).hits]

    assert ranked == ["tourism", "hotels", "welfare"]


def titled(*hits: tuple[str, tuple[str, ...]]) -> SearchResults:
    found = [Hit(title, 1.0, title, "", (), missing) for title, missing in hits]
    return SearchResults(len(found), found, {})


def test_a_place_asked_for_alone_lists_its_compendia_first():
    page = titled(
        ("Profil Kemiskinan Kota Metro 2024", ()),
        ("Kecamatan Metro Timur Dalam Angka 2019", ()),
        ("Statistik Daerah Kota Metro 2024", ()),
        ("Kota Metro Dalam Angka 2024", ()),
        ("Kecamatan Rawajitu Timur Dalam Angka 2019", ("metro",)),  # lacks the place: stays last
    )
    places = frozenset({"kota", "metro", "timur"})

    def order(text: str, results: SearchResults = page) -> list[str]:
        return [hit.title for hit in compendia_first(Query(text, quiet=places), parse(text), results).hits]

    assert order("kota metro") == [
        "Kota Metro Dalam Angka 2024",
        "Statistik Daerah Kota Metro 2024",
        "Kecamatan Metro Timur Dalam Angka 2019",  # a district's edition after its city's compendia
        "Profil Kemiskinan Kota Metro 2024",
        "Kecamatan Rawajitu Timur Dalam Angka 2019",
    ]
    # A district named: its edition is a compendium of what was asked, in the engine's order.
    assert order("metro timur")[:2] == [
        "Kecamatan Metro Timur Dalam Angka 2019",
        "Kota Metro Dalam Angka 2024",
    ]
    assert order("kemiskinan metro") == [hit.title for hit in page.hits]  # a topic: the engine's order


def test_a_district_named_beside_its_regency_lists_the_districts_edition_first():
    page = titled(
        ("Kabupaten Tulang Bawang Dalam Angka 2024", ()),
        ("Statistik Tanaman Pangan Kabupaten Tulang Bawang 2023", ()),
        ("Kecamatan Menggala Dalam Angka 2023", ()),
        ("Kecamatan Lubuklinggau Barat I Dalam Angka 2024", ("tulang",)),
        ("Kecamatan Lubuklinggau Barat II Dalam Angka 2024", ()),
    )
    places = frozenset({"kabupaten", "kab", "tulang", "bawang", "lubuklinggau", "barat"})

    def order(text: str, results: SearchResults = page) -> list[str]:
        return [hit.title for hit in districts_named(Query(text, quiet=places), parse(text), results).hits]

    as_scored = [hit.title for hit in page.hits]
    menggala_first = [as_scored[2], *as_scored[:2], *as_scored[3:]]
    assert order("menggala kab tulang bawang") == menggala_first
    assert order("Kec. Menggala, Kab. Tulang Bawang tahun 2023") == menggala_first  # kinds and a year
    assert order("lubuk linggau barat 2 dalam angka")[0] == as_scored[4]  # typed apart; 2 is II
    assert order("padi menggala") == as_scored  # a topic: the engine's order
    assert order("menggala 5") == as_scored  # a number that is no year
    assert order("tulang bawang") == as_scored  # no district named
    assert order("lubuklinggau barat 1") == as_scored  # named, but lacking a word typed: stays
    # A district named by place words alone may be its regency's capital: named beside "kec." only.
    capital = titled(
        ("Kabupaten Tulang Bawang Dalam Angka 2024", ()), ("Kecamatan Tulang Bawang Dalam Angka", ())
    )
    assert order("tulang bawang dalam angka", capital)[0] == "Kabupaten Tulang Bawang Dalam Angka 2024"
    assert order("kec tulang bawang", capital)[0] == "Kecamatan Tulang Bawang Dalam Angka"
    # Of two districts named, one inside the other, the longer.
    timur = titled(
        ("Kabupaten Tulang Bawang Dalam Angka 2024", ()),
        ("Kecamatan Menggala Dalam Angka 2023", ()),
        ("Kecamatan Menggala Timur Dalam Angka 2023", ()),
    )
    assert order("menggala timur", timur)[0] == "Kecamatan Menggala Timur Dalam Angka 2023"
    assert order("menggala timur", timur)[1] == "Kabupaten Tulang Bawang Dalam Angka 2024"


def fake_search(answers: dict[str, tuple[str | None, float]]):  # noqa: ANN201 - a search function
    """Return a search answering each text in `answers` with one hit (its correction, its score)."""

    def search(query: Query) -> SearchResults:
        if query.text not in answers:
            return SearchResults(0, [], {})
        corrected, score = answers[query.text]
        return SearchResults(1, [Hit(query.text, score, query.text, "", ())], {}, corrected=corrected)

    return search


def test_an_answer_without_two_pieces_keeps_the_place_then_needs_no_correction():
    query = Query("gawe metro wong", quiet=frozenset({"metro"}), partial=True)
    nothing = SearchResults(0, [], {}, suggestion="gate metro wong")  # a suggestion answering nothing
    # Without the place scores best, without a word needing a correction next: neither wins.
    search = fake_search({"gawe wong": (None, 9.0), "metro wong": ("gate", 5.0), "gawe metro": (None, 2.0)})

    answer = most_words(query, parse(query.text), nothing, search)

    assert answer.hits[0].publication_id == "gawe metro" and answer.left_out == ("wong",)
    assert answer.suggestion is None


def test_the_most_pieces_held_win_then_odd_ones_lacked_then_the_best_score():
    text = "kemiskinan gawe metro wong 2024"
    found = resolved(text)
    known = frozenset({"kemiskinan", "metro"})  # "gawe" and "wong" are odd
    ways, placed = omissions(text, found, known), omissions(text, found, known, frozenset({"metro"}))
    held = lambda *kept: sum(1 << k for k in kept)  # noqa: E731
    # Three pieces beat two whatever the score; of three, lacking only odd pieces wins; then the score.
    answers = [(held(0, 2), 90.0), (held(0, 1, 2), 5.0), (held(1, 2, 3), 9.0), (held(0, 2, 4), 3.0)]

    omission = fewest_left_out(found, placed, answers)

    assert omission is not None and omission.typed == ("gawe", "wong") and omission.odd
    assert [item.clause.typed for item in omission.rest] == ["kemiskinan", "metro", "2024"]
    # Four pieces beat three, unless the place typed is among those lacked.
    more = [*answers, (held(0, 1, 3, 4), 1.0)]
    assert fewest_left_out(found, ways, more).typed == ("metro",)
    assert fewest_left_out(found, placed, more).typed == ("gawe", "wong")


def test_a_piece_left_out_alone_is_not_the_place_typed_while_another_answers():
    ways = omissions("kebun tebu tuba", resolved("kebun tebu tuba"), quiet=frozenset({"tuba"}))

    assert [way.place for way in ways] == [False, False, True]
    assert chosen([2.0, None, 9.0], ways) == 0  # without "tuba" scores best, but "tuba" is kept
    assert chosen([None, None, 9.0], ways) == 2  # unless nothing else answers


@pytest.mark.parametrize("held", [0b00001, 0b11111])
def test_one_piece_held_or_all_of_them_is_no_answer_of_the_most_pieces(held):
    text = "kemiskinan gawe metro wong 2024"
    found = resolved(text)

    assert fewest_left_out(found, omissions(text, found), [(held, 9.0)]) is None


def hits(*names: str, missing: tuple[str, ...] = ()) -> list[Hit]:
    return [Hit(name, 1.0, name, "", (), missing) for name in names]


@pytest.mark.parametrize(
    ("kept_answer", "topped"),
    [
        (
            SearchResults(
                3, [*hits("survey"), *hits("labour", "yearbook", missing=("sektor",))], {}, fewer_words=2
            ),
            True,
        ),
        (
            SearchResults(
                3, [*hits("survey", "other"), *hits("labour", missing=("sektor",))], {}, fewer_words=1
            ),
            False,
        ),
        (SearchResults(1, hits("survey"), {}), False),  # nothing lacks one piece more: as it was
    ],
)
def test_an_answer_without_a_piece_that_few_hold_is_topped_up_as_the_query_without_it(kept_answer, topped):
    query = Query("sektor nyerap tenaga kerja", partial=True)
    partial = SearchResults(1, hits("survey"), {}, left_out=("nyerap",))
    asked: list[str] = []

    def search(question: Query) -> SearchResults:
        asked.append(question.text)
        return kept_answer

    answer = topped_without(query, parse(query.text), partial, search)

    assert asked == ["sektor tenaga kerja"]
    assert answer == (replace(kept_answer, left_out=("nyerap",)) if topped else partial)


def test_an_answer_without_a_piece_that_fills_a_page_is_not_searched_again():
    query = Query("sektor nyerap tenaga kerja", partial=True, per_page=1)
    partial = SearchResults(1, hits("survey"), {}, left_out=("nyerap",))

    assert topped_without(query, parse(query.text), partial, lambda _: pytest.fail("searched")) is partial


@pytest.mark.parametrize(
    ("most_left_out", "chosen_one"), [(("gawe", "wong"), "most"), (("metro", "wong"), "metro wong kerja")]
)
def test_an_answer_without_two_pieces_that_lacks_the_place_gives_way_to_the_most_pieces_keeping_it(
    most_left_out, chosen_one
):
    query = Query("gawe metro wong kerja", quiet=frozenset({"metro"}), partial=True)
    # Every answer without two pieces lacks "metro": typed apart, or left out by the search.
    answers = {"metro wong kerja": ("metro",), "gawe wong kerja": (), "gawe metro kerja": ("metro",)}

    def search(question: Query) -> SearchResults:
        if question.most:
            return SearchResults(1, hits("most"), {}, left_out=most_left_out)
        if question.text not in answers:
            return SearchResults(0, [], {})
        return SearchResults(1, hits(question.text), {}, left_out=answers[question.text])

    answer = most_words(query, parse(query.text), SearchResults(0, [], {}), search)

    assert answer.hits[0].publication_id == chosen_one


def test_a_piece_is_named_without_the_question_mark_or_full_stop_typed_after_it():
    text = "berapa penduduk miskin di kota metro? tahun 2024."

    assert [way.typed for way in omissions(text, resolved(text))][-3:] == [("metro",), ("tahun",), ("2024",)]
