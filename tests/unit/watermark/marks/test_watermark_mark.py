"""The mark: delivery ids, signatures, masked emails and the Indonesian stamp texts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

from watermark import (
    Mark,
    WatermarkError,
    check_signature,
    mask_email,
    new_delivery_id,
    parse_verify_url,
    sign,
    verify_url,
)
from watermark.marks.mark import ALPHABET, NOTICE, is_delivery_id, stamp_text

WHEN = datetime(2025, 3, 5, 7, 5, tzinfo=timezone.utc)
MakeMark = Callable[..., Mark]


def test_new_delivery_ids_are_twelve_unambiguous_characters_with_a_valid_check() -> None:
    ids = {new_delivery_id() for _ in range(200)}
    assert len(ids) == 200
    for delivery_id in ids:
        assert len(delivery_id) == 12
        assert set(delivery_id) <= set(ALPHABET)
        assert is_delivery_id(delivery_id)


def test_the_alphabet_leaves_out_letters_that_read_as_digits() -> None:
    assert not set("ILOU") & set(ALPHABET)


def test_every_single_mistyped_character_is_caught_by_the_check_character() -> None:
    delivery_id = "7K3M9QPXW2RM"
    for position in range(len(delivery_id)):
        for wrong in ALPHABET:
            if wrong != delivery_id[position]:
                typo = delivery_id[:position] + wrong + delivery_id[position + 1 :]
                assert not is_delivery_id(typo)


@pytest.mark.parametrize("bad", ["", "7K3M9", "7K3M9QPXW2RT", "7K3M9QPXW2R!", "7K3M9QPXW2RL"])
def test_a_mark_refuses_a_malformed_delivery_id(bad: str, make_mark: MakeMark) -> None:
    with pytest.raises(WatermarkError) as caught:
        make_mark(delivery_id=bad)
    assert caught.value.code == "bad_delivery_id"


def test_a_mark_accepts_a_lower_case_id_and_stores_it_in_capitals(make_mark: MakeMark) -> None:
    assert make_mark(delivery_id=" 7k3m9qpxw2rm ").delivery_id == "7K3M9QPXW2RM"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"recipient_name": "  "}, "name"),
        ({"delivered_at": datetime(2025, 3, 5, 7, 5)}, "naive time"),
        ({"timezone": "Asia/Atlantis"}, "unknown zone"),
        ({"verify_base_url": "javascript:alert(1)"}, "not http"),
    ],
)
def test_a_mark_refuses_incomplete_details(changes: dict, reason: str, make_mark: MakeMark) -> None:
    with pytest.raises(WatermarkError):
        make_mark(**changes)


def test_a_changed_copy_of_a_mark_is_made_and_checked_as_a_new_one(make_mark: MakeMark) -> None:
    mark = make_mark()
    assert mark._replace(delivery_id="7k3m9qpxw2rm") == mark
    typed = "Siti\u200b  Aminah"
    assert mark._replace(recipient_name=typed).recipient_name == stamp_text(typed) != typed
    with pytest.raises(WatermarkError):
        mark._replace(recipient_name="  ")
    with pytest.raises(AttributeError):
        mark.recipient_name = "Someone else"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("andi@gmail.com", "a***@g***.com"),
        ("budi.santoso@bps.go.id", "b***@b***.go.id"),
        ("x@localhost", "x***@l***"),
        ("not-an-email", "***"),
    ],
)
def test_emails_are_masked_but_keep_their_public_suffix(email: str, masked: str) -> None:
    assert mask_email(email) == masked


def test_the_footer_names_the_recipient_request_time_in_wib_and_page(make_mark: MakeMark) -> None:
    line1, line2, notice = make_mark().footer_lines(3, 120)
    assert line1 == "Diberikan kepada Siti Nurhaliza (s***@g***.com) · BPS Kota Metro"
    assert line2 == (
        "Permintaan PST/2025/0042 · 5 Maret 2025 14.05 WIB · ID Pengiriman 7K3M9QPXW2RM · Halaman 3/120"
    )
    assert notice == NOTICE
    assert notice.startswith("Dilarang mereproduksi dan/atau menggandakan")


def test_the_time_is_shown_in_the_offices_own_zone(make_mark: MakeMark) -> None:
    papua = make_mark(timezone="Asia/Jayapura", delivered_at=WHEN + timedelta(hours=20))
    assert papua.when_text == "6 Maret 2025 12.05 WIT"


def test_names_lose_control_and_bidi_override_characters(make_mark: MakeMark) -> None:
    assert stamp_text("Budi\u202e\tSantoso\x00\n") == "Budi Santoso"
    assert make_mark(recipient_name="Ni\u200b Luh  Putu").recipient_name == "Ni Luh Putu"


def test_names_keep_their_diacritics_and_other_scripts(make_mark: MakeMark) -> None:
    assert make_mark(recipient_name="Ðorđe Ñúñez 王小明").recipient_name == "Ðorđe Ñúñez 王小明"


def test_a_signature_verifies_only_with_the_same_secret_and_id() -> None:
    signature = sign("7K3M9QPXW2RM", b"rahasia")
    assert check_signature("7K3M9QPXW2RM", signature, b"rahasia")
    assert check_signature("7K3M9QPXW2RM", signature.lower(), b"rahasia")
    assert not check_signature("7K3M9QPXW2RM", signature, b"lain")
    assert not check_signature(new_delivery_id(), signature, b"rahasia")


@pytest.mark.parametrize("signature", ["ñ日😀", "\udcff", "日" * 100, ""])
def test_a_signature_that_is_not_ascii_is_simply_wrong(signature: str) -> None:
    assert not check_signature("7K3M9QPXW2RM", signature, b"rahasia")


def test_the_verification_url_carries_the_id_and_a_signature_that_parse_back(make_mark: MakeMark) -> None:
    url = verify_url(make_mark(), b"rahasia")
    assert url.startswith("https://metrokota.bps.go.id/pustaka/verifikasi/7K3M9QPXW2RM/")
    delivery_id, signature = parse_verify_url(url)  # type: ignore[misc]
    assert delivery_id == "7K3M9QPXW2RM"
    assert check_signature(delivery_id, signature, b"rahasia")


@pytest.mark.parametrize("text", ["https://example.org/", "hello", "https://x/v/7K3M9QPXW2RM"])
def test_text_that_is_not_a_verification_url_parses_to_none(text: str) -> None:
    assert parse_verify_url(text) is None


def test_signing_with_an_empty_secret_is_refused() -> None:
    with pytest.raises(WatermarkError):
        sign("7K3M9QPXW2RM", b"")


@pytest.mark.parametrize(
    "zone", ["Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Ujung_Pandang", "Asia/Jayapura"]
)
def test_indonesias_zones_read_without_the_tz_database_are_the_databases(zone: str) -> None:
    from zoneinfo import ZoneInfo

    from watermark.marks.mark import when_text

    database = ZoneInfo(zone)
    # Every month since 1989, and the years before, when Pontianak and Makassar's offsets moved.
    moments = [
        datetime(year, month, 1, 17, 30, tzinfo=timezone.utc)
        for year in range(1960, 2040)
        for month in (1, 7)
    ]
    for moment in moments:
        local = moment.astimezone(database)
        assert when_text(moment, zone).startswith(f"{local.day} ") and f"{local:%H.%M}" in when_text(
            moment, zone
        )
    assert when_text(datetime(1987, 6, 1, tzinfo=timezone.utc), "Asia/Pontianak").endswith("08.00 WIB")


def test_a_time_without_a_zone_is_read_as_the_hosts_as_before() -> None:
    from zoneinfo import ZoneInfo

    from watermark.marks.mark import when_text

    naive = datetime(2026, 3, 5, 7, 5)
    local = naive.astimezone(ZoneInfo("Asia/Jakarta"))
    assert when_text(naive, "Asia/Jakarta") == f"{local.day} Maret 2026 {local:%H.%M} WIB"
