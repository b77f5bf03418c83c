"""Parsing typed queries into clauses, resolving them and suggesting corrections."""

from __future__ import annotations

import pytest

from search.clauses import Clause, ends_series, identifier_variants, parse
from search.engine import Query
from search.postgres.query import SearchSql, phrase_pairs
from search.querying import (
    MAX_CORRECTED,
    is_quiet,
    proximity,
    quiet_pair,
    resolve,
    spaced_words,
    split_word,
    suggest,
    years,
)
from search.typing_slips import edit_distance

pytestmark = pytest.mark.unit


class FakeVocabulary:
    """Word -> doc frequency, with stems known by the word itself."""

    def __init__(self, **frequency: int) -> None:
        self.frequency = frequency

    def doc_frequency(self, word: str) -> int:
        return self.frequency.get(word, 0)

    def stem_known(self, word: str) -> bool:
        return word == "kependudukan" and "penduduk" in self.frequency

    def prefixed(self, prefix: str, limit: int) -> list[str]:
        return sorted(w for w in self.frequency if w.startswith(prefix))[:limit]

    def near(self, word: str, maxdist: int) -> list[tuple[str, int]]:
        return [(w, n) for w, n in self.frequency.items() if edit_distance(w, word) <= maxdist]


def test_plain_words_become_one_clause_each():
    assert parse("jumlah penduduk") == [Clause("word", ("jumlah",)), Clause("word", ("penduduk",))]


def test_quoted_words_become_a_phrase():
    assert parse('"indeks harga konsumen"') == [Clause("phrase", ("indeks", "harga", "konsumen"))]


def test_an_unclosed_quote_still_makes_a_phrase():
    assert parse('"harga konsumen') == [Clause("phrase", ("harga", "konsumen"))]


def test_a_hyphenated_word_becomes_a_phrase_of_its_parts():
    assert parse("rata-rata") == [Clause("phrase", ("rata", "rata"))]


def test_each_clause_remembers_what_was_typed_for_it_and_where():
    clauses = parse('Kemiskinan, "kota metro" di 1102001 pendud*')

    # The stopword makes no clause but is a place typed all the same.
    assert [(c.typed, c.at) for c in clauses] == [
        ("Kemiskinan", (0,)),
        ("kota metro", (1,)),
        ("1102001", (3,)),
        ("pendud*", (4,)),
    ]


def test_words_the_index_knows_spaced_otherwise_remember_what_was_typed():
    vocabulary = FakeVocabulary(rawajitu=3, timur=5, metro=9, pusat=4)

    joined = spaced_words(parse("rawa jitu timur"), vocabulary)
    split = spaced_words(parse("metropusat"), vocabulary)

    assert [(c.words, c.typed, c.at) for c in joined] == [
        (("rawajitu",), "rawa jitu", (0, 1)),
        (("timur",), "timur", (2,)),
    ]
    assert [(c.words, c.typed, c.at) for c in split] == [
        (("metro",), "metropusat", (0,)),
        (("pusat",), "metropusat", (0,)),
    ]


def test_a_word_asking_for_figures_ends_a_series_name_after_its_first_word():
    dalam, angka = parse("dalam angka")

    assert ends_series(dalam, angka)
    assert not ends_series(None, angka) and not ends_series(parse("data")[0], angka)
    assert not ends_series(dalam, parse("data")[0])


def test_a_trailing_star_makes_a_prefix():
    assert parse("pendud*") == [Clause("prefix", ("pendud",))]


def test_a_prefix_shorter_than_three_letters_is_a_plain_word():
    assert parse("ab*") == [Clause("word", ("ab",))]


def test_stopwords_alone_make_no_clause():
    assert parse("yang dan di") == []


@pytest.mark.parametrize(
    "identifier",
    [
        "1102001.1872",
        "1102001",
        "18720.2401",
        "2089-1234",
        "2477538X",  # an ISSN typed without its hyphen
        "978-602-438-123-4",
        "9786024381234",
    ],
)
def test_publication_identifiers_are_recognised(identifier):
    assert [c.kind for c in parse(identifier)] == ["identifier"]


@pytest.mark.parametrize("text", ["2023", "1.234", "12,5", "1234567,8"])
def test_ordinary_numbers_are_not_identifiers(text):
    assert "identifier" not in [c.kind for c in parse(text)]


