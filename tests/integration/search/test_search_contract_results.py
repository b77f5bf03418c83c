"""Contract: pages, snippets, facets, filters, order, pages of results, suggestions."""

from __future__ import annotations

from datetime import date

import pytest

from search.engine import FACET_FIELDS, PAGE_CAP, Query


def search(engine, text: str = "", **query):
    """Return the results of one query."""
    return engine.search(Query(text, **query))


def hit(engine, text: str, publication_id: str, **query):
    """Return the hit for one publication."""
    return next(h for h in search(engine, text, **query).hits if h.publication_id == publication_id)


def test_a_hit_lists_the_pages_where_the_word_was_found(indexed):
    assert hit(indexed, "kecamatan", "metro-2023").pages == (1, 2)


def test_a_hit_lists_the_pages_holding_every_word(indexed):
    assert hit(indexed, "penduduk kepadatan", "metro-2023").pages == (2,)


def test_a_hit_lists_pages_with_any_word_when_none_holds_all(indexed):
    assert hit(indexed, "kepadatan pengangguran", "metro-2023").pages == (2, 3)


def test_a_hit_lists_pages_of_other_forms_of_the_word(indexed):
    assert hit(indexed, "kependudukan", "metro-2023").pages == (1, 2)


def test_a_phrase_hit_lists_only_the_pages_holding_the_phrase(engine, make_doc):
    engine.index([make_doc("doc", "Laporan", "harga konsumen", "konsumen, harga", "harga konsumen")])

    assert hit(engine, '"harga konsumen"', "doc").pages == (1, 3)


def test_a_hit_matched_only_in_its_title_lists_no_pages(indexed):
    assert hit(indexed, "hortikultura", "buah-2021").pages == ()


def test_the_pages_of_a_hit_are_capped(engine, make_doc):
    engine.index([make_doc("long", "Laporan", *["inflasi bulanan"] * (PAGE_CAP + 5))])

    assert hit(engine, "inflasi", "long").pages == tuple(range(1, PAGE_CAP + 1))


@pytest.mark.parametrize("words", [3, 7])
def test_the_snippet_comes_from_the_first_page_holding_the_most_words_past_the_listed_pages(
    engine, make_doc, words
):
    # No page holds every word; the pages listed (the first holding any) hold one each, and
    # the first page holding the most comes after them.
    asked = ["inflasi", "ekspor", "beras", "jagung", "kedelai", "gandum", "tebu"][:words]
    one_each = [f"{asked[0]} bulanan"] * (PAGE_CAP + 5)
    two = f"{asked[0]} {asked[1]} catatan pertama"
    most = " ".join(asked[:-1]) + " catatan kedua"
    engine.index([make_doc("long", "Laporan", *one_each, two, most, f"{asked[-1]} saja")])

    found = hit(engine, " ".join(asked), "long")

    assert found.pages == tuple(range(1, PAGE_CAP + 1))
    assert ("kedua" if words > 3 else "pertama") in found.snippet_html


def test_a_search_within_a_publication_lists_all_its_pages_with_the_word(engine, make_doc):
    engine.index(
        [
            make_doc("long", "Laporan", *["inflasi bulanan"] * (PAGE_CAP + 5)),
            make_doc("other", "Laporan lain", "inflasi tahunan"),
        ]
    )

    results = search(engine, "inflasi", within_publication="long")

    assert [h.publication_id for h in results.hits] == ["long"]
    assert results.hits[0].pages == tuple(range(1, PAGE_CAP + 6))


def test_the_snippet_highlights_the_matched_words(indexed):
    assert "<mark>migrasi</mark>" in hit(indexed, "migrasi", "tuba-2022").snippet_html.lower()


def test_the_snippet_highlights_other_forms_of_the_word(indexed):
    assert "<mark>Kependudukan</mark>" in hit(indexed, "penduduk", "tuba-2022").snippet_html


def test_the_snippet_escapes_the_page_text(indexed):
    snippet = hit(indexed, "sementara", "metro-2023").snippet_html

    assert "&lt;b&gt;angka <mark>sementara</mark>&lt;/b&gt; &amp; belum" in snippet


def test_the_snippet_comes_from_the_abstract_when_no_page_matched(indexed):
    assert "tahunan" in hit(indexed, "1102001.1872", "metro-2023").snippet_html


