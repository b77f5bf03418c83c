"""The walk-in front office: guest book visits, queue tickets, lockers, service clocks.

- `clocks`: the walk-in service clocks (library: from the guest book; consultation: from
  the previous visitor's service ending), pure functions (`ClockRule`, `clock_starts`,
  `level`, `is_breach`).
- `numbering`: queue numbers per service and day (`issue_ticket`, `ticket_code`).
- `queue`: the counters' actions on tickets (`call_next`, `recall`, `start_service` with its
  breach reason, `finish_service`, `skip_no_show`, `transfer`), race-free between counters.
- `queue_views`: the waiting-room board (`board_view`) and the staff console (`console_view`).
- `receipt`: the printed queue ticket, one 80 mm receipt page per ticket (`TicketPrint`,
  `render_ticket`, `render_tickets`).
- `ticket_text`: the ticket's words in Indonesian and English (`issued_at_lines`).

Other areas use only what this package exports.
"""

from library.frontoffice.clocks import ClockRule, Level, QueuePlace, clock_starts, is_breach, level, rule_of
from library.frontoffice.numbering import issue_ticket, ticket_code
from library.frontoffice.queue import (
    BreachReasonNeeded,
    NobodyWaiting,
    QueueError,
    QueueRef,
    call_next,
    finish_service,
    recall,
    skip_no_show,
    start_service,
    transfer,
)
from library.frontoffice.queue_views import (
    BoardCall,
    BoardService,
    BoardView,
    ConsoleTicket,
    ConsoleView,
    board_view,
    console_view,
    level_words,
    status_words,
)
from library.frontoffice.receipt import TicketPrint, render_ticket, render_tickets
from library.frontoffice.ticket_text import issued_at_lines

__all__ = [
    "BoardCall",
    "BoardService",
    "BoardView",
    "BreachReasonNeeded",
    "ClockRule",
    "ConsoleTicket",
    "ConsoleView",
    "Level",
    "NobodyWaiting",
    "QueueError",
    "QueuePlace",
    "QueueRef",
    "TicketPrint",
    "board_view",
    "call_next",
    "clock_starts",
    "console_view",
    "finish_service",
    "is_breach",
    "issue_ticket",
    "issued_at_lines",
    "level",
    "level_words",
    "recall",
    "render_ticket",
    "render_tickets",
    "rule_of",
    "skip_no_show",
    "start_service",
    "status_words",
    "ticket_code",
    "transfer",
]