def test_labels_beside_an_identifier_are_dropped():
    assert [c.kind for c in parse("ISSN 2089-1234")] == ["identifier"]


def test_labels_without_an_identifier_are_searched():
    assert parse("nomor") == [Clause("word", ("nomor",))]


def test_identifier_variants_include_the_digits_alone_and_the_katalog_base():
    assert identifier_variants("1102001.1872") == ("1102001", "1102001.1872", "11020011872")


def test_identifier_variants_of_an_empty_value_are_empty():
    assert identifier_variants("  ") == ()


def test_a_known_word_resolves_to_itself_and_its_stems():
    (resolved,) = resolve(parse("penduduk"), FakeVocabulary(penduduk=50, pendudukan=60))

    assert resolved.exact == {"penduduk"}
    assert "penduduk" in resolved.stems_id


@pytest.mark.parametrize(
    ("typed", "also"),
    [
        pytest.param("1", {"i"}, id="arabic-to-roman"),
        pytest.param("ii", {"2"}, id="roman-to-arabic"),
        pytest.param("satu", {"1", "i"}, id="spelled-to-both"),
        pytest.param("kec", {"kecamatan"}, id="a-kind-of-area"),
        pytest.param("des", {"desember"}, id="a-month"),
    ],
)
def test_a_word_also_matches_the_other_ways_it_is_written(typed, also):
    (resolved,) = resolve(parse(typed), FakeVocabulary(**{typed: 5}))

    assert resolved.exact == {typed, *also}


def test_an_unknown_word_also_matches_its_near_neighbours():
    (resolved,) = resolve(parse("pendudk"), FakeVocabulary(penduduk=50))

    assert resolved.exact == {"pendudk", "penduduk"}


def test_a_swap_of_two_letters_counts_as_one_slip():
    (resolved,) = resolve(parse("pendudku"), FakeVocabulary(penduduk=50))

    assert "penduduk" in resolved.exact


def test_a_rare_word_beside_a_much_commoner_neighbour_also_matches_it():
    (resolved,) = resolve(parse("pendudk"), FakeVocabulary(pendudk=1, penduduk=500))

    assert resolved.exact == {"pendudk", "penduduk"}


def test_a_common_word_does_not_match_its_neighbours():
    (resolved,) = resolve(parse("sapi"), FakeVocabulary(sapi=30, sawi=900))

    assert resolved.exact == {"sapi"}


def test_an_unseen_form_of_a_known_stem_is_not_treated_as_a_typo():
    (resolved,) = resolve(parse("kependudukan"), FakeVocabulary(penduduk=50, kependudukn=3))

    assert resolved.exact == {"kependudukan"}


def test_short_words_are_never_treated_as_typos():
    (resolved,) = resolve(parse("pdi"), FakeVocabulary(padi=40))

    assert resolved.exact == {"pdi"}


def test_a_prefix_resolves_to_the_known_words_it_starts():
    (resolved,) = resolve(parse("pendud*"), FakeVocabulary(penduduk=5, pendudukan=2, padi=9))

    assert resolved.exact == {"penduduk", "pendudukan"}


def test_a_suggestion_replaces_unknown_words_with_the_closest_known_ones():
    suggestion = suggest(parse('mugrasu "harga konsumen"'), FakeVocabulary(migrasi=4))

    assert suggestion == 'migrasi "harga konsumen"'


def test_no_suggestion_when_every_word_is_known():
    assert suggest(parse("migrasi"), FakeVocabulary(migrasi=4)) is None


def test_edit_distance_counts_insertions_deletions_and_changes():
    assert edit_distance("kepadatan", "kepadatn") == 1
    assert edit_distance("sapi", "sawit") == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"filters": {"colour": ("red",)}},
        {"sort": "oldest"},
        {"page": 0},
        {"per_page": 0},
        {"per_page": 101},
    ],
)
def test_a_query_rejects_bad_arguments(bad):
    with pytest.raises(ValueError):
        Query("penduduk", **bad)


