"""OAI-PMH requests are checked against the protocol's grammar before anything is looked up."""

from __future__ import annotations

import datetime as dt

import pytest

from library.models import AccessLevel, Office, Publication
from library.oai import requests as oai_requests
from library.oai.dublin_core import creator_name, dublin_core, languages, rights, set_specs, subject_slug
from library.oai.repository import Repository, admin_email

UTC = dt.UTC


def parse(query: dict[str, str | list[str]]) -> oai_requests.OAIRequest:
    """Parse request values given as a dict (a list repeats the argument)."""
    return oai_requests.parse_request({k: v if isinstance(v, list) else [v] for k, v in query.items()})


@pytest.mark.parametrize(
    "query",
    [
        {"verb": "Identify"},
        {"verb": "ListMetadataFormats"},
        {"verb": "ListMetadataFormats", "identifier": "oai:example.org:pub/1"},
        {"verb": "ListSets"},
        {"verb": "ListSets", "resumptionToken": "abc"},
        {"verb": "GetRecord", "identifier": "oai:example.org:pub/1", "metadataPrefix": "oai_dc"},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "set": "office:1872",
            "from": "2024-01-01",
            "until": "2024-12-31",
        },
        {"verb": "ListRecords", "metadataPrefix": "marc21"},
        {"verb": "ListRecords", "resumptionToken": "abc"},
    ],
)
def test_a_request_that_follows_the_grammar_is_accepted(query: dict[str, str]) -> None:
    request = parse(query)
    assert request.verb == query["verb"]
    assert dict(request.arguments) == {k: v for k, v in query.items() if k != "verb"}


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"verb": "Bogus"},
        {"verb": "identify"},
        {"verb": ["Identify", "Identify"]},
        {"verb": ["Identify", "ListSets"]},
    ],
)
def test_a_missing_unknown_or_repeated_verb_is_bad_verb(query: dict[str, str]) -> None:
    with pytest.raises(oai_requests.BadVerb):
        parse(query)


