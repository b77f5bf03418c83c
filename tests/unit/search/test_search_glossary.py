"""The glossary and the places a publication is also indexed under (search.glossary)."""

from __future__ import annotations

import pytest

from catalog_data import CatalogDataError, load_glossary, parse_glossary
from library.catalogue.indexing import search_glossary
from search.glossary import Concept, Glossary, Place

GLOSSARY = Glossary(
    (
        Concept(("kemiskinan",), ("poverty",)),
        Concept(("angkatan kerja",), ("labour force",), ("tpak",)),
        Concept(("pendidikan",), ("education",)),
    ),
    (Place("18", ("Lampung",), ("Lampung Province",)), Place("1805", ("Tulang Bawang", "Tulangbawang"))),
)


def test_a_concept_in_the_title_weighs_as_the_title_one_in_the_abstract_as_the_abstract() -> None:
    terms = GLOSSARY.terms(("Keadaan Angkatan Kerja 2023",), ("Bab pendidikan dan angkatan kerja.",))
    assert terms.title.split(" . ") == ["angkatan kerja", "tpak"] and terms.title_en == "labour force"
    assert terms.meta == "pendidikan" and terms.meta_en == "education"  # the title's concept once


def test_a_concept_s_everyday_words_index_its_publications_one_way_only() -> None:
    glossary = Glossary(
        (Concept(("perkebunan",), ("estate crops",), related=("karet", "kopi"), related_en=("rubber",)),)
    )
    terms = glossary.terms(("Statistik Perkebunan 2019",), ())
    assert (
        terms.meta.split(" . ") == ["karet", "kopi"] and terms.meta_en == "rubber"
    )  # at the abstract's weight
    assert glossary.named_in("harga karet dan kopi") == set()  # naming a member names no concept


def test_a_term_of_several_words_is_found_only_in_its_order() -> None:
    assert GLOSSARY.named_in("kerja angkatan") == set()
    assert GLOSSARY.named_in("Angkatan-Kerja") == {1}


def test_the_places_of_the_office_and_of_its_province_are_indexed() -> None:
    terms = GLOSSARY.terms(("Statistik Perikanan 2019",), (), "1805")
    assert terms.meta.split(" . ") == ["Lampung", "Tulang Bawang", "Tulangbawang"]
    assert terms.meta_en == "Lampung Province"
    titled = GLOSSARY.terms(("Data Kemiskinan Kabupaten Tulang Bawang",), (), "1805")
    assert "Tulangbawang" in titled.title and "Tulangbawang" not in titled.meta  # named: at title weight
    assert GLOSSARY.terms(("Statistik",), (), "1600").meta == ""  # no place of its own


def test_the_signature_changes_with_the_glossary() -> None:
    other = Glossary((Concept(("kemiskinan",), ("poverty", "poor")),))
    assert len(GLOSSARY.signature) == 8 and GLOSSARY.signature != other.signature
    assert Glossary(GLOSSARY.concepts, GLOSSARY.places).signature == GLOSSARY.signature
    assert {"lampung", "tulang", "bawang", "tulangbawang", "province"} == GLOSSARY.place_words


def test_a_place_kinds_short_form_is_a_place_word_where_its_long_form_is() -> None:
    regency = Glossary(places=(Place("1805", ("Kabupaten Tulang Bawang",), ()),))
    assert {"kabupaten", "kab", "tulang", "bawang"} == regency.place_words  # "kab. tulang bawang"
    assert "kab" not in GLOSSARY.place_words  # no place of it says "kabupaten"


def test_the_words_never_corrected_are_every_form_member_and_place_name() -> None:
    glossary = Glossary(
        (Concept(("perkebunan",), ("estate crops",), ("bun",), ("kelapa sawit",), ("rubber",)),),
        (Place("35", ("Jawa Timur", "Jatim")),),
    )
    expected = {"perkebunan", "estate", "crops", "bun", "kelapa", "sawit", "rubber", "jawa", "timur", "jatim"}
    assert glossary.words == expected
    assert {"jatim", "kalbar", "sumut", "diy", "ntb", "puskesmas"} <= search_glossary().words