def test_an_unknown_word_matches_at_most_a_few_neighbours():
    vocabulary = FakeVocabulary(**{f"padi{letter}": 10 for letter in "abcdefghij"})

    (resolved,) = resolve(parse("padix"), vocabulary)

    assert len(resolved.exact - {"padix"}) == 5


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        pytest.param("angka kemiskinan", ["kemiskinan"], id="figures-of-a-topic-are-the-topic"),
        pytest.param("data penduduk miskin", ["penduduk", "miskin"], id="data-of-a-topic-too"),
        pytest.param(
            "kota metro dalam angka", ["kota", "metro", "dalam", "angka"], id="the-series-name-stays"
        ),
        pytest.param("angka", ["angka"], id="alone-it-is-what-was-asked"),
        pytest.param("angka data", ["angka", "data"], id="nothing-else-to-search-keeps-both"),
        pytest.param(
            "berapa jumlah penduduk miskin di kota metro",
            ["jumlah", "penduduk", "miskin", "kota", "metro"],
            id="a-question-asks-for-its-topic",
        ),
        pytest.param("dimana ada data ipm", ["ipm"], id="a-request-too"),
        pytest.param("how many hotels are there in metro", ["hotels", "metro"], id="in-english-too"),
        pytest.param("apa saja pasar di metro", ["pasar", "metro"], id="with-its-particles"),
        pytest.param(
            "tingkat kesejahteraan masyarakat sumsel", ["kesejahteraan", "sumsel"], id="the-level-of-a-topic"
        ),
        pytest.param("literacy rate lubuklinggau", ["literacy", "lubuklinggau"], id="the-rate-of-a-topic"),
        pytest.param(
            "apakah data susenas sumsel sudah bisa diakses", ["susenas", "sumsel"], id="whether-it-may-be-had"
        ),
        pytest.param("harga cabe di metro naik gak ya kak", ["harga", "cabe", "metro", "naik"], id="spoken"),
        pytest.param("can we download metro cpi", ["metro", "cpi"], id="may-be-had-in-english"),
        pytest.param("penduduk sumsel untuk rpjmd", ["penduduk", "sumsel"], id="what-a-plan-needs"),
        pytest.param("metro cpi 2025 release date", ["metro", "cpi", "2025"], id="when-it-may-be-had"),
        pytest.param("ekonomi metro lagi naik", ["ekonomi", "metro", "naik"], id="spoken-now"),
        pytest.param("inflasi metro kira-kira", ["inflasi", "metro"], id="a-phrase-of-such-words-only"),
        pytest.param(
            "sektor terbesar dalam ekonomi tuba", ["sektor", "terbesar", "ekonomi", "tuba"], id="dalam-alone"
        ),
        pytest.param(
            "sumsel dalam angka 2024", ["sumsel", "dalam", "angka", "2024"], id="dalam-of-the-series"
        ),
        pytest.param("dalam", ["dalam"], id="dalam-alone-is-what-was-asked"),
    ],
)
def test_words_asking_for_figures_in_general_give_way_to_the_topic(typed, words):
    assert [word for clause in parse(typed) for word in clause.words] == words


def test_words_typed_apart_that_the_index_knows_as_one_are_searched_as_one():
    vocabulary = FakeVocabulary(rawajitu=2, timur=9, kota=20, metro=20)
    resolved = resolve(parse("rawa jitu timur"), vocabulary)
    assert [item.clause.words for item in resolved] == [("rawajitu",), ("timur",)]
    kept = resolve(parse("kota metro"), vocabulary)  # both known: two words, as typed
    assert [item.clause.words for item in kept] == [("kota",), ("metro",)]
    assert suggest(parse("rawa jitu"), vocabulary) is None  # joined, nothing to correct


