"""What a visitor types or scans at a terminal: ticket codes in any spelling, or the ticket's QR."""

from __future__ import annotations

import pytest

from library.errors import InvalidField
from library.frontoffice.terminal.ticket_entry import TicketEntry, parse_ticket_entry


@pytest.mark.parametrize(
    "typed",
    ["P-007", "p007", "P 7", "  p-7 ", "P7", "P-0007", "p.007", "P/7", "P#007", "p - 007"],
)
def test_a_ticket_code_is_read_however_it_is_typed(typed: str) -> None:
    assert parse_ticket_entry(typed) == TicketEntry(letter="P", number=7)


def test_a_code_names_its_ticket_as_printed() -> None:
    assert parse_ticket_entry("k12").code == "K-012"
    assert parse_ticket_entry("P1234").code == "P-1234"


@pytest.mark.parametrize(
    "scanned",
    [
        "http://127.0.0.1:8000/kunjungan/Ab3_dEf-9876xyz",
        "https://pst.example.go.id/kunjungan/Ab3_dEf-9876xyz/",
        "https://pst.example.go.id/kunjungan/Ab3_dEf-9876xyz?lang=en",
    ],
)
def test_a_scanned_ticket_qr_gives_the_visits_status_token(scanned: str) -> None:
    entry = parse_ticket_entry(scanned)
    assert entry == TicketEntry(status_token="Ab3_dEf-9876xyz")
    assert entry.code == ""


@pytest.mark.parametrize(
    "hostile",
    [
        "",
        "   ",
        "P",
        "7",
        "P-000",
        "P-12345",
        "PQR-7",
        "P-7a",
        "<script>P-7</script>",
        "P-7; DROP TABLE ticket",
        "Ⅻ-7",
        "P\x00-7",
        "P-7" + " " * 400,
        "/kunjungan/short",
        "x" * 10_000,
    ],
)
def test_anything_that_is_not_a_ticket_is_refused_with_a_hint(hostile: str) -> None:
    with pytest.raises(InvalidField, match="such as P-007") as caught:
        parse_ticket_entry(hostile)
    assert caught.value.field == "ticket"


def test_a_value_that_is_not_text_is_refused() -> None:
    with pytest.raises(InvalidField):
        parse_ticket_entry(None)  # type: ignore[arg-type]
