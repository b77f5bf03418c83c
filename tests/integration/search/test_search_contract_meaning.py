"""Contract: a query finds what it means, on every engine (issue 59).

English words find Indonesian titles and the other way round, an abbreviation finds its
expansion, a province finds its cities' publications, a place name typed apart or joined finds
it, a place narrows while the topic ranks, typed words side by side rank first, "angka"
beside a topic asks for that topic's figures, not for the "... Dalam Angka" compendia, and a
city's own edition ranks above its districts' unless the district is named.
Publications carry their glossary terms as the library indexes them (`search.glossary`).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from search.engine import PublicationDoc, Query
from search.glossary import Concept, Glossary, Place
from tests.integration.search.library_docs import make_doc

GLOSSARY = Glossary(
    (
        Concept(("kemiskinan",), ("poverty",)),
        Concept(("produk domestik regional bruto",), ("gross regional domestic product", "gdp"), ("pdrb",)),
        Concept(("pendidikan",), ("education",)),
        Concept(("dalam angka",), ("in figures",)),
        Concept(("statistik",), ("statistics",)),
    ),
    (
        Place("18", ("Lampung",)),
        Place("16", ("Sumatera Selatan", "Sumsel"), ("South Sumatra",)),
        Place("1805", ("Tulang Bawang", "Tulangbawang")),
        Place("1674", ("Lubuklinggau",)),
    ),
)
PLACES = GLOSSARY.place_words


def doc(
    publication_id: str,
    title: str,
    office: str,
    *pages: str,
    abstract: str = "",
    year: int = 2023,
    katalog: str = "",
):
    """Return a publication with the glossary's terms, as the library indexes it."""
    terms = GLOSSARY.terms((title,), (abstract,), office)
    return make_doc(
        publication_id,
        title,
        *pages,
        abstract=abstract,
        office_code=office,
        year=year,
        katalog_bps=katalog,
        title_terms=terms.title,
        title_terms_en=terms.title_en,
        meta_terms=terms.meta,
        meta_terms_en=terms.meta_en,
    )


DOCS: list[PublicationDoc] = [
    doc(
        "miskin-tuba",
        "Data Kemiskinan Kabupaten Tulang Bawang 2023",
        "1805",
        abstract="Ukuran kemiskinan makro.",
    ),
    doc("pdrb-metro", "Produk Domestik Regional Bruto Kota Metro 2023", "1872", "Tabel PDRB."),
    doc("didik-llg", "Statistik Pendidikan Kota Lubuklinggau 2022", "1674", "Jumlah sekolah dan murid."),
    doc(
        "sumsel-angka",
        "Provinsi Sumatera Selatan Dalam Angka 2024",
        "1600",
        "Bab pendidikan: jumlah sekolah.",
        "Bab kemiskinan: penduduk miskin.",
        "Bab ketenagakerjaan: pengangguran.",
    ),
    doc("metro-angka", "Kota Metro Dalam Angka 2024", "1872", "Bab pengangguran dan kemiskinan."),
    doc("rawajitu", "Kecamatan Rawajitu Timur Dalam Angka 2019", "1805", "Data kecamatan."),
    doc(
        "kerja-metro",
        "Keadaan Angkatan Kerja Kota Metro 2023",
        "1872",
        abstract="Tingkat pengangguran terbuka.",
    ),
]


@pytest.fixture
def searched(engine):
    engine.index(DOCS)
    return engine


def found(engine, text: str) -> list[str]:
    return [hit.publication_id for hit in engine.search(Query(text, quiet=PLACES)).hits]


def test_an_english_word_finds_the_indonesian_title(searched):
    assert found(searched, "poverty")[0] == "miskin-tuba"
    assert found(searched, "education statistics")[0] == "didik-llg"


def test_an_abbreviation_and_its_english_name_find_the_expansion(searched):
    assert found(searched, "gdp") == ["pdrb-metro"]
    assert found(searched, "gross regional domestic product") == ["pdrb-metro"]


def test_a_province_finds_its_regencies_and_cities_publications(searched):
    assert found(searched, "kemiskinan lampung")[0] == "miskin-tuba"
    assert "didik-llg" in found(searched, "south sumatra")


