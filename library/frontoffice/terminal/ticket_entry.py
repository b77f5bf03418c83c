"""What a visitor types or scans at a library terminal to say which ticket is theirs.

People type their ticket's code the way it looks to them ("P-007", "p007", "P 7"); a scanner
reads the ticket's QR, which holds the visitor's status-page address (`…/kunjungan/<token>`);
and the ticket prints a terminal code ("K7QD-M2XA") for a terminal with no scanner. Each
becomes a `TicketEntry`: the code's letter and number, the visit's status token, or the
terminal code. The ticket's number is on the public board, so it names a ticket but proves
nothing; the status token and the terminal code (derived from it) are the ticket's secret.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

from library.errors import InvalidField
from library.i18n import N_

MAX_ENTRY = 300  # a status address is well under this; anything longer is not a ticket
_CODE = re.compile(r"([A-Z]{1,2})[\s\-._/#]*0*(\d{1,4})")
_STATUS_ADDRESS = re.compile(r"/kunjungan/([A-Za-z0-9_-]{8,64})/?(?:[?#].*)?")
_TERMINAL_CODE = re.compile(r"([A-Z2-7]{4})[\s\-.]*([A-Z2-7]{4})")
NOT_A_TICKET = N_("Type the code on your queue ticket, such as P-007, or scan its QR code.")


@dataclass(frozen=True)
class TicketEntry:
    """A ticket as typed (letter and number) or as scanned (the visit's status token)."""

    letter: str = ""
    number: int = 0
    status_token: str = ""
    terminal_code: str = ""  # "K7QD-M2XA", as `terminal_code` makes it

    @property
    def code(self) -> str:
        """Return the code as printed on tickets ("P-007"), or "" for a scanned entry."""
        return f"{self.letter}-{self.number:03d}" if self.letter else ""


def parse_ticket_entry(text: str) -> TicketEntry:
    """Return the ticket a visitor typed or scanned, or refuse what is not one."""
    if not isinstance(text, str) or len(text) > MAX_ENTRY:
        raise InvalidField("ticket", NOT_A_TICKET)
    entry = text.strip()
    scanned = _STATUS_ADDRESS.search(entry)
    if scanned:
        return TicketEntry(status_token=scanned.group(1))
    secret = _TERMINAL_CODE.fullmatch(entry.upper())
    if secret:
        return TicketEntry(terminal_code=f"{secret.group(1)}-{secret.group(2)}")
    typed = _CODE.fullmatch(entry.upper())
    if typed is None or int(typed.group(2)) == 0:
        raise InvalidField("ticket", NOT_A_TICKET)
    return TicketEntry(letter=typed.group(1), number=int(typed.group(2)))


def terminal_code(status_token: str) -> str:
    """Return the code a ticket prints for typing at a terminal: eight letters and digits from its secret."""
    digest = hashlib.sha256(f"terminal-code:{status_token}".encode()).digest()
    letters = base64.b32encode(digest[:5]).decode()  # 40 bits: A-Z and 2-7, no 0/1/8/9 to misread
    return f"{letters[:4]}-{letters[4:]}"
