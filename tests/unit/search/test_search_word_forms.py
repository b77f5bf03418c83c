"""A typed token read beside its neighbours (`search.word_forms.read_together`), through `parse`."""

from __future__ import annotations

import pytest

from search.clauses import parse

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
    ],
)
def test_a_token_is_read_beside_its_neighbours(typed, words, identifiers):
    clauses = parse(typed)

    assert [word for clause in clauses for word in clause.words] == words
    found = {variant for clause in clauses for variant in clause.identifiers}
    assert set(identifiers) <= found and bool(found) == bool(identifiers)
