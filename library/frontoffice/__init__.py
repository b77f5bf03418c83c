"""The walk-in front office: guest book visits, queue tickets, lockers, service clocks.

- `clocks`: the walk-in service clocks (library: from the guest book; consultation: from
  the previous visitor's service ending), pure functions (`ClockRule`, `clock_starts`,
  `level`, `is_breach`).
- `numbering`: queue numbers per service and day (`issue_ticket`, `ticket_code`).
- `receipt`: the printed queue ticket, one 80 mm receipt page per ticket (`TicketPrint`,
  `render_ticket`, `render_tickets`).
- `ticket_text`: the ticket's words in Indonesian and English (`issued_at_lines`).

Other areas use only what this package exports.
"""

from library.frontoffice.clocks import ClockRule, Level, QueuePlace, clock_starts, is_breach, level, rule_of
from library.frontoffice.numbering import issue_ticket, ticket_code
from library.frontoffice.receipt import TicketPrint, render_ticket, render_tickets
from library.frontoffice.ticket_text import issued_at_lines

__all__ = [
    "ClockRule",
    "Level",
    "QueuePlace",
    "TicketPrint",
    "clock_starts",
    "is_breach",
    "issue_ticket",
    "issued_at_lines",
    "level",
    "render_ticket",
    "render_tickets",
    "rule_of",
    "ticket_code",
]
