"""The demo catalogue: shape, identifiers, distribution, scan keywords, and its validator."""

from __future__ import annotations

import copy
import datetime
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from catalog_data import (
    CatalogDataError,
    DemoPublication,
    load_demo_catalogue,
    load_offices,
    parse_demo_catalogue,
)
from catalog_data.identifiers import (
    isbn13_check_digit,
    isbn_problem,
    issn_check_digit,
    issn_problem,
)
from catalog_data.pdfgen import tables, text
from catalog_data.pdfgen.scanned import scanned_pages


@pytest.fixture(scope="module")
def catalogue() -> list[DemoPublication]:
    return load_demo_catalogue()


def test_the_catalogue_holds_at_least_forty_publications(catalogue: list[DemoPublication]) -> None:
    assert len(catalogue) >= 40


@pytest.mark.parametrize("field", ["key", "katalog_bps", "nomor_publikasi"])
def test_identifying_fields_are_unique(catalogue: list[DemoPublication], field: str) -> None:
    values = [getattr(p, field) for p in catalogue]
    assert [v for v, n in Counter(values).items() if n > 1] == []


def test_every_publication_belongs_to_a_known_office(catalogue: list[DemoPublication]) -> None:
    codes = {o.code for o in load_offices()}
    assert {p.office for p in catalogue} == codes


def test_kota_metro_has_the_most_publications(catalogue: list[DemoPublication]) -> None:
    counts = Counter(p.office for p in catalogue)
    assert counts.most_common(1)[0][0] == "1872"


@pytest.mark.parametrize(
    ("issn", "valid"), [("0317-8471", True), ("2049-3630", True), ("0317-8472", False), ("1050-124X", True)]
)
def test_issn_check_digits_are_computed_like_the_standard(issn: str, valid: bool) -> None:
    assert (issn_problem(issn) is None) is valid


@pytest.mark.parametrize(
    ("isbn", "valid"),
    [
        ("978-0-306-40615-7", True),
        ("9780306406157", True),
        ("978-0-306-40615-8", False),
        ("0-306-40615-2", False),
    ],
)
def test_isbn_check_digits_are_computed_like_the_standard(isbn: str, valid: bool) -> None:
    assert (isbn_problem(isbn) is None) is valid


def test_every_issn_and_isbn_in_the_catalogue_has_a_valid_check_digit(
    catalogue: list[DemoPublication],
) -> None:
    for pub in catalogue:
        if pub.issn:
            digits = pub.issn.replace("-", "")
            assert issn_check_digit(digits[:7]) == digits[7], pub.key
        if pub.isbn:
            digits = pub.isbn.replace("-", "")
            assert isbn13_check_digit(digits[:12]) == digits[12], pub.key


def test_nomor_publikasi_names_the_office_and_the_release_year(catalogue: list[DemoPublication]) -> None:
    for pub in catalogue:
        issuer, _, year_sequence = pub.nomor_publikasi.partition(".")
        assert issuer == f"{pub.office}0", pub.key
        assert year_sequence[:2] == f"{pub.year % 100:02d}", pub.key


def test_regional_katalog_numbers_carry_the_office_region(catalogue: list[DemoPublication]) -> None:
    for pub in catalogue:
        region = pub.katalog_bps.partition(".")[2]
        assert pub.office.startswith(region) or region.startswith(pub.office), pub.key


def test_access_levels_are_mostly_open_with_a_few_of_each_other_level(
    catalogue: list[DemoPublication],
) -> None:
    levels = Counter(p.access_level for p in catalogue)
    assert levels["open"] > len(catalogue) / 2
    assert 5 <= levels["registered"] <= 8
    assert 3 <= levels["restricted"] <= 5
    assert levels["embargoed"] == 2


def test_embargoed_publications_are_unreleased_until_a_future_date(catalogue: list[DemoPublication]) -> None:
    for pub in catalogue:
        if pub.access_level == "embargoed":
            assert pub.actual_release is None
            assert pub.embargo_until is not None and pub.embargo_until.year >= 2027
        else:
            assert pub.embargo_until is None


def test_dates_are_plain_dates(catalogue: list[DemoPublication]) -> None:
    for pub in catalogue:
        for day in (pub.scheduled_release, pub.actual_release, pub.embargo_until):
            assert day is None or type(day) is datetime.date


def test_about_a_quarter_are_scans(catalogue: list[DemoPublication]) -> None:
    share = sum(p.scanned for p in catalogue) / len(catalogue)
    assert 0.18 <= share <= 0.32


