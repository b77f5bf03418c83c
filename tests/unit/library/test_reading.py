"""Who may read a publication in the browser, which pages exist, and the line drawn on each page."""

from __future__ import annotations

import datetime as dt

import pytest

from library.catalogue.reading import ReadableCopy, check_page, read_refusal, reader_mark_text
from library.errors import NotAllowed, NotFound
from library.models import AccessLevel, Role, User

EMBARGO = dt.date(2027, 1, 15)
OPEN, REGISTERED, RESTRICTED, EMBARGOED = (
    AccessLevel.OPEN,
    AccessLevel.REGISTERED,
    AccessLevel.RESTRICTED,
    AccessLevel.EMBARGOED,
)


def person(kind: str) -> User | None:
    """Return an unsaved person of a kind named in the table below."""
    if kind == "anonymous":
        return None
    user = User(name="Siti Aminah", email="siti.aminah@gmail.com", email_verified=kind != "unverified reader")
    roles = {
        "reader": {Role.READER},
        "unverified reader": {Role.READER},
        "front office": {Role.FRONT_OFFICE},
        "librarian": {Role.LIBRARIAN},
        "admin": {Role.ADMIN},
    }[kind]
    user.set_roles(frozenset(roles))
    return user


@pytest.mark.parametrize(
    ("level", "kind"),
    [
        (OPEN, "reader"),
        (OPEN, "unverified reader"),
        (OPEN, "librarian"),
        (REGISTERED, "reader"),
        (REGISTERED, "librarian"),
        (REGISTERED, "front office"),
        (RESTRICTED, "librarian"),
        (RESTRICTED, "admin"),
        (EMBARGOED, "librarian"),
        (EMBARGOED, "admin"),
    ],
)
def test_these_people_may_read_at_these_access_levels(level: AccessLevel, kind: str) -> None:
    assert read_refusal(person(kind), level, EMBARGO if level is EMBARGOED else None) is None


@pytest.mark.parametrize(
    ("level", "kind", "reason"),
    [
        (OPEN, "anonymous", "Sign in to read"),
        (REGISTERED, "anonymous", "Sign in to read"),
        (RESTRICTED, "anonymous", "Sign in to read"),
        (EMBARGOED, "anonymous", "Sign in to read"),
        (REGISTERED, "unverified reader", "Verify your email address"),
        (RESTRICTED, "reader", "Ask the library for a softcopy instead"),
        (RESTRICTED, "front office", "Ask the library for a softcopy instead"),
        (EMBARGOED, "reader", "under embargo until"),
        (EMBARGOED, "front office", "under embargo until"),
    ],
)
def test_these_people_are_refused_with_a_reason_they_can_act_on(
    level: AccessLevel, kind: str, reason: str
) -> None:
    refusal = read_refusal(person(kind), level, EMBARGO if level is EMBARGOED else None)
    assert isinstance(refusal, NotAllowed)
    assert reason in str(refusal)


def test_an_embargo_refusal_names_the_release_date() -> None:
    refusal = read_refusal(person("reader"), EMBARGOED, EMBARGO)
    assert refusal is not None and refusal.params == {"date": EMBARGO}
    assert "2027-01-15" in str(refusal)


def copy_of(pages: int | None) -> ReadableCopy:
    """Return a readable copy of a publication with this many pages (None: not recorded)."""
    return ReadableCopy(
        publication_id=7,
        title="Kota Metro Dalam Angka 2024",
        page_count=pages,
        sha256="0" * 64,
        office_name="BPS Kota Metro",
        timezone="Asia/Jakarta",
    )


@pytest.mark.parametrize("page", [1, 30, 60])
def test_a_page_within_the_publication_is_accepted(page: int) -> None:
    assert check_page(copy_of(60), page) == page


@pytest.mark.parametrize("page", [0, -1, 61, 10_000])
def test_a_page_outside_the_publication_is_not_found_and_the_message_gives_the_range(page: int) -> None:
    with pytest.raises(NotFound) as caught:
        check_page(copy_of(60), page)
    assert str(caught.value) == f"There is no page {page}: its pages run from 1 to 60."


def test_a_page_of_a_file_whose_length_is_unknown_is_left_to_the_file_to_refuse() -> None:
    assert check_page(copy_of(None), 400) == 400
    with pytest.raises(NotFound, match="There is no page 0 in this publication."):
        check_page(copy_of(None), 0)


def test_the_mark_names_the_reader_with_a_masked_email_the_office_and_the_local_time() -> None:
    reader = person("reader")
    assert reader is not None
    now = dt.datetime(2025, 3, 5, 7, 5, tzinfo=dt.UTC)
    text = reader_mark_text(reader, "BPS Kota Metro", now, "Asia/Jakarta")
    assert text == "Dibaca oleh Siti Aminah <s***@g***.com> · BPS Kota Metro · 5 Maret 2025 14.05 WIB"


def test_the_mark_drops_control_characters_from_a_name_so_it_reads_as_stored() -> None:
    reader = person("reader")
    assert reader is not None
    reader.name = "Siti\u202e Aminah\n"
    now = dt.datetime(2025, 3, 5, 7, 5, tzinfo=dt.UTC)
    assert reader_mark_text(reader, "", now, "Asia/Makassar").startswith("Dibaca oleh Siti Aminah <s***@")
    assert reader_mark_text(reader, "", now, "Asia/Makassar").endswith("@g***.com> · 5 Maret 2025 15.05 WITA")
