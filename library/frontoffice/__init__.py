"""The walk-in front office: guest book visits, queue tickets, lockers, service clocks.

- `clocks`: the walk-in service clocks (library: from the guest book; consultation: from
  the previous visitor's service ending), pure functions (`ClockRule`, `clock_starts`,
  `level`, `is_breach`).
- `numbering`: queue numbers per service and day (`issue_ticket`, `ticket_code`).
- `receipt`: the printed queue ticket, one 80 mm receipt page per ticket (`TicketPrint`,
  `render_ticket`, `render_tickets`).
- `ticket_text`: the ticket's words in Indonesian and English (`issued_at_lines`).
- `terminals`: library terminals and visitors' reading sessions started with a ticket
  (`check_register_terminal`, `terminal_by_token`, `check_start_session`, `active_session`,
  `touch`, `end_session`); `ticket_entry`: the ticket as typed or scanned.

Other areas use only what this package exports.
"""

from library.frontoffice.clocks import ClockRule, Level, QueuePlace, clock_starts, is_breach, level, rule_of
from library.frontoffice.numbering import issue_ticket, ticket_code
from library.frontoffice.receipt import TicketPrint, render_ticket, render_tickets
from library.frontoffice.terminals import (
    SessionEnd,
    TerminalRow,
    Visitor,
    active_session,
    check_deactivate_terminal,
    check_register_terminal,
    check_start_session,
    end_session,
    list_terminals,
    mark_served,
    terminal_by_token,
    touch,
    visitor_of,
)
from library.frontoffice.ticket_entry import TicketEntry, parse_ticket_entry
from library.frontoffice.ticket_text import issued_at_lines

__all__ = [
    "ClockRule",
    "Level",
    "QueuePlace",
    "SessionEnd",
    "TerminalRow",
    "TicketEntry",
    "TicketPrint",
    "Visitor",
    "active_session",
    "check_deactivate_terminal",
    "check_register_terminal",
    "check_start_session",
    "clock_starts",
    "end_session",
    "is_breach",
    "issue_ticket",
    "issued_at_lines",
    "level",
    "list_terminals",
    "mark_served",
    "parse_ticket_entry",
    "render_ticket",
    "render_tickets",
    "rule_of",
    "terminal_by_token",
    "ticket_code",
    "touch",
    "visitor_of",
]