def test_page_counts_stay_small_enough_for_a_quick_demo(catalogue: list[DemoPublication]) -> None:
    born = sorted(p.pages for p in catalogue if not p.scanned)
    assert born[-1] >= 50 and born[-2] <= 24 and born[0] >= 6
    assert all(3 <= p.pages <= 6 for p in catalogue if p.scanned)


def test_scans_have_two_or_three_keywords_and_born_digital_none(catalogue: list[DemoPublication]) -> None:
    for pub in catalogue:
        assert (2 <= len(pub.scan_keywords) <= 3) if pub.scanned else not pub.scan_keywords


def _words(value: str) -> set[str]:
    return set(re.findall(r"[a-z]+", value.lower()))


def test_scan_keywords_appear_in_no_metadata_and_no_other_scan(catalogue: list[DemoPublication]) -> None:
    metadata = set().union(
        *(
            _words(
                " ".join(
                    [
                        p.key,
                        p.title,
                        p.alternative_title,
                        p.abstract,
                        p.katalog_bps,
                        p.subject,
                        p.reference_period,
                    ]
                )
            )
            for p in catalogue
        )
    )
    keywords = [w for p in catalogue for w in p.scan_keywords]
    assert len(keywords) == len(set(keywords))
    assert set(keywords) & metadata == set()


def _generator_vocabulary() -> set[str]:
    strings: list[str] = [*text.GENERAL, *text.ENGLISH, *text.MONTHS]
    strings += [s for topic in text.TOPICS.values() for s in topic]
    strings += [n for _, names in text.AREAS.values() for n in names]
    strings += [n for names in text.SUBAREAS.values() for n in names]
    strings += [f"{a} {b}" for chapters in text.CHAPTERS.values() for a, b, _ in chapters]
    strings += [n for rows in tables.ROW_SETS.values() for n in rows]
    strings += [s.title + " " + " ".join(c[0] for c in s.columns) for s in tables.TABLES.values()]
    return set().union(*(_words(s) for s in strings))


def test_scan_keywords_are_not_in_the_prose_and_tables_every_pdf_draws_from(
    catalogue: list[DemoPublication],
) -> None:
    keywords = {w for p in catalogue for w in p.scan_keywords}
    assert keywords & _generator_vocabulary() == set()


def test_each_scan_prints_its_own_keywords_and_no_one_elses(catalogue: list[DemoPublication]) -> None:
    offices = {o.code: o for o in load_offices()}
    everyone = {w for p in catalogue for w in p.scan_keywords}
    for pub in (p for p in catalogue if p.scanned):
        pages = scanned_pages(pub, offices[pub.office])
        printed = set().union(*(_words(f"{b.text} {b.rows}") for page in pages for b in page))
        assert set(pub.scan_keywords) <= printed, pub.key
        assert (everyone - set(pub.scan_keywords)) & printed == set(), pub.key


def valid_document() -> dict[str, Any]:
    """Return a one-publication catalogue to break one field at a time."""
    return {
        "publication": [
            {
                "key": "contoh-dalam-angka-2024",
                "title": "Kota Contoh Dalam Angka 2024",
                "office": "9999",
                "katalog_bps": "1102001.9999",
                "nomor_publikasi": "99990.2401",
                "issn": "0317-8471",
                "isbn": "978-0-306-40615-7",
                "subject": "Statistik Umum",
                "publication_type": "Publikasi",
                "language": "id",
                "reference_period": "2023",
                "scheduled_release": datetime.date(2024, 2, 28),
                "actual_release": datetime.date(2024, 2, 28),
                "abstract": "Publikasi contoh.",
                "access_level": "open",
                "pages": 8,
                "scanned": False,
                "holdings": [
                    {
                        "call_number": "310.598 CON k 2024",
                        "location": "Ruang baca PST, rak A-01",
                        "copies": 1,
                    },
                    {
                        "call_number": "310.598 CON k 2024",
                        "location": "Perpustakaan Daerah",
                        "copies": 2,
                        "reading_room_only": False,
                        "note": "Dapat dipinjam.",
                    },
                ],
            }
        ]
    }


