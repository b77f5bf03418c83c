"""The office service standards transcribed from the seeds, and their validator."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from catalog_data import CatalogDataError, OfficeRecord, load_offices, parse_offices


@pytest.fixture(scope="module")
def offices() -> dict[str, OfficeRecord]:
    return {office.code: office for office in load_offices()}


def test_the_four_seed_offices_are_loaded(offices: dict[str, OfficeRecord]) -> None:
    assert sorted(offices) == ["1600", "1674", "1805", "1872"]
    assert offices["1872"].name == "BPS Kota Metro"
    assert {o.timezone for o in offices.values()} == {"Asia/Jakarta"}


def test_kota_metro_library_serves_walk_ins_within_five_minutes_of_the_guest_book(
    offices: dict[str, OfficeRecord],
) -> None:
    library = offices["1872"].service("library")
    assert library is not None
    assert (library.walk_in_minutes, library.walk_in_clock) == (5, "guest_book")
    assert library.products == ("Pustaka hardcopy dan softcopy berwatermark",)


def test_kota_metro_library_sets_no_online_target_and_no_silence_close(
    offices: dict[str, OfficeRecord],
) -> None:
    library = offices["1872"].service("library")
    assert library is not None
    assert library.online_working_days is None
    assert library.inactivity_close_days is None


@pytest.mark.parametrize("code", ["1872", "1805", "1600", "1674"])
def test_consultation_walk_ins_are_served_ten_minutes_after_the_previous_visitor(
    offices: dict[str, OfficeRecord], code: str
) -> None:
    consultation = offices[code].service("consultation")
    assert consultation is not None
    assert (consultation.walk_in_minutes, consultation.walk_in_clock) == (10, "previous_finished")


@pytest.mark.parametrize("code", ["1872", "1805", "1600", "1674"])
def test_online_consultations_are_answered_within_three_working_days(
    offices: dict[str, OfficeRecord], code: str
) -> None:
    consultation = offices[code].service("consultation")
    assert consultation is not None
    assert consultation.online_working_days == 3


@pytest.mark.parametrize("code", ["1805", "1674"])
def test_tulang_bawang_and_lubuklinggau_staff_close_after_seven_silent_days(
    offices: dict[str, OfficeRecord], code: str
) -> None:
    consultation = offices[code].service("consultation")
    assert consultation is not None
    assert consultation.inactivity_close_days == 7
    assert consultation.inactivity_close_working_days is False
    assert consultation.inactivity_close_automatic is False


def test_sumatera_selatan_closes_automatically_after_three_silent_working_days(
    offices: dict[str, OfficeRecord],
) -> None:
    consultation = offices["1600"].service("consultation")
    assert consultation is not None
    assert consultation.inactivity_close_days == 3
    assert consultation.inactivity_close_working_days is True
    assert consultation.inactivity_close_automatic is True


def test_kota_metro_consultation_sets_no_silence_close(offices: dict[str, OfficeRecord]) -> None:
    consultation = offices["1872"].service("consultation")
    assert consultation is not None
    assert consultation.inactivity_close_days is None


def test_every_service_is_free_of_charge(offices: dict[str, OfficeRecord]) -> None:
    services = [s for o in offices.values() for s in o.services]
    assert {(s.cost, s.cost_en) for s in services} == {("Tidak dipungut biaya", "Free of charge")}


def test_the_truncated_sumatera_selatan_decree_number_is_kept_as_given(
    offices: dict[str, OfficeRecord],
) -> None:
    consultation = offices["1600"].service("consultation")
    assert consultation is not None
    assert consultation.sk_number == "Peraturan Kepala Badan Pusat Statistik Nomor 65 Ta"


def test_no_requirement_is_listed_twice_word_for_word(offices: dict[str, OfficeRecord]) -> None:
    for office in offices.values():
        for service in office.services:
            assert len(set(service.requirements)) == len(service.requirements), office.code


def test_seeds_with_one_numbered_list_are_split_into_walk_in_and_online_steps(
    offices: dict[str, OfficeRecord],
) -> None:
    lengths = {
        code: (len(s.procedure_walk_in), len(s.procedure_online))
        for code, o in offices.items()
        for s in o.services
        if s.kind == "consultation"
    }
    assert lengths == {"1872": (9, 0), "1805": (6, 9), "1600": (7, 4), "1674": (8, 9)}


def test_every_text_list_has_an_english_rendering_item_for_item(offices: dict[str, OfficeRecord]) -> None:
    for office in offices.values():
        for service in office.services:
            for name in ("requirements", "procedure_walk_in", "procedure_online", "time_text", "products"):
                assert len(getattr(service, name)) == len(getattr(service, f"{name}_en"))


def test_complaint_channels_follow_the_seeds(offices: dict[str, OfficeRecord]) -> None:
    kinds = {code: [c.kind for c in o.services[0].complaint_channels] for code, o in offices.items()}
    assert kinds == {
        "1872": ["box", "web", "email", "whatsapp"],
        "1805": ["box", "web"],
        "1600": ["box", "lapor", "web", "email", "whatsapp"],
        "1674": ["box", "lapor", "web", "email"],
    }


def test_office_records_are_frozen(offices: dict[str, OfficeRecord]) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        offices["1872"].name = "changed"  # type: ignore[misc]


def test_an_office_without_a_service_of_that_kind_returns_none(offices: dict[str, OfficeRecord]) -> None:
    assert offices["1805"].service("library") is None


def valid_document() -> dict[str, Any]:
    """Return a small, valid offices document to break one field at a time."""
    service = {
        "kind": "consultation",
        "name": "Pelayanan Konsultasi Statistik",
        "name_en": "Statistical Consultation Service",
        "sk_number": "010 Tahun 2024",
        "requirements": ["Mengisi buku tamu"],
        "requirements_en": ["Fill in the guest book"],
        "procedure_walk_in": ["Datang"],
        "procedure_walk_in_en": ["Come"],
        "procedure_online": [],
        "procedure_online_en": [],
        "time_text": ["10 menit"],
        "time_text_en": ["10 minutes"],
        "cost": "Tidak dipungut biaya",
        "cost_en": "Free of charge",
        "products": ["Jasa konsultasi"],
        "products_en": ["Consultation"],
        "walk_in_minutes": 10,
        "walk_in_clock": "previous_finished",
        "online_working_days": 3,
        "complaint_channel": [
            {"kind": "email", "label": "E-mail", "label_en": "Email", "value": "bps9999@bps.go.id"}
        ],
    }
    office = {
        "code": "9999",
        "name": "BPS Contoh",
        "name_en": "BPS-Statistics of Example",
        "province": "Lampung",
        "address": "Jl. Contoh 1",
        "phone": "0725 000000",
        "email": "bps9999@bps.go.id",
        "website": "https://contoh.bps.go.id/",
        "timezone": "Asia/Jakarta",
        "service": [service],
    }
    return {"office": [office]}


def _office(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["office"][0]


def _service(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["office"][0]["service"][0]


def _channel(doc: dict[str, Any]) -> dict[str, Any]:
    return _service(doc)["complaint_channel"][0]


def test_the_valid_document_parses() -> None:
    (office,) = parse_offices(valid_document())
    assert office.services[0].complaint_channels[0].value == "bps9999@bps.go.id"


BAD_OFFICES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("code-not-four-digits", lambda d: _office(d).update(code="18"), "code"),
    ("name-missing", lambda d: _office(d).pop("name"), "name"),
    ("name-blank", lambda d: _office(d).update(name="  "), "name"),
    ("website-without-scheme", lambda d: _office(d).update(website="contoh.bps.go.id"), "website"),
    ("email-without-at", lambda d: _office(d).update(email="bps9999"), "email"),
    ("timezone-not-indonesian", lambda d: _office(d).update(timezone="Europe/Paris"), "timezone"),
    ("typo-in-field-name", lambda d: _office(d).update(adress="x"), "adress"),
    ("no-service", lambda d: _office(d).update(service=[]), "service"),
    ("service-kind-unknown", lambda d: _service(d).update(kind="archive"), "kind"),
    ("minutes-as-text", lambda d: _service(d).update(walk_in_minutes="ten"), "walk_in_minutes"),
    ("minutes-as-bool", lambda d: _service(d).update(walk_in_minutes=True), "walk_in_minutes"),
    ("minutes-zero", lambda d: _service(d).update(walk_in_minutes=0), "walk_in_minutes"),
    ("clock-unknown", lambda d: _service(d).update(walk_in_clock="arrival"), "walk_in_clock"),
    ("clock-without-minutes", lambda d: _service(d).pop("walk_in_minutes"), "walk_in_clock"),
    ("english-list-shorter", lambda d: _service(d).update(requirements_en=[]), "requirements_en"),
    ("requirements-not-a-list", lambda d: _service(d).update(requirements="x"), "requirements"),
    ("requirements-empty", lambda d: _service(d).update(requirements=[], requirements_en=[]), "requirements"),
    (
        "both-procedures-empty",
        lambda d: _service(d).update(procedure_walk_in=[], procedure_walk_in_en=[]),
        "procedure_walk_in",
    ),
    (
        "automatic-close-without-days",
        lambda d: _service(d).update(inactivity_close_automatic=True),
        "inactivity_close_automatic",
    ),
    (
        "working-days-flag-as-text",
        lambda d: _service(d).update(inactivity_close_days=3, inactivity_close_working_days="yes"),
        "inactivity_close_working_days",
    ),
    ("no-complaint-channel", lambda d: _service(d).update(complaint_channel=[]), "complaint_channel"),
    ("channel-kind-unknown", lambda d: _channel(d).update(kind="fax"), "kind"),
    ("email-channel-without-address", lambda d: _channel(d).update(value=""), "value"),
    ("web-channel-without-url", lambda d: _channel(d).update(kind="web", value="s.bps.go.id"), "value"),
    ("whatsapp-channel-with-text", lambda d: _channel(d).update(kind="whatsapp", value="call us"), "value"),
    ("duplicate-service-kind", lambda d: _office(d)["service"].append(copy.deepcopy(_service(d))), "service"),
    ("duplicate-office-code", lambda d: d["office"].append(copy.deepcopy(_office(d))), "code"),
    ("no-office", lambda d: d.update(office=[]), "office"),
]


@pytest.mark.parametrize(
    ("break_it", "field"), [(b, f) for _, b, f in BAD_OFFICES], ids=[name for name, _, _ in BAD_OFFICES]
)
def test_bad_office_data_is_refused_naming_the_field(
    break_it: Callable[[dict[str, Any]], None], field: str
) -> None:
    doc = valid_document()
    break_it(doc)
    with pytest.raises(CatalogDataError) as caught:
        parse_offices(doc)
    assert caught.value.field == field
    assert f"'{field}'" in str(caught.value)


def test_the_error_names_the_office_and_service() -> None:
    doc = valid_document()
    _service(doc).update(walk_in_minutes="ten")
    with pytest.raises(CatalogDataError, match=r"office 9999, service 'consultation'"):
        parse_offices(doc)


def test_toml_that_does_not_parse_is_refused() -> None:
    with pytest.raises(CatalogDataError, match="not valid TOML") as caught:
        parse_offices('[[office]]\ncode = "1872\n')
    assert caught.value.field == "(syntax)"


def test_toml_text_is_parsed_like_a_document() -> None:
    text = """
[[office]]
code = "9999"
name = "BPS Contoh"
name_en = "BPS-Statistics of Example"
province = "Lampung"
address = "Jl. Contoh 1"
phone = ""
email = ""
website = "https://contoh.bps.go.id/"
timezone = "Asia/Jakarta"
  [[office.service]]
  kind = "library"
  name = "Layanan Perpustakaan"
  name_en = "Library Service"
  sk_number = "1"
  requirements = ["a"]
  requirements_en = ["a"]
  procedure_walk_in = ["b"]
  procedure_walk_in_en = ["b"]
  procedure_online = []
  procedure_online_en = []
  time_text = ["c"]
  time_text_en = ["c"]
  cost = "Tidak dipungut biaya"
  cost_en = "Free of charge"
  products = ["d"]
  products_en = ["d"]
    [[office.service.complaint_channel]]
    kind = "box"
    label = "Kotak saran"
    label_en = "Suggestion box"
    value = ""
"""
    (office,) = parse_offices(text)
    assert office.services[0].walk_in_minutes is None
