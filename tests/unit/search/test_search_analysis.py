"""Indonesian and English analysis: tokens, stopwords, stems."""

from __future__ import annotations

import pytest

from search.analysis import (
    NO_STEM,
    STOPWORDS,
    stem_english,
    stem_for,
    stem_indonesian,
    tokens,
    words,
)

pytestmark = pytest.mark.unit


def test_kependudukan_and_penduduk_share_a_stem():
    assert stem_indonesian("kependudukan") == stem_indonesian("penduduk")


def test_penduduk_is_not_stemmed_to_duduk():
    assert stem_indonesian("penduduk") != stem_indonesian("duduk")


def test_pengangguran_is_not_stemmed_to_anggur():
    assert stem_indonesian("pengangguran") == "pengangguran"


@pytest.mark.parametrize("word", sorted(NO_STEM))
def test_words_on_the_no_stem_list_keep_their_form(word):
    assert stem_indonesian(word) == word


@pytest.mark.parametrize(("word", "stem"), [("peternakan", "ternak"), ("perbankan", "bank")])
def test_words_sastrawi_mangles_get_their_family_stem(word, stem):
    assert stem_indonesian(word) == stem


def test_ordinary_words_are_stemmed_by_sastrawi():
    assert stem_indonesian("pertumbuhan") == "tumbuh"


@pytest.mark.parametrize("word", ["2023", "1102001.1872", "kbli2020"])
def test_numbers_and_codes_are_not_stemmed(word):
    assert stem_indonesian(word) == word


def test_the_indonesian_stem_function_is_cached_by_word():
    stem_indonesian("perdagangan")
    hits = stem_indonesian.cache_info().hits

    stem_indonesian("perdagangan")

    assert stem_indonesian.cache_info().hits == hits + 1


@pytest.mark.parametrize("word", ["jumlah", "tahun", "per", "menurut", "dalam", "bukan", "tidak"])
def test_words_statisticians_search_for_are_not_stopwords(word):
    assert words(f"yang {word}") == [word]


@pytest.mark.parametrize("word", ["yang", "dan", "di", "ke", "dari", "the", "of"])
def test_function_words_are_stopwords(word):
    assert word in STOPWORDS


def test_english_stemming_joins_unemployed_and_unemployment():
    assert stem_english("unemployed") == stem_english("unemployment")


def test_the_language_code_chooses_the_stemmer():
    chosen = (stem_for("en"), stem_for("id"), stem_for(""))

    assert chosen == (stem_english, stem_indonesian, stem_indonesian)


def test_tokens_are_lower_case_words_with_their_character_offsets():
    assert list(tokens("Jumlah Penduduk")) == [("jumlah", 0, 6), ("penduduk", 7, 15)]


def test_hyphenated_words_are_split_and_dotted_numbers_kept_whole():
    assert words("rata-rata 1.234,5 1102001.1872") == ["rata", "rata", "1.234", "5", "1102001.1872"]