def test_the_packaged_glossary_loads_and_knows_the_bps_abbreviations() -> None:
    concepts, places = load_glossary()
    assert len(concepts) >= 40 and {p["code"] for p in places} >= {"16", "18", "1872", "1805", "1674"}
    terms = search_glossary().terms(("Produk Domestik Regional Bruto Kota Metro",), (), "1872")
    assert "pdrb" in terms.title.split(" . ") and "gdp" in terms.title_en.split(" . ")
    assert "Lampung" in terms.meta and "Metro Municipality" in terms.title_en


def test_a_place_is_not_found_by_an_everyday_word_of_its_motto() -> None:
    assert "bumi" not in search_glossary().place_words  # "Bumi Sriwijaya": "hasil bumi" is farm produce
    assert "bumi" not in search_glossary().terms(("Statistik Daerah 2024",), (), "1605").meta.lower()


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("bumi sriwijaya dalam angka", "Sumatera Selatan dalam angka"),
        ("data statistik BUMI SAI-WAWAI", "data statistik Kota Metro"),  # any case, any mark between
        ("sang bumi ruwa jurai 2024", "Lampung 2024"),  # the longest motto first, not "ruwa jurai" in it
        ("hasil bumi lampung", "hasil bumi lampung"),  # a motto's word alone is the everyday word
        ("bumi sriwijayaa", "bumi sriwijayaa"),  # a motto is read whole words only
    ],
)
def test_a_place_s_motto_typed_in_full_is_read_as_the_place(typed: str, read: str) -> None:
    assert search_glossary().named_places(typed) == read


@pytest.mark.parametrize(
    ("office", "short", "english"),
    [("3578", "Jatim", "East Java"), ("6171", "Kalbar", "West Kalimantan"), ("3471", "DIY", "Yogyakarta")],
)
def test_an_office_in_any_province_is_found_by_the_province_s_short_name(
    office: str, short: str, english: str
) -> None:
    terms = search_glossary().terms(("Statistik Daerah 2024",), (), office)
    assert short in terms.meta.split(" . ") and english in terms.meta_en


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"concept": [{"id": [], "en": []}]}, "id"),
        ({"concept": [{"id": ["x", ""]}]}, "id"),
        ({"concept": [{"id": "kemiskinan"}]}, "id"),
        ({"place": [{"code": "187", "names": ["Metro"]}]}, "code"),
        ({"place": [{"code": "1872", "names": [1]}]}, "names"),
        ({"place": [{"code": "1872", "names": ["Metro"], "nicknames": "Bumi Sai Wawai"}]}, "nicknames"),
    ],
)
def test_a_wrong_glossary_entry_is_refused_naming_the_field(document: dict, field: str) -> None:
    with pytest.raises(CatalogDataError, match=field):
        parse_glossary(document)


@pytest.mark.parametrize(
    ("title", "word"),
    [
        ("Keadaan Angkatan Kerja Kota Metro", "buruh lepas"),  # a status of employment (Sakernas)
        ("Statistik Kesehatan Kota Metro", "nakes"),  # the abbreviation of tenaga kesehatan
        ("Proyeksi Penduduk Kota Metro", "lansia"),  # an age group of the population
        ("Statistik Transportasi Sumatera Selatan", "bongkar muat"),  # cargo at the ports
        ("Statistik Perikanan Tulang Bawang", "perahu tanpa motor"),  # a kind of fishing boat
        ("Statistik Perikanan Tulang Bawang", "air tawar"),  # where fish are farmed
        ("Statistik Kesehatan Kota Metro", "batuk"),  # a health complaint (Susenas)
        ("Statistik Perumahan Kota Metro", "ngontrak"),  # a house's tenure
        ("Kota Metro Dalam Angka 2024", "luas wilayah"),  # a yearbook's first chapter
        ("Statistik Sosial Budaya Kota Lubuklinggau", "sosbud"),  # as BPS shortens it
    ],
)
def test_the_packaged_glossary_knows_the_everyday_words_of_bps_categories(title: str, word: str) -> None:
    terms = search_glossary().terms((title,), ())
    assert word in (*terms.title.split(" . "), *terms.meta.split(" . "))
