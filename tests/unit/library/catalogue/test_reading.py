"""Which pages of a publication exist, and the line drawn on each page the reader sees.

Who may read online is tabled in test_permissions.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from library.catalogue.reading import ReadableCopy, check_page, reader_mark_text
from library.errors import NotFound
from library.models import User


def reader() -> User:
    """Return an unsaved reader."""
    return User(name="Siti Aminah", email="siti.aminah@gmail.com", email_verified=True)


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
    person = reader()
    now = dt.datetime(2025, 3, 5, 7, 5, tzinfo=dt.UTC)
    text = reader_mark_text(person, "BPS Kota Metro", now, "Asia/Jakarta")
    assert text == "Dibaca oleh Siti Aminah <s***@g***.com> · BPS Kota Metro · 5 Maret 2025 14.05 WIB"


def test_the_mark_drops_control_characters_from_a_name_so_it_reads_as_stored() -> None:
    person = reader()
    person.name = "Siti\u202e Aminah\n"
    now = dt.datetime(2025, 3, 5, 7, 5, tzinfo=dt.UTC)
    assert reader_mark_text(person, "", now, "Asia/Makassar").startswith("Dibaca oleh Siti Aminah <s***@")
    assert reader_mark_text(person, "", now, "Asia/Makassar").endswith("@g***.com> · 5 Maret 2025 15.05 WITA")
