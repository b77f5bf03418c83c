"""At a library terminal: who manages terminals, what a visitor reads there, and the mark on the pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from library.catalogue.read_access import terminal_read_refusal
from library.catalogue.reading import reader_mark_text
from library.models import AccessLevel
from library.permissions import may_manage_terminals
from tests.unit.library.test_permissions import EMBARGO, actor, table

NOW = dt.datetime(2025, 3, 5, 7, 5, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Walker:
    """A walk-in visitor as the reader's mark sees them."""

    name: str
    email: str = ""


@pytest.mark.parametrize(("kind", "allowed"), table("admin"))
def test_only_active_administrators_manage_terminals(kind: str, allowed: bool) -> None:
    assert may_manage_terminals(actor(kind)) is allowed


@pytest.mark.parametrize("level", [AccessLevel.OPEN, AccessLevel.REGISTERED])
def test_a_visitor_at_a_terminal_reads_open_and_registered_items(level: AccessLevel) -> None:
    assert terminal_read_refusal(level, None) is None


def test_a_visitor_at_a_terminal_is_told_a_restricted_item_needs_a_request() -> None:
    refusal = terminal_read_refusal(AccessLevel.RESTRICTED, None)
    assert refusal is not None and "Ask the library for a softcopy" in refusal.message


def test_a_visitor_at_a_terminal_is_told_when_an_embargo_ends() -> None:
    refusal = terminal_read_refusal(AccessLevel.EMBARGOED, EMBARGO)
    assert refusal is not None and refusal.params == {"date": EMBARGO}


def test_the_mark_at_a_terminal_names_the_visitor_and_the_terminal() -> None:
    text = reader_mark_text(
        Walker("Siti Aminah", "siti.aminah@gmail.com"), "BPS Kota Metro", NOW, "Asia/Jakarta", "Terminal 1"
    )
    assert (
        text
        == "Dibaca oleh Siti Aminah <s***@g***.com> · Terminal 1 · BPS Kota Metro · 5 Maret 2025 14.05 WIB"
    )


def test_a_visitor_without_an_email_is_named_alone() -> None:
    text = reader_mark_text(Walker("Wayan"), "BPS Kota Metro", NOW, "Asia/Jakarta", "Terminal 2")
    assert text == "Dibaca oleh Wayan · Terminal 2 · BPS Kota Metro · 5 Maret 2025 14.05 WIB"


def test_a_terminal_name_is_drawn_as_one_clean_line() -> None:
    text = reader_mark_text(Walker("Wayan"), "", NOW, "Asia/Jakarta", "Terminal\u202e 3\n")
    assert text == "Dibaca oleh Wayan · Terminal 3 · 5 Maret 2025 14.05 WIB"
