"""Contract: which publications a query matches, and which come first."""

from __future__ import annotations

from search.engine import Query


def found(engine, text: str, **query) -> list[str]:
    """Return the ids of the hits on the first page, best first."""
    return [hit.publication_id for hit in engine.search(Query(text, **query)).hits]


def test_a_word_finds_the_publications_containing_it(indexed):
    assert found(indexed, "migrasi") == ["tuba-2022"]


def test_words_are_matched_whatever_their_case(indexed):
    assert found(indexed, "MIGRASI") == ["tuba-2022"]


def test_every_word_of_a_query_must_match(indexed):
    assert found(indexed, "migrasi anggur") == []


def test_kependudukan_finds_publications_about_penduduk(indexed):
    assert "metro-2023" in found(indexed, "kependudukan")


def test_pengangguran_does_not_match_anggur(indexed):
    assert set(found(indexed, "pengangguran")) == {"metro-2023", "sakernas-2023"}


def test_anggur_does_not_match_pengangguran(indexed):
    assert found(indexed, "anggur") == ["buah-2021"]


def test_words_generic_stopword_lists_drop_are_searchable(indexed):
    assert found(indexed, "per") == ["metro-2023"]


def test_a_query_of_stopwords_only_lists_everything(indexed, library):
    assert indexed.search(Query("yang dan di")).total == len(library)


def test_the_exact_word_ranks_before_another_form_of_its_stem(engine, make_doc):
    engine.index(
        [
            make_doc("stem-only", "Laporan A", "Data kependudukan daerah."),
            make_doc("exact", "Laporan B", "Data penduduk daerah."),
        ]
    )

    assert found(engine, "penduduk") == ["exact", "stem-only"]


def test_a_title_match_ranks_before_a_page_text_match(engine, make_doc):
    engine.index(
        [
            make_doc("in-text", "Laporan Tahunan", "Produksi padi sawah."),
            make_doc("in-title", "Produksi Padi", "Laporan tahunan sawah."),
        ]
    )

    assert found(engine, "padi") == ["in-title", "in-text"]


def test_a_katalog_bps_number_finds_its_publication_first(indexed):
    assert found(indexed, "1102001.1872")[0] == "metro-2023"


def test_a_query_containing_a_katalog_bps_number_finds_its_publication_first(indexed):
    assert found(indexed, "katalog 5203010.1872 anggur")[0] == "buah-2021"


def test_an_issn_with_its_label_finds_its_publication_first(indexed):
    assert found(indexed, "ISSN 2089-1234")[0] == "metro-2023"


def test_an_isbn_without_hyphens_finds_its_publication(indexed):
    assert found(indexed, "9786024381234") == ["tuba-2022"]


def test_a_nomor_publikasi_finds_its_publication(indexed):
    assert found(indexed, "18720.2301") == ["metro-2023"]


def test_a_phrase_matches_its_words_in_order(indexed):
    assert set(found(indexed, '"pengangguran terbuka"')) == {"metro-2023", "sakernas-2023"}


def test_a_phrase_does_not_match_its_words_in_another_order(indexed):
    assert found(indexed, '"terbuka pengangguran"') == []


def test_a_phrase_does_not_match_across_a_page_break(engine, make_doc):
    engine.index([make_doc("split", "Laporan", "Halaman tentang harga", "konsumen di halaman lain")])

    assert found(engine, '"harga konsumen"') == []


def test_a_phrase_of_three_words_matches_only_the_whole_sequence(engine, make_doc):
    engine.index(
        [
            make_doc("whole", "Laporan A", "Indeks harga konsumen naik."),
            make_doc("pieces", "Laporan B", "Indeks harga naik; harga konsumen turun."),
        ]
    )

    assert found(engine, '"indeks harga konsumen"') == ["whole"]


def test_a_prefix_finds_words_that_start_with_it(indexed):
    assert set(found(indexed, "migr*")) == {"tuba-2022"}


def test_a_prefix_matching_no_word_finds_nothing(indexed):
    assert found(indexed, "zzq*") == []


def test_a_misspelt_word_still_finds_its_publication(indexed):
    assert found(indexed, "migarsi") == ["tuba-2022"]


def test_a_misspelt_word_is_matched_beside_a_correct_one(indexed):
    assert found(indexed, "kepadatn penduduk") == ["metro-2023"]


def test_a_known_word_does_not_also_match_its_near_neighbours(engine, make_doc):
    engine.index(
        [
            make_doc("sapi", "Populasi Sapi", "Ternak sapi potong."),
            make_doc("sawi", "Produksi Sawi", "Sayuran sawi hijau."),
        ]
    )

    assert found(engine, "sapi") == ["sapi"]


def test_english_publications_match_other_forms_of_english_words(indexed):
    assert found(indexed, "unemployed") == ["labour-2020"]


def test_english_stems_do_not_apply_to_indonesian_publications(engine, make_doc):
    engine.index([make_doc("id", "Laporan", "Istilah unemployment di sini.", language="id")])

    assert found(engine, "unemployed") == []


def test_a_figure_of_a_table_finds_its_page(engine, make_doc):
    engine.index([make_doc("table", "Laporan", "Kota Metro 266.759 jiwa", "Menggala 12.408 jiwa")])

    results = engine.search(Query("266.759"))

    assert [(h.publication_id, h.pages) for h in results.hits] == [("table", (1,))]
    assert found(engine, '"metro 266.759 jiwa"') == ["table"]
    assert found(engine, "266.759 menggala") == ["table"]
