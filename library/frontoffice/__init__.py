"""The walk-in front office: guest book visits, queue tickets, lockers, service clocks.

- `clocks`: the walk-in service clocks (library: from the guest book; consultation: from
  the previous visitor's service ending), pure functions (`ClockRule`, `clock_starts`,
  `level`, `is_breach`).
- `numbering`: queue numbers per service and day (`issue_ticket`, `ticket_code`).
- `receipt`: the printed queue ticket, one 80 mm receipt page per ticket (`TicketPrint`,
  `render_ticket`, `render_tickets`).
- `ticket_text`: the ticket's words in Indonesian and English (`issued_at_lines`).
- `lockers`, `locker_desk`, `locker_admin`: lockers and the ID cards held for them
  (`check_give_locker`, `check_return_locker`, `check_depart`, `cards_held`, `front_desk`),
  the office's lockers as an administrator edits them (`check_add_lockers`, ...).

Other areas use only what this package exports.
"""

from library.frontoffice.clocks import ClockRule, Level, QueuePlace, clock_starts, is_breach, level, rule_of
from library.frontoffice.locker_admin import (
    LockerRow,
    LockersAdded,
    check_add_lockers,
    check_rename_locker,
    check_set_locker_active,
    do_add_demo_lockers,
    lockers_of,
)
from library.frontoffice.locker_desk import (
    FreeLocker,
    LockerDesk,
    TicketLine,
    VisitLine,
    front_desk,
    visit_for_ticket,
)
from library.frontoffice.lockers import (
    Departure,
    HeldCard,
    LockerConflict,
    cards_held,
    check_depart,
    check_give_locker,
    check_return_locker,
    clean_card_last4,
)
from library.frontoffice.numbering import issue_ticket, ticket_code
from library.frontoffice.receipt import TicketPrint, render_ticket, render_tickets
from library.frontoffice.ticket_text import issued_at_lines

__all__ = [
    "ClockRule",
    "Departure",
    "FreeLocker",
    "HeldCard",
    "LockerConflict",
    "LockerDesk",
    "LockerRow",
    "LockersAdded",
    "TicketLine",
    "VisitLine",
    "cards_held",
    "check_add_lockers",
    "check_depart",
    "check_give_locker",
    "check_rename_locker",
    "check_return_locker",
    "check_set_locker_active",
    "clean_card_last4",
    "do_add_demo_lockers",
    "front_desk",
    "lockers_of",
    "visit_for_ticket",
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