def _pub(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["publication"][0]


def _set(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: _pub(doc).update(fields)


def _drop(field: str) -> Callable[[dict[str, Any]], None]:
    return lambda doc: _pub(doc).pop(field)


def test_the_valid_catalogue_document_parses() -> None:
    (pub,) = parse_demo_catalogue(valid_document(), {"9999"})
    assert [(h.copies, h.reading_room_only, h.note) for h in pub.holdings] == [
        (1, True, ""),
        (2, False, "Dapat dipinjam."),
    ]
    assert pub.scan_keywords == () and pub.alternative_title == ""


BAD_PUBLICATIONS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("key-with-capitals", _set(key="Contoh-2024"), "key"),
    ("key-missing", _drop("key"), "key"),
    ("title-blank", _set(title=""), "title"),
    ("unknown-office", _set(office="0000"), "office"),
    ("katalog-six-digits", _set(katalog_bps="110200"), "katalog_bps"),
    ("katalog-odd-region", _set(katalog_bps="1102001.187"), "katalog_bps"),
    ("nomor-without-dot", _set(nomor_publikasi="999902401"), "nomor_publikasi"),
    ("issn-bad-check-digit", _set(issn="0317-8472"), "issn"),
    ("issn-bad-shape", _set(issn="03178471"), "issn"),
    ("isbn-bad-check-digit", _set(isbn="978-0-306-40615-8"), "isbn"),
    ("isbn-ten-digits", _set(isbn="0-306-40615-2"), "isbn"),
    ("subject-outside-the-list", _set(subject="Astronomi"), "subject"),
    ("type-outside-the-list", _set(publication_type="Majalah"), "publication_type"),
    ("language-outside-the-list", _set(language="jv"), "language"),
    ("access-outside-the-list", _set(access_level="secret"), "access_level"),
    ("release-as-text", _set(scheduled_release="2024-02-28"), "scheduled_release"),
    ("release-with-a-time", _set(scheduled_release=datetime.datetime(2024, 2, 28, 9)), "scheduled_release"),
    ("embargoed-without-date", _set(access_level="embargoed"), "embargo_until"),
    ("embargo-date-on-open", _set(embargo_until=datetime.date(2027, 1, 1)), "embargo_until"),
    ("pages-as-bool", _set(pages=True), "pages"),
    ("pages-too-few-for-born-digital", _set(pages=2), "pages"),
    ("pages-too-many", _set(pages=5000), "pages"),
    ("scanned-without-keywords", _set(scanned=True), "scan_keywords"),
    ("keywords-on-born-digital", _set(scan_keywords=["lumbung"]), "scan_keywords"),
    ("keyword-in-the-title", _set(scanned=True, scan_keywords=["contoh", "lumbung"]), "scan_keywords"),
    ("keyword-two-words", _set(scanned=True, scan_keywords=["lumbung padi"]), "scan_keywords"),
    ("scanned-as-text", _set(scanned="yes"), "scanned"),
    ("typo-in-field-name", _set(abstrak="x"), "abstrak"),
    ("holding-without-location", lambda d: _pub(d)["holdings"][0].pop("location"), "location"),
    ("holding-zero-copies", lambda d: _pub(d)["holdings"][0].update(copies=0), "copies"),
    ("holding-a-thousand-copies", lambda d: _pub(d)["holdings"][1].update(copies=1000), "copies"),
    (
        "holding-reading-room-as-text",
        lambda d: _pub(d)["holdings"][0].update(reading_room_only="ya"),
        "reading_room_only",
    ),
    ("holding-old-shelf-field", lambda d: _pub(d)["holdings"][0].update(shelf="R-A-01"), "shelf"),
    ("holdings-as-one-table", _set(holdings={"call_number": "x", "location": "y", "copies": 1}), "holdings"),
    ("duplicate-key", lambda d: d["publication"].append(copy.deepcopy(_pub(d))), "key"),
    (
        "duplicate-katalog",
        lambda d: d["publication"].append(dict(copy.deepcopy(_pub(d)), key="lain")),
        "katalog_bps",
    ),
    ("no-publication", lambda d: d.update(publication=[]), "publication"),
]


@pytest.mark.parametrize(
    ("break_it", "field"),
    [(b, f) for _, b, f in BAD_PUBLICATIONS],
    ids=[name for name, _, _ in BAD_PUBLICATIONS],
)
def test_bad_catalogue_data_is_refused_naming_the_field(
    break_it: Callable[[dict[str, Any]], None], field: str
) -> None:
    doc = valid_document()
    break_it(doc)
    with pytest.raises(CatalogDataError) as caught:
        parse_demo_catalogue(doc, {"9999"})
    assert caught.value.field == field


def test_the_error_names_the_publication_by_its_key() -> None:
    doc = valid_document()
    _pub(doc)["issn"] = "0317-8472"
    with pytest.raises(CatalogDataError, match=r"publication 'contoh-dalam-angka-2024'.*'issn'"):
        parse_demo_catalogue(doc, {"9999"})


def test_catalogue_toml_with_a_bad_date_is_refused() -> None:
    toml = '[[publication]]\nkey = "x"\nscheduled_release = 2024-02-30\n'
    with pytest.raises(CatalogDataError, match="not valid TOML"):
        parse_demo_catalogue(toml, {"9999"})