@pytest.mark.parametrize(
    "query",
    [
        {"verb": "Identify", "metadataPrefix": "oai_dc"},
        {"verb": "GetRecord", "identifier": "oai:example.org:pub/1"},
        {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords"},
        {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "abc"},
        {"verb": "ListIdentifiers", "resumptionToken": "abc", "set": "office"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "colour": "red"},
        {"verb": "ListRecords", "metadataPrefix": ""},
        {"verb": "ListRecords", "metadataPrefix": "oai dc"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "office:"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "a b"},
        {"verb": "ListRecords", "resumptionToken": "abc\x00"},
        {"verb": "GetRecord", "identifier": "not a uri", "metadataPrefix": "oai_dc"},
    ],
)
def test_an_unknown_missing_repeated_or_malformed_argument_is_bad_argument(query: dict[str, str]) -> None:
    with pytest.raises(oai_requests.BadArgument):
        parse(query)


@pytest.mark.parametrize(
    ("from_", "until"),
    [
        ("2024-13-01", None),
        ("2024-02-30", None),
        ("24-01-01", None),
        ("2024-01-01T10:00:00", None),
        ("2024-01-01T10:00:00+07:00", None),
        ("2024-01-01T10:00:00.5Z", None),
        ("2024-01-01T25:00:00Z", None),
        (None, "yesterday"),
        ("2024-01-01", "2024-12-31T00:00:00Z"),
        ("2024-06-01", "2024-05-31"),
        ("2024-06-01T10:00:01Z", "2024-06-01T10:00:00Z"),
    ],
)
def test_bad_dates_mixed_granularity_and_from_after_until_are_bad_arguments(
    from_: str | None, until: str | None
) -> None:
    query = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    query |= {"from": from_} if from_ else {}
    query |= {"until": until} if until else {}
    with pytest.raises(oai_requests.BadArgument):
        parse(query)


def test_a_day_until_includes_the_whole_day() -> None:
    dates = oai_requests.parse_range("2024-06-01", "2024-06-01")
    assert dates.start == dt.datetime(2024, 6, 1, tzinfo=UTC)
    assert dates.end == dt.datetime(2024, 6, 2, tzinfo=UTC)


def test_a_seconds_until_includes_its_whole_second() -> None:
    dates = oai_requests.parse_range("2024-06-01T10:00:00Z", "2024-06-01T10:00:00Z")
    assert dates.start == dt.datetime(2024, 6, 1, 10, tzinfo=UTC)
    assert dates.end == dt.datetime(2024, 6, 1, 10, 0, 1, tzinfo=UTC)


def test_an_until_at_the_end_of_the_calendar_is_no_bound_rather_than_a_crash() -> None:
    assert oai_requests.parse_range(None, "9999-12-31") == oai_requests.DateRange(start=None, end=None)


def test_datestamps_are_utc_to_the_second() -> None:
    moment = dt.datetime(2024, 6, 1, 17, 30, 5, 999999, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert oai_requests.datestamp(moment) == "2024-06-01T10:30:05Z"


def repository(base_url: str = "https://pustaka.metrokota.bps.go.id:8443") -> Repository:
    """Return a repository description for tests."""
    return Repository(base_url=base_url, office_code="1872", admin_email="pst@example.org", secret=b"k" * 32)


def test_identifiers_carry_the_repository_name_and_the_persistent_identifier_not_the_host() -> None:
    repo = repository()
    publication = Publication(id=42, identifier="bps1872/17")
    assert repo.identifier(publication) == "oai:pustaka.bps1872:bps1872/17"
    assert repo.endpoint == "https://pustaka.metrokota.bps.go.id:8443/oai"
    assert repo.catalogue_url(publication) == "https://pustaka.metrokota.bps.go.id:8443/id/bps1872/17"
    named = Repository(
        "https://x.example", "1872", "", b"k" * 32, repository_id="perpus.metro", pid_prefix="m"
    )
    assert (named.name, named.identifier(publication)) == ("perpus.metro", "oai:perpus.metro:bps1872/17")


def test_the_old_identifiers_naming_the_host_still_read_back() -> None:
    assert repository().publication_id("oai:pustaka.metrokota.bps.go.id:pub/42") == 42
    assert repository().lookup("oai:pustaka.metrokota.bps.go.id:pub/42") is not None
    assert repository().lookup("oai:pustaka.bps1872:bps1872/42") is not None
    assert repository().lookup("oai:pustaka.bps1872:bps1872/4x") is None


@pytest.mark.parametrize(
    "identifier",
    [
        "oai:other.example:pub/42",
        "oai:pustaka.metrokota.bps.go.id:pub/",
        "oai:pustaka.metrokota.bps.go.id:pub/4x",
        "oai:pustaka.metrokota.bps.go.id:pub/-1",
        "oai:pustaka.metrokota.bps.go.id:pub/99999999999999999999",
        "oai:pustaka.metrokota.bps.go.id:pub/\u00b2",
        "oai:pustaka.metrokota.bps.go.id:pub/\u0661",
    ],
)
def test_an_identifier_from_elsewhere_names_no_publication(identifier: str) -> None:
    assert repository().publication_id(identifier) is None


@pytest.mark.parametrize(
    ("mail_from", "office_email", "expected"),
    [
        ("PST BPS Kota Metro <pst1872@bps.go.id>", "bps1872@bps.go.id", "pst1872@bps.go.id"),
        ("pst@localhost", "bps1872@bps.go.id", "bps1872@bps.go.id"),
        ("pst@localhost", "", "pst@localhost"),
    ],
)
def test_the_admin_email_is_the_sender_address_unless_harvesters_cannot_use_it(
    mail_from: str, office_email: str, expected: str
) -> None:
    assert admin_email(mail_from, office_email) == expected


@pytest.mark.parametrize(
    ("office", "creator"),
    [
        ("BPS Kota Metro", "Badan Pusat Statistik Kota Metro"),
        ("BPS Provinsi Sumatera Selatan", "Badan Pusat Statistik Provinsi Sumatera Selatan"),
        ("BPS", "Badan Pusat Statistik"),
        ("Kabupaten Tulang Bawang", "Badan Pusat Statistik Kabupaten Tulang Bawang"),
    ],
)
def test_the_creator_is_the_issuing_office_spelled_out(office: str, creator: str) -> None:
    assert creator_name(office) == creator


def test_a_language_field_lists_each_code() -> None:
    assert languages("id,en") == ["id", "en"]
    assert languages("") == []


@pytest.mark.parametrize(
    ("subject", "slug"),
    [
        ("Sosial Budaya", "sosial-budaya"),
        ("Harga & Inflasi", "harga-inflasi"),
        ("Éducation", "education"),
        ("—", ""),
    ],
)
def test_a_subject_set_is_named_by_its_slug(subject: str, slug: str) -> None:
    assert subject_slug(subject) == slug


def publication(**fields: object) -> Publication:
    """Build an unsaved publication of BPS Kota Metro."""
    values: dict[str, object] = {
        "id": 7,
        "key": "k",
        "title": "Kota Metro Dalam Angka 2024",
        "alternative_title": "",
        "abstract": "",
        "subject": "Statistik Umum",
        "publication_type": "Publikasi",
        "language": "id",
        "reference_period": "2023",
        "actual_release": dt.date(2024, 2, 28),
        "scheduled_release": None,
        "katalog_bps": "1102001.1872",
        "nomor_publikasi": "",
        "issn": "2477-538X",
        "isbn": "",
        "access_level": "open",
        "embargo_until": None,
    }
    values.update(fields)
    pub = Publication(**values)
    pub.issuing_office = Office(code="1872", name="BPS Kota Metro")
    return pub


def test_a_restricted_publication_says_in_words_how_to_get_a_copy_and_links_no_file() -> None:
    elements = dublin_core(publication(access_level="restricted"), "https://p.example/katalog/7")
    assert [(e.value, e.lang) for e in elements if e.name == "rights"] == [
        ("Akses terbatas; salinan atas persetujuan pustakawan", "id"),
        ("Restricted access; copies only with the librarian's approval", "en"),
    ]
    assert [e.value for e in elements if e.name == "identifier"] == [
        "https://p.example/katalog/7",
        "ISSN:2477-538X",
        "Katalog BPS:1102001.1872",
    ]


@pytest.mark.parametrize("level", list(AccessLevel))
def test_every_access_level_has_rights_in_indonesian_and_english(level: AccessLevel) -> None:
    embargo = dt.date(2027, 1, 15) if level is AccessLevel.EMBARGOED else None
    indonesian, english = rights(publication(access_level=level.value, embargo_until=embargo))
    assert (indonesian.lang, english.lang) == ("id", "en")
    assert indonesian.value and english.value
    if embargo:
        assert "2027-01-15" in indonesian.value and "2027-01-15" in english.value


def test_the_dublin_core_record_carries_the_bps_profile() -> None:
    elements = dublin_core(publication(language="id,en", isbn="978-602-9593-39-6"), "u")
    values = {(e.name, e.value) for e in elements}
    assert ("creator", "Badan Pusat Statistik Kota Metro") in values
    assert ("publisher", "Badan Pusat Statistik") in values
    assert ("date", "2024-02-28") in values
    assert {("type", "Publikasi"), ("type", "Text"), ("format", "application/pdf")} <= values
    assert {("language", "id"), ("language", "en"), ("coverage", "2023")} <= values
    assert ("identifier", "ISBN:978-602-9593-39-6") in values


def test_a_publication_is_in_its_office_set_and_its_subject_set() -> None:
    assert set_specs(publication()) == ("office:1872", "subject:statistik-umum")
    assert set_specs(publication(subject="")) == ("office:1872",)
