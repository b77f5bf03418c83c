"""The index's text fields count their terms once per text: the same postings Whoosh's own formats make."""

from __future__ import annotations

import pytest
from whoosh import formats

from search.engine import PageText, PublicationDoc
from search.paged_terms import PAGE_WORDS
from search.whoosh.documents import document_fields
from search.whoosh.schema import (
    ListedFrequency,
    ListedPositions,
    build_schema,
    counted_terms,
    paged,
)

pytestmark = pytest.mark.unit

PAGES = (
    "Jumlah penduduk menurut kecamatan di Kota Metro tahun 2020: 168.676 jiwa, 1,23 persen.",
    "Penduduk dan kepadatan penduduk; sensus penduduk 2020 mencatat pertumbuhan penduduk.",
    "",
    "Tabel 3.1 Luas panen (ha) padi sawah menurut kecamatan, 2019-2023 \x1e\x1f <b>angka sementara</b>",
    "Unemployment rate by district and sex, labour force survey (Sakernas) August 2023.",
    "İSTANBUL ÇAĞ Straße ² ½ kota_metro: non-ASCII words lower-case on their own",
)

# Texts as no publication spells them, which the counting must still read as Whoosh does.
ODD_VALUES = {
    "a page cut at its word limit, the next page going on": paged(
        [(1, "kata " * PAGE_WORDS + "terpotong"), (2, "sensus penduduk 2020"), (3, "lagi")]
    ),
    "a cut page whose next page is not the next number": paged(
        [(1, "kata " * PAGE_WORDS), (3, "sensus penduduk 2020")]
    ),
    "a page number given twice, with an empty page between": paged(
        [(2, "penduduk kota"), (2, "kependudukan kota"), (4, ""), (4, "kota"), (2, "kota metro")]
    ),
    "text before the first page mark, a stray start mark": "awal kata \x1e stray kata \x1e3\x1f kota metro",
    "no page marks at all": "Jumlah penduduk 2020 menurut kecamatan",
    "nothing but stopwords and punctuation": paged([(1, "dan yang di -- ; ."), (2, "")]),
}


def doc(language: str, closed: bool) -> PublicationDoc:
    """Return a publication holding every awkward page above, twice over (page breaks, repeats)."""
    pages = tuple(PageText(number, text) for number, text in enumerate(PAGES * 2, start=1))
    return PublicationDoc(
        publication_id="p1",
        title="Kota Metro Dalam Angka 2024",
        alternative_title="Metro Municipality in Figures 2024",
        abstract="Publikasi tahunan: penduduk, pendidikan, kesehatan.",
        subject="Kependudukan",
        office_name="BPS Kota Metro",
        language=language,
        pages=pages,
        pages_closed=closed,
        fingerprint="f",
        title_terms="kemiskinan . ipm",
        title_terms_en="poverty . human development index",
        meta_terms="Lampung . Provinsi Lampung",
        meta_terms_en="Lampung Province",
    )


def whooshs_own(field, value) -> list[tuple]:
    """Return the postings Whoosh's own format makes of a value, token by token."""
    own = formats.Positions if isinstance(field.format, ListedPositions) else formats.Frequency
    return sorted(own(field_boost=field.format.field_boost).word_values(value, field.analyzer, mode="index"))


def counted(field, value) -> list[tuple]:
    """Return the postings the field's format makes of a value, asserting they were counted, not tokenised."""
    method = "positions" if isinstance(field.format, ListedPositions) else "counts"
    assert counted_terms(field.analyzer, value, method) is not None
    return sorted(field.format.word_values(value, field.analyzer, mode="index"))


@pytest.mark.parametrize(("language", "closed"), [("ind", False), ("eng", False), ("ind", True)])
def test_every_text_field_gets_the_postings_whooshs_own_format_gives(language: str, closed: bool) -> None:
    schema = build_schema()
    compared = 0
    for name, value in document_fields(doc(language, closed)).items():
        field = schema[name]
        if not isinstance(field.format, ListedFrequency | ListedPositions):
            continue
        listed = counted(field, value)
        assert listed == whooshs_own(field, value), name
        assert listed, name
        compared += 1
    # Title and metadata: exact, both languages' stems, sequences; the pages' group: exact, its
    # language's stems, sequences; and the pages field.
    assert compared == 12


@pytest.mark.parametrize("value", ODD_VALUES.values(), ids=ODD_VALUES.keys())
def test_odd_texts_get_the_postings_whooshs_own_format_gives_in_every_kind_of_field(value: str) -> None:
    schema = build_schema()
    kinds = ("title_exact", "body_exact", "body_id", "body_en", "body_shingles", "pages_id", "pages_en")
    for name in kinds:
        assert counted(schema[name], value) == whooshs_own(schema[name], value), name


def test_a_value_that_is_not_text_is_left_to_whoosh() -> None:
    field = build_schema()["body_exact"]

    assert counted_terms(field.analyzer, ["kota", "metro"], "counts") is None