def test_a_word_typed_together_that_the_index_knows_as_two_is_searched_as_those_two():
    # "metrop usat" is also two known words, rarer than "metro pusat": the likelier way wins.
    vocabulary = FakeVocabulary(metro=20, pusat=3, metrop=1, usat=1, rawajitu=2, timur=9, kota=20, me=5)
    resolved = resolve(parse("metropusat"), vocabulary)
    assert [item.clause.words for item in resolved] == [("metro",), ("pusat",)]
    assert [item.clause.words for item in resolve(parse("rawajitutimur"), vocabulary)] == [
        ("rawajitu",),
        ("timur",),
    ]
    assert [item.clause.words for item in resolve(parse("kota metro"), vocabulary)] == [("kota",), ("metro",)]
    assert [item.clause.words for item in resolve(parse("metro"), vocabulary)] == [("metro",)]  # known
    assert split_word("kotaxyz", vocabulary) is None  # no second part known: left to the corrections
    assert split_word("kotame", vocabulary) is None  # "me" is shorter than a part may be
    # At most MAX_CORRECTED distinct words of a query are cut (each try looks every way up); the rest
    # as typed. A word typed again is cut as it was the first time.
    assert MAX_CORRECTED == 3
    many = resolve(parse("metropusat kotametro rawajitutimur metrotimur metropusat"), vocabulary)
    assert [item.clause.words for item in many] == [
        ("metro",),
        ("pusat",),
        ("kota",),
        ("metro",),
        ("rawajitu",),
        ("timur",),
        ("metrotimur",),
        ("metro",),
        ("pusat",),
    ]
    assert suggest(parse("metropusat"), vocabulary) is None  # found as two words: nothing to correct


def test_years_and_pairs_side_by_side_are_read_from_the_query():
    vocabulary = FakeVocabulary(statistik=5, pendidikan=3, lampung=4)
    resolved = resolve(parse('statistik pendidikan 2022 "harga konsumen" lampung 1.5 2999'), vocabulary)
    assert years(resolved) == {"2022"}
    assert proximity(resolved) == ("statistik pendidikan",)  # a number or a phrase ends a pair
    place = resolve(parse("pendidikan lampung"), vocabulary)
    assert [is_quiet(item, frozenset({"lampung"})) for item in place] == [False, True]
    assert quiet_pair("kota metro", frozenset({"kota", "metro"})) and not quiet_pair(
        "kota x", frozenset({"kota"})
    )


def test_a_phrase_ranks_on_postgresql_by_its_words_side_by_side_as_typed_words_do():
    vocabulary = FakeVocabulary(metro=20, pusat=3, kota=20, angka=9)
    typed_apart = resolve(parse("kota metro"), vocabulary)
    phrase = resolve(parse("metro-pusat angka"), vocabulary)
    assert proximity(typed_apart) == ("kota metro",) and phrase_pairs(typed_apart) == ()
    assert phrase_pairs(phrase) == ("metro pusat",)  # the phrase's pair; "pusat angka" spans clauses
    sql = SearchSql(Query("metro-pusat angka"), phrase)
    sql.scores()
    assert "q:metro pusat" in sql.params["terms"]
    assert phrase_pairs(resolve(parse('"ipm 2023"'), vocabulary)) == ()  # a figure has no sequences


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        pytest.param("sumsel dlm angka", ["sumsel", "dalam", "angka"], id="a-shortened-word-is-the-word"),
        pytest.param("jml pddk metro", ["jumlah", "penduduk", "metro"], id="as-in-a-message"),
        pytest.param("ipm kab/kota", ["ipm", "kabupaten", "kota"], id="a-place-kind-joined-to-a-word"),
        pytest.param("ipm se-lampung", ["ipm", "lampung"], id="the-whole-of-a-place-is-the-place"),
        pytest.param("se-2023", ["se", "2023"], id="but-not-of-a-number"),
    ],
)
def test_words_shortened_in_writing_are_searched_written_out(typed, words):
    clauses = parse(typed)

    assert [word for clause in clauses for word in clause.words] == words
    assert " ".join(clause.typed for clause in clauses) == typed  # named as typed, were one left out


def test_a_spoken_verb_the_index_knows_only_written_also_matches_the_written_one():
    vocabulary = FakeVocabulary(menganggur=3, metro=9)

    (spoken,) = resolve(parse("nganggur"), vocabulary)
    (known,) = resolve(parse("metro"), vocabulary)

    assert "menganggur" in spoken.exact and "anggur" in spoken.stems_id
    assert known.exact == {"metro"}  # a word the index knows is taken as it is


def test_a_short_form_is_no_misspelling():
    vocabulary = FakeVocabulary(age=9, agustus=3, sumsel=4)

    (short,) = resolve(parse("agst"), vocabulary)

    assert short.exact == {"agst", "agustus"}  # not "age", a letter away
    assert suggest(parse("sumsel agst"), vocabulary) is None
