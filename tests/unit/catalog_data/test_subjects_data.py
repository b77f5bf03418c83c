"""The packaged subject vocabulary: BPS's three groups in both languages, every spelling once."""

from __future__ import annotations

import pytest

from catalog_data import CatalogDataError, fold, load_subjects, parse_subjects, slug
from catalog_data.records import SUBJECTS


def test_the_vocabulary_has_bps_groups_with_english_names_and_covers_the_demo() -> None:
    groups = {g.code: g for g in load_subjects()}
    assert list(groups)[:3] == [
        "sosial-dan-kependudukan",
        "ekonomi-dan-perdagangan",
        "pertanian-dan-pertambangan",
    ]
    bps = [t for g in groups.values() for t in g.terms if t.origin == "bps"]
    assert len(bps) == 34 and all(t.name_en for t in bps)  # DOMAIN.md's list: 15 + 13 + 6
    assert not any(t.bps_id for t in bps)  # BPS numbers subjects per domain: none invented here
    spellings = {fold(s) for g in groups.values() for t in g.terms for s in (t.name, *t.aliases)}
    assert {fold(s) for s in SUBJECTS} <= spellings


def test_a_spelling_used_twice_or_a_bad_group_code_is_refused() -> None:
    twice = {
        "group": [
            {
                "code": "a",
                "name": "A",
                "name_en": "A",
                "term": [
                    {"name": "Kemiskinan", "name_en": "Poverty"},
                    {"name": "X", "name_en": "X", "aliases": ["KEMISKINAN"]},
                ],
            }
        ]
    }
    with pytest.raises(CatalogDataError, match="also"):
        parse_subjects(twice)
    with pytest.raises(CatalogDataError, match="slug"):
        parse_subjects({"group": [{"code": "Bad Code", "name": "A", "name_en": "A", "term": []}]})


def test_folding_ignores_case_spaces_and_accents() -> None:
    assert fold("  Kesehatán   IBU ") == "kesehatan ibu"
    assert slug("Input/Output") == "input-output"