def test_the_hit_carries_the_title(indexed):
    assert hit(indexed, "migrasi", "tuba-2022").title == "Statistik Kependudukan Tulang Bawang 2022"


def test_a_filter_keeps_only_publications_with_that_value(indexed):
    results = search(indexed, "pengangguran", filters={"office": ("1600",)})

    assert [h.publication_id for h in results.hits] == ["sakernas-2023"]


def test_a_filter_with_several_values_accepts_any_of_them(indexed):
    results = search(indexed, filters={"year": ("2021", "2022")})

    assert {h.publication_id for h in results.hits} == {"buah-2021", "tuba-2022"}


def test_filters_on_several_facets_must_all_hold(indexed):
    results = search(indexed, filters={"year": ("2023",), "office": ("1872",)})

    assert [h.publication_id for h in results.hits] == ["metro-2023"]


def test_a_filter_value_no_publication_has_finds_nothing(indexed):
    assert search(indexed, "penduduk", filters={"language": ("fr",)}).total == 0


def test_facets_count_every_result(indexed):
    facets = search(indexed, "terbuka").facets

    assert facets["year"] == [("2023", 2)]
    assert facets["office"] == [("1600", 1), ("1872", 1)]


def test_facet_counts_cover_all_results_not_just_the_page_shown(indexed, library):
    results = search(indexed, per_page=1)

    assert len(results.hits) == 1
    assert sum(count for _, count in results.facets["language"]) == len(library)


def test_facets_count_what_the_filters_left(indexed):
    facets = search(indexed, filters={"subject": ("Kependudukan",)}).facets

    assert facets["subject"] == [("Kependudukan", 2)]
    assert dict(facets["office"]) == {"1805": 1, "1872": 1}


def test_facet_years_are_listed_newest_first(indexed):
    assert [year for year, _ in search(indexed).facets["year"]] == ["2023", "2022", "2021", "2020"]


@pytest.mark.parametrize("facet", FACET_FIELDS)
def test_every_facet_is_counted(indexed, facet):
    assert search(indexed).facets[facet]


def test_sorting_by_newest_orders_by_release_date(indexed):
    results = search(indexed, sort="newest")

    assert [h.publication_id for h in results.hits] == [
        "sakernas-2023",
        "metro-2023",
        "tuba-2022",
        "buah-2021",
        "labour-2020",
    ]


def test_sorting_by_newest_uses_the_year_when_the_release_date_is_unknown(engine, make_doc):
    engine.index(
        [
            make_doc("dated", "Laporan", release_date=date(2023, 5, 1), year=2023),
            make_doc("undated", "Laporan", year=2024),
        ]
    )

    assert [h.publication_id for h in search(engine, sort="newest").hits] == ["undated", "dated"]


def test_pages_of_results_do_not_overlap_and_keep_the_total(engine, make_doc):
    engine.index([make_doc(f"doc-{n}", f"Laporan {n}", "inflasi") for n in range(7)])

    pages = [search(engine, "inflasi", page=p, per_page=3) for p in (1, 2, 3)]

    assert [r.total for r in pages] == [7, 7, 7]
    assert [len(r.hits) for r in pages] == [3, 3, 1]
    assert len({h.publication_id for r in pages for h in r.hits}) == 7


def test_a_page_past_the_last_result_is_empty_but_keeps_the_total(indexed):
    results = search(indexed, "terbuka", page=5)

    assert (results.total, results.hits) == (2, [])


def test_ties_are_ordered_the_same_way_every_time(engine, make_doc):
    engine.index([make_doc(f"doc-{n}", "Laporan", "inflasi") for n in (3, 1, 2)])

    assert [h.publication_id for h in search(engine, "inflasi").hits] == ["doc-1", "doc-2", "doc-3"]


def test_a_suggestion_is_offered_when_nothing_matches(indexed):
    results = search(indexed, "mugrasu")  # two slips: too far for typo tolerance

    assert (results.total, results.suggestion) == (0, "migrasi")


def test_a_suggestion_keeps_the_words_that_were_right(indexed):
    assert search(indexed, "mugrasu keluar").suggestion == "migrasi keluar"


def test_no_suggestion_is_offered_when_the_correction_finds_nothing_either(indexed):
    assert search(indexed, "mugrasu anggur").suggestion is None


def test_no_suggestion_is_offered_when_something_matches(indexed):
    assert search(indexed, "migrasi").suggestion is None
