"""Contract: closed pages are searched only by staff queries; a search inside one publication."""

from __future__ import annotations

import pytest

from search.engine import PageQuery, Query


@pytest.fixture
def closed(engine, make_doc):
    """Return an engine holding an open publication and a restricted one with a rare word inside."""
    engine.index(
        [
            make_doc(
                "open",
                "Statistik Pertanian Kota Metro",
                "Luas panen padi menurut kecamatan.",
                "Produksi jagung menurut kecamatan.",
            ),
            make_doc(
                "secret",
                "Statistik Keuangan Daerah",
                "Realisasi belanja pegawai menurut dinas.",
                "Retribusi parkir dan pajak reklame.",
                "Retribusi pasar menurut kecamatan.",
                abstract="Keuangan pemerintah daerah.",
                pages_closed=True,
            ),
        ]
    )
    return engine


def ids(results) -> list[str]:
    return [hit.publication_id for hit in results.hits]


def test_a_public_query_finds_nothing_in_closed_pages(closed):
    assert closed.search(Query("retribusi")).total == 0


def test_a_staff_query_finds_words_in_closed_pages(closed):
    results = closed.search(Query("retribusi", closed_text=True))
    assert ids(results) == ["secret"]
    assert results.hits[0].pages == (2, 3)
    assert "<mark>Retribusi</mark>" in results.hits[0].snippet_html


def test_a_public_query_finds_a_closed_publication_by_its_title_without_its_pages(closed):
    results = closed.search(Query("keuangan"))
    assert ids(results) == ["secret"]
    assert results.hits[0].pages == ()
    assert "belanja" not in results.hits[0].snippet_html


def test_a_public_query_matching_open_and_closed_pages_lists_only_the_open_ones(closed):
    assert ids(closed.search(Query("kecamatan"))) == ["open"]
    assert sorted(ids(closed.search(Query("kecamatan", closed_text=True)))) == ["open", "secret"]


def test_a_public_query_is_never_corrected_towards_a_word_of_closed_pages(closed):
    assert closed.search(Query("retribusu")).suggestion is None


def test_a_staff_query_with_a_typo_finds_the_word_of_closed_pages(closed):
    assert ids(closed.search(Query("retribusu", closed_text=True))) == ["secret"]


def test_a_public_phrase_finds_nothing_in_closed_pages(closed):
    assert closed.search(Query('"pajak reklame"')).total == 0
    assert ids(closed.search(Query('"pajak reklame"', closed_text=True))) == ["secret"]


def test_a_search_inside_lists_each_page_with_its_snippet(closed):
    found = closed.search_pages(PageQuery("open", "kecamatan"))
    assert found.total == 2
    assert [page.number for page in found.pages] == [1, 2]
    assert "<mark>kecamatan</mark>" in found.pages[1].snippet_html
    assert "jagung" in found.pages[1].snippet_html


def test_a_search_inside_shows_one_screen_of_pages(engine, make_doc):
    engine.index([make_doc("big", "Buku", *[f"halaman {n} tentang penduduk" for n in range(1, 31)])])
    found = engine.search_pages(PageQuery("big", "penduduk", page=2, per_page=20))
    assert found.total == 30
    assert [page.number for page in found.pages] == list(range(21, 31))


def test_a_search_inside_a_closed_publication_needs_a_staff_query(closed):
    assert closed.search_pages(PageQuery("secret", "retribusi")).total == 0
    staff = closed.search_pages(PageQuery("secret", "retribusi", closed_text=True))
    assert [page.number for page in staff.pages] == [2, 3]


def test_a_search_inside_finds_nothing_of_another_publication(closed):
    assert closed.search_pages(PageQuery("open", "retribusi", closed_text=True)).total == 0


def test_a_search_inside_with_a_typo_suggests_the_word_it_holds(closed):
    found = closed.search_pages(PageQuery("open", "jaguung pdi"))
    assert found.total == 0
    assert found.suggestion == "jagung padi"


def test_a_search_inside_an_unknown_publication_finds_nothing(closed):
    assert closed.search_pages(PageQuery("nowhere", "padi")).total == 0
