"""The walk-in front office: guest book visits, queue tickets, lockers, service clocks.

- `receipt`: the printed queue ticket, one 80 mm receipt page per ticket (`TicketPrint`,
  `render_ticket`, `render_tickets`).
- `ticket_text`: the ticket's words in Indonesian and English (`issued_at_lines`).

Other areas use only what this package exports.
"""

from library.frontoffice.receipt import TicketPrint, render_ticket, render_tickets
from library.frontoffice.ticket_text import issued_at_lines

__all__ = ["TicketPrint", "issued_at_lines", "render_ticket", "render_tickets"]
