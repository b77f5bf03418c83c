"""The index's text fields count their terms from lists: the same postings Whoosh's own formats make."""

from __future__ import annotations

import pytest
from whoosh import formats

from search.engine import PageText, PublicationDoc
from search.whoosh_schema import (
    ListedFrequency,
    ListedPositions,
    build_schema,
    document_fields,
    listed_pairs,
)

PAGES = (
    "Jumlah penduduk menurut kecamatan di Kota Metro tahun 2020: 168.676 jiwa, 1,23 persen.",
    "Penduduk dan kepadatan penduduk; sensus penduduk 2020 mencatat pertumbuhan penduduk.",
    "",
    "Tabel 3.1 Luas panen (ha) padi sawah menurut kecamatan, 2019-2023 \x1e\x1f <b>angka sementara</b>",
    "Unemployment rate by district and sex, labour force survey (Sakernas) August 2023.",
)


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
    )


@pytest.mark.parametrize(("language", "closed"), [("ind", False), ("eng", False), ("ind", True)])
def test_every_text_field_gets_the_postings_whooshs_own_format_gives(language: str, closed: bool) -> None:
    schema = build_schema()
    compared = 0
    for name, value in document_fields(doc(language, closed)).items():
        field = schema[name]
        if not isinstance(field.format, ListedFrequency | ListedPositions):
            continue
        whooshs = formats.Positions if isinstance(field.format, ListedPositions) else formats.Frequency
        own = whooshs(field_boost=field.format.field_boost)
        listed = sorted(field.format.word_values(value, field.analyzer, mode="index"))
        assert listed == sorted(own.word_values(value, field.analyzer, mode="index")), name
        assert listed, name
        assert listed_pairs(field.analyzer, value) is not None, name  # counted from lists indeed
        compared += 1
    assert compared == 10  # 3 groups x (exact, stems, sequences) and the pages field
