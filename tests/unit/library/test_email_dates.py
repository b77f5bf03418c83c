"""Every date a person reads in an email is written as pages write it, in each part's language.

Indonesian first ("19 November 2026 10.00 WIB"), English second ("19 November 2026, 10:00 WIB"):
the month spelled out, the office's clock and zone, never seconds, never "19-11-2026".
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from library.accounts import mail as account_mail
from library.accounts.mail import Links
from library.clock import day_in_both, day_text, moment_in_both, moment_text
from library.frontoffice.scans.mail import scan_ready
from library.mail import Message
from library.models import SoftcopyRequest, User
from library.softcopy.alerts import request_waiting as librarian_alert
from library.softcopy.mail import Waiting, copy_ready, request_waiting

MOMENT = dt.datetime(2026, 11, 19, 3, 0, 42, tzinfo=dt.UTC)  # 10.00.42 in Jakarta, 11.00 in Makassar
ID_TEXT, EN_TEXT = "19 November 2026 10.00 WIB", "19 November 2026, 10:00 WIB"
LINKS = Links(lambda t: f"https://x/v/{t}", lambda t: f"https://x/r/{t}", "https://x/masuk", "https://x/lupa")


def parts(message: Message) -> tuple[str, str]:
    """Return the Indonesian and the English part of a bilingual email, each on one line."""
    indonesian, english = message.text.split("— English —")
    return " ".join(indonesian.split()), " ".join(english.split())


def assert_no_other_date_format(message: Message) -> None:
    assert not re.search(r"\d{1,2}[-/]\d{1,2}[-/]\d{2,4}", message.text), message.text
    assert not re.search(r"\d\d[:.]\d\d[:.]\d\d", message.text), message.text


@pytest.mark.parametrize(
    ("language", "zone", "width", "expected"),
    [
        ("id", "Asia/Jakarta", "long", "19 November 2026 10.00 WIB"),
        ("en", "Asia/Jakarta", "long", "19 November 2026, 10:00 WIB"),
        ("id", "Asia/Makassar", "long", "19 November 2026 11.00 WITA"),
        ("en", "Asia/Jayapura", "long", "19 November 2026, 12:00 WIT"),
        ("id", "Asia/Jakarta", "short", "19 Nov 2026 10.00"),
        ("en", "Asia/Jakarta", "short", "19 Nov 2026, 10:00"),
        ("id", "Asia/Jakarta", "full", "Kamis, 19 November 2026 10.00 WIB"),
        ("fr", "Asia/Jakarta", "long", "19 November 2026 10.00 WIB"),  # any other language: Indonesian
    ],
)
def test_a_moment_is_written_in_the_language_and_the_offices_zone(
    language: str, zone: str, width: str, expected: str
) -> None:
    assert moment_text(MOMENT, language, ZoneInfo(zone), width) == expected


def test_a_naive_moment_is_read_as_utc_as_the_database_stores_them() -> None:
    naive = MOMENT.replace(tzinfo=None)
    assert moment_text(naive, "id", ZoneInfo("Asia/Jakarta")) == ID_TEXT


def test_the_day_of_a_moment_is_the_offices_day() -> None:
    late = dt.datetime(2026, 11, 19, 18, 30, tzinfo=dt.UTC)  # already the 20th in Jakarta
    assert day_text(late, "en", ZoneInfo("Asia/Jakarta")) == "20 November 2026"
    assert day_in_both(dt.date(2027, 1, 15)) == ("15 Januari 2027", "15 January 2027")
    assert moment_in_both(MOMENT, ZoneInfo("Asia/Jakarta")) == (ID_TEXT, EN_TEXT)


def waiting(**changes: object) -> Waiting:
    values: dict = {
        "number": "PS-20261116-00007",
        "title": "Kota Metro Dalam Angka 2024",
        "pages": "2-3",
        "embargo_until": None,
        "due_at": MOMENT,
        "link": "https://x/permintaan/PS-20261116-00007",
    }
    return Waiting(**{**values, **changes})


def test_the_acknowledgement_of_a_restricted_request_dates_the_answer_in_both_languages() -> None:
    mail = request_waiting("ani@example.id", "Ani", waiting(), "Asia/Jakarta")
    indonesian, english = parts(mail)
    assert f"menjawab paling lambat {ID_TEXT}." in indonesian
    assert f"answers by {EN_TEXT}." in english
    assert_no_other_date_format(mail)


def test_the_acknowledgement_of_an_embargoed_request_dates_the_release_and_the_copy() -> None:
    mail = request_waiting(
        "ani@example.id", "Ani", waiting(embargo_until=dt.date(2027, 1, 15)), "Asia/Makassar"
    )
    indonesian, english = parts(mail)
    assert "diembargo sampai 15 Januari 2027." in indonesian
    assert "paling lambat 19 November 2026 11.00 WITA." in indonesian
    assert "embargoed until 15 January 2027." in english
    assert "by 19 November 2026, 11:00 WITA at the latest." in english
    assert_no_other_date_format(mail)


def test_the_ready_email_dates_the_end_of_the_download_link() -> None:
    mail = copy_ready("ani@example.id", "Ani", "PS-1", "Judul", "https://x/p", MOMENT, 3, "Asia/Jakarta")
    indonesian, english = parts(mail)
    assert f"berlaku sampai {ID_TEXT} dan dapat dipakai 3 kali." in indonesian
    assert f"works until {EN_TEXT} and can be used 3 times." in english
    assert_no_other_date_format(mail)


def test_the_scan_email_dates_the_end_of_the_download_link() -> None:
    mail = scan_ready("dewi@example.id", "Dewi", "Judul", "https://x/p", MOMENT, 3, "Asia/Jakarta")
    indonesian, english = parts(mail)
    assert f"berlaku sampai {ID_TEXT} dan dapat dipakai 3 kali." in indonesian
    assert f"works until {EN_TEXT} and can be used 3 times." in english
    assert_no_other_date_format(mail)


def test_the_librarians_alert_dates_the_answer_due() -> None:
    row = SoftcopyRequest(number="PS-1", due_at=MOMENT, page_ranges="", intended_use="Skripsi")
    requester = User(name="Ani", institution="Unila", email="ani@example.id")
    mail = librarian_alert(
        "pustakawan@example.id", row, requester, "Judul", "https://x/meja/PS-1", "Asia/Jakarta"
    )
    indonesian, english = parts(mail)
    assert f"Batas jawaban: {ID_TEXT}" in indonesian
    assert f"Answer due: {EN_TEXT}" in english
    assert_no_other_date_format(mail)


@pytest.mark.parametrize("new_address", [False, True])
def test_the_verification_email_dates_the_end_of_its_link(new_address: bool) -> None:
    mail = account_mail.verify_email(
        "siti@example.id", "Siti", "https://x/v/t", MOMENT, "Asia/Jakarta", new_address=new_address
    )
    indonesian, english = parts(mail)
    assert f"dalam 48 jam (sampai {ID_TEXT}):" in indonesian
    assert f"within 48 hours (until {EN_TEXT}):" in english
    assert_no_other_date_format(mail)


def test_the_reset_email_dates_the_end_of_its_link() -> None:
    mail = account_mail.reset_password("rina@example.id", "Rina", "https://x/r/t", MOMENT, "Asia/Jakarta")
    indonesian, english = parts(mail)
    assert f"dalam 2 jam (sampai {ID_TEXT})" in indonesian
    assert f"within 2 hours (until {EN_TEXT})" in english
    assert_no_other_date_format(mail)


def test_the_password_changed_email_says_when() -> None:
    mail = account_mail.password_changed("rina@example.id", "Rina", LINKS, MOMENT, "Asia/Jakarta")
    indonesian, english = parts(mail)
    assert f"diubah pada {ID_TEXT}," in indonesian
    assert f"was changed on {EN_TEXT}," in english
    assert_no_other_date_format(mail)


def test_the_email_changed_email_says_since_when() -> None:
    mail = account_mail.email_changed(
        "rina@example.id", "Rina", "rina.baru@example.id", MOMENT, "Asia/Jakarta"
    )
    indonesian, english = parts(mail)
    assert f"Sejak {ID_TEXT}, akun Pustaka Anda memakai alamat rina.baru@example.id." in indonesian
    assert f"Since {EN_TEXT}, your Pustaka account uses the address rina.baru@example.id." in english
    assert_no_other_date_format(mail)
