"""A typed token read beside its neighbours (`search.word_forms.read_together`), through `parse`."""

from __future__ import annotations

import pytest

from search.clauses import parse
from search.word_forms import MONTHS, SHORT, other_forms, years_within

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("typed", "words", "identifiers"),
    [
        pytest.param("tpt sumsel agst 24", ["tpt", "sumsel", "agst", "2024"], (), id="a-year-after-a-month"),
        pytest.param("inflasi des '24", ["inflasi", "des", "2024"], (), id="a-year-after-an-apostrophe"),
        pytest.param("ipm thn 23", ["ipm", "tahun", "2023"], (), id="a-year-after-tahun"),
        pytest.param("triwulan 2 2024", ["triwulan", "2", "2024"], (), id="a-quarter-is-not-a-year"),
        pytest.param("sakernas dua ribu dua puluh tiga", ["sakernas", "2023"], (), id="a-year-said-in-words"),
        pytest.param("seribu sembilan ratus sembilan puluh delapan", ["1998"], (), id="hundreds-said"),
        pytest.param("barat satu dua", ["barat", "satu", "dua"], (), id="digits-said-alone-stay-words"),
        pytest.param("pdrb 2019 sd 2023", ["pdrb", "2019", "2023"], (), id="the-to-of-a-range"),
        pytest.param("pdrb 2019 s/d 2023", ["pdrb", "2019", "2023"], (), id="written-with-a-slash"),
        pytest.param("sd negeri metro", ["sd", "negeri", "metro"], (), id="a-school-stays"),
        pytest.param("no publikasi 16740 2403", ["16740.2403"], ("16740.2403",), id="a-publication-number"),
        pytest.param("katalog 1102001 1872", ["1102001.1872"], ("1102001.1872",), id="a-regional-katalog"),
        pytest.param("issn 2477 538x", ["2477", "538x"], ("2477-538x",), id="an-issn-after-its-label"),
        pytest.param("2477 538x", ["2477", "538x"], (), id="not-without-it"),
        pytest.param("isbn 978 623 1352 96 5", ["9786231352965"], ("9786231352965",), id="an-isbn-in-groups"),
        pytest.param("978 623 1352 96 5", ["9786231352965"], ("9786231352965",), id="an-isbn-by-its-prefix"),
        pytest.param("isbn 979 8064 16 x", ["979806416x"], ("979806416x",), id="an-isbn-10-ending-in-x"),
        pytest.param("isbn 978 623", ["isbn", "978", "623"], (), id="too-few-digits-for-an-isbn"),
        pytest.param("pdrb 978 2019", ["pdrb", "978", "2019"], (), id="a-prefix-alone-is-a-number"),
        pytest.param("wong gawe", ["orang", "kerja"], (), id="words-of-everyday-talk"),
    ],
)
def test_a_token_is_read_beside_its_neighbours(typed, words, identifiers):
    clauses = parse(typed)

    assert [word for clause in clauses for word in clause.words] == words
    found = {variant for clause in clauses for variant in clause.identifiers}
    assert set(identifiers) <= found and bool(found) == bool(identifiers)


@pytest.mark.parametrize(
    ("english", "month"), [("march", "maret"), ("aug", "agustus"), ("december", "desember")]
)
def test_an_english_month_is_also_its_indonesian_name(english, month):
    assert month in other_forms(english) and english in MONTHS | set(SHORT)


@pytest.mark.parametrize(
    ("titles", "years"),
    [
        pytest.param(("Proyeksi Penduduk 2020-2025",), ["2021", "2022", "2023", "2024"], id="a-range"),
        pytest.param(
            ("PDRB 2019 s.d. 2022", "GRDP 2019–2022"), ["2020", "2021"], id="written-either-way-once"
        ),
        pytest.param(("Statistik Pendidikan 2022/2023",), [], id="a-school-year-has-none-inside"),
        pytest.param(("Sensus 1900-2099",), [], id="too-long-a-range-names-none"),
        pytest.param(("Statistik 2023", ""), [], id="a-year-alone"),
    ],
)
def test_the_years_inside_a_range_a_title_names(titles, years):
    assert years_within(*titles) == years