def test_a_place_name_is_found_typed_apart_or_joined(searched):
    assert found(searched, "rawa jitu timur") == ["rawajitu"]
    assert found(searched, "kemiskinan tulangbawang") == ["miskin-tuba"]
    assert found(searched, "rawajitutimur") == ["rawajitu"]  # typed together where the index has two
    assert found(searched, "angkatankerja metro") == ["kerja-metro"]


def test_a_place_narrows_while_the_topic_ranks(searched):
    # Education in a city of the province comes before the province's yearbook that has a chapter on it.
    assert found(searched, "pendidikan sumatera selatan")[:2] == ["didik-llg", "sumsel-angka"]


def test_words_typed_side_by_side_rank_the_title_that_has_them_so_first(searched):
    assert found(searched, "kota metro dalam angka")[0] == "metro-angka"


def test_figures_of_a_topic_are_the_topics_publications_not_the_compendia(searched):
    assert found(searched, "angka pengangguran")[0] == "kerja-metro"
    assert found(searched, "dalam angka")[0] in {"metro-angka", "sumsel-angka", "rawajitu"}


def test_the_sites_own_office_comes_first_of_two_equally_relevant(engine):
    twins = [
        doc("miskin-metro", "Profil Kemiskinan 2024", "1872", year=2024),
        doc("miskin-llg", "Profil Kemiskinan 2024", "1674", year=2024),
    ]
    engine.index(twins)
    for office, first in (("1872", "miskin-metro"), ("1674", "miskin-llg")):
        hits = engine.search(Query("kemiskinan", prefer_office=office)).hits
        assert hits[0].publication_id == first


def test_a_districts_edition_ranks_below_its_citys_own_unless_the_district_is_named(engine):
    # The district's compendium says "Metro" and "dalam angka" more often than the city's: by the
    # words alone it would come first. Its Katalog BPS number ends in the district's area code.
    engine.index(
        [
            doc("kota", "Kota Metro Dalam Angka 2024", "1872", "Bab penduduk.", katalog="1102001.1872"),
            doc(
                "kecamatan",
                "Kecamatan Metro Utara Dalam Angka 2024",
                "1872",
                "Metro Utara dalam angka: penduduk Metro Utara menurut kelurahan dalam angka.",
                katalog="1102001.1872021",
            ),
        ]
    )
    assert found(engine, "metro dalam angka") == ["kota", "kecamatan"]
    assert found(engine, "metro utara dalam angka")[0] == "kecamatan"
    assert found(engine, "metro-utara")[0] == "kecamatan"  # a phrase ranks by its words side by side
    assert found(engine, "1102001.1872021") == ["kecamatan", "kota"]  # its number first, then the base one


def test_a_year_in_the_query_asks_for_that_edition(engine):
    engine.index(
        [
            doc(
                "didik-2023",
                "Statistik Pendidikan 2023",
                "1872",
                "Dibandingkan 2022, murid bertambah.",
                year=2023,
            ),
            doc("didik-2022", "Statistik Pendidikan 2022", "1674", year=2022),
        ]
    )
    assert found(engine, "statistik pendidikan 2022")[0] == "didik-2022"


def test_a_place_this_catalogue_lacks_is_no_misspelling_of_another_word(engine):
    # "jatim" is two edits from "jam", "kalbar" one from "kabar": at a Lampung office they are still
    # East Java and West Kalimantan.
    provinces = (Place("35", ("Jawa Timur", "Jatim")), Place("61", ("Kalimantan Barat", "Kalbar")))
    glossary = Glossary(GLOSSARY.concepts, (*GLOSSARY.places, *provinces))
    engine.index(
        [
            doc("jam-kerja", "Rata-rata Jam Kerja Penduduk Kota Metro 2023", "1872"),
            doc("kabar", "Kabar Statistik Kota Metro 2023", "1872"),
        ]
    )
    asked = Query("jatim", quiet=glossary.place_words, known=glossary.words)
    alone = engine.search(asked)
    assert (alone.total, alone.suggestion) == (0, None)
    partly = engine.search(replace(asked, text="jam kerja jatim", partial=True))
    assert [hit.publication_id for hit in partly.hits] == ["jam-kerja"]
    assert (partly.left_out, partly.suggestion, partly.corrected) == (("jatim",), None, None)
    assert engine.search(replace(asked, text="kalbar")).total == 0
    # What they were taken for when nothing said they were words:
    assert engine.search(replace(asked, known=frozenset())).suggestion == "jam"
    assert found(engine, "kalbar") == ["kabar"]
