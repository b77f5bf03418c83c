"""The walk-in front office: guest book visits, queue tickets, lockers, service clocks.

Modules of this package:

- `guest_book`: a walk-in visitor signs the guest book and gets a ticket per service, the
  name and email kept as declared (`check_sign_guest_book`, `GuestBookEntry`, `start_form`,
  `guest_book_offer`); `identity` (and `identity_mail`, the emailed code): a visit joined to
  its address's account only with proof, the password at a terminal, an emailed one-time code
  or the ID card seen at the front office (`check_prove_by_password`, `check_send_visit_code`,
  `check_prove_by_code`, `check_confirm_id_card`, `stamped_name`); `categories`: the guest
  book's answers as BPS counts them (`SEXES`, `AGE_BANDS`, `EDUCATIONS`, `OCCUPATIONS`).
- `visit_status`: the visitor's own page by the secret in the ticket's QR (`visit_status`,
  `ticket_prints`): position, estimated wait, counter, the target in words.
- `receipt`: the printed queue ticket, one 80 mm receipt page per ticket (`TicketPrint`,
  `render_ticket`, `render_tickets`); `ticket_text`: its words in Indonesian and English.
- `report`: the walk-in service report per service and period (`service_report`).
- `closing`: what a visit left open closed with it (a terminal session's library service, the
  visit's sessions); `day_close`: the close of day (everything still open, closed with a reason).

Sub-packages:

- `queue`: `clocks` (the walk-in service clocks, pure functions: `ClockRule`, `clock_starts`,
  `level`, `is_breach`), `numbering` (`issue_ticket`, `ticket_code`), `actions` (the counters'
  actions: `call_next`, `recall`, `start_service` with its breach reason, `finish_service`,
  `skip_no_show`, `transfer`, race-free between counters), `counters` (counters opened and
  closed), `waits` (the estimate), `late_reasons`, `consultation_records` (what the consultant
  records of a walk-in consultation, `ticket_history`) and `read_models` (the waiting-room
  board, `board_view`, and the staff console, `console_view`); `priority` (the priority groups
  and the calling rule, pure), `next_up` (what "Call next" tries first), `priority_marks` (staff
  mark or unmark a ticket), `spoken` (the board's spoken call) and `supervision` (the
  supervisor's view of the counters, and closing one from there).
- `lockers`: `stock`, `desk` and `admin`: lockers and the ID cards held for them
  (`check_give_locker`, `check_return_locker`, `check_depart`, `cards_held`, `front_desk`,
  `check_hand_out_locker`), the office's lockers as an administrator edits them.
- `terminal`: `devices` (library terminals: `check_register_terminal`, `terminal_by_token`),
  `sessions` (visitors' reading sessions: `check_start_session`, `active_session`, `touch`,
  `end_session`, `finish_session`) and `ticket_entry` (the ticket as scanned, typed by its
  secret terminal code, or by its number: staff only).
- `voice`: the waiting-room board's spoken call: `phrases` (pure: a call as the clip names said,
  Indonesian and English, `spoken_call`, `clip_words`) and `clips` (the clips on disk, made once
  per host with espeak-ng, `build_clips`, or the office's own recordings, `clip_file`).
- `news`: what a visitor is told on their phone and browser, and when (`tell_queue_moved`,
  `tell_scan_ready`, `tell_survey`).
- `scans`: printed pages a librarian scans for a visitor: `uploads` (`check_submit_scan`,
  `retry_scan`), `copies` (stamped by a job on the interactive lane, recorded in the ledger:
  `run_visitor_scan`), `source_pdf` (the PDF it stamps, on A4), `read_models` (`scan_desk`,
  `scan_view`, `list_my_scans`), `mail`, `ingest` (`check_send_scan_to_ingest`) and `folder`
  (the hot folder's `pindai/`, by ticket code: `poll_scan_folder`).

Other areas use only what this package exports.
"""

from library.frontoffice.categories import AGE_BANDS, EDUCATIONS, OCCUPATIONS, SEXES, Category, category
from library.frontoffice.guest_book import (
    EntryInvalid,
    FormRefused,
    GuestBookEntry,
    GuestBookGuard,
    GuestBookOffer,
    RepeatedName,
    ServiceChoice,
    check_sign_guest_book,
    guest_book_offer,
    start_form,
)
from library.frontoffice.identity import (
    CODE_DIGITS,
    Joined,
    VisitCodeQueue,
    check_confirm_id_card,
    check_prove_by_code,
    check_prove_by_password,
    check_send_visit_code,
    check_set_visit_email,
    is_proven,
    stamped_name,
    visit_code,
)
from library.frontoffice.lockers.admin import (
    LockerRow,
    LockersAdded,
    check_add_lockers,
    check_rename_locker,
    check_set_locker_active,
    do_add_demo_lockers,
    lockers_of,
)
from library.frontoffice.lockers.desk import (
    FreeLocker,
    LockerDesk,
    LockerHandout,
    TicketLine,
    VisitLine,
    check_hand_out_locker,
    front_desk,
    visit_for_ticket,
)
from library.frontoffice.lockers.stock import (
    Departure,
    HeldCard,
    LockerConflict,
    cards_held,
    check_depart,
    check_give_locker,
    check_return_locker,
    clean_card_last4,
)
from library.frontoffice.news import Told, tell_queue_moved, tell_scan_ready, tell_survey
from library.frontoffice.queue.actions import (
    BreachReasonNeeded,
    NobodyWaiting,
    QueueError,
    QueueRef,
    call_next,
    check_close_counter,
    check_open_counter,
    finish_service,
    queue_day,
    recall,
    service_rule,
    skip_no_show,
    start_service,
    transfer,
)
from library.frontoffice.queue.board import BoardCall, BoardService, BoardView, board_view
from library.frontoffice.queue.clocks import (
    ClockRule,
    Level,
    QueuePlace,
    clock_starts,
    is_breach,
    level,
    rule_of,
)
from library.frontoffice.queue.consultation_records import (
    ConsultationNote,
    HistoryStep,
    TicketHistory,
    check_finish_consultation,
    check_record_consultation,
    check_save_consultation_record,
    records_of,
    ticket_history,
)
from library.frontoffice.queue.numbering import issue_ticket, ticket_code
from library.frontoffice.queue.read_models import (
    ConsoleTicket,
    ConsoleView,
    FinishedTicket,
    console_view,
    level_words,
    status_words,
)
from library.frontoffice.receipt import TicketPrint, render_ticket, render_tickets
from library.frontoffice.report import Breach, ServiceFigures, ServiceReport, service_report
from library.frontoffice.scans.copies import (
    ScanDownloadsSpent,
    ScanGrant,
    ScanLinkExpired,
    ScanWorker,
    check_scan_download,
    requeue_unstamped,
    run_visitor_scan,
)
from library.frontoffice.scans.folder import (
    ScanFolderEvent,
    ScanFolderSettings,
    poll_scan_folder,
    ticket_in_name,
)
from library.frontoffice.scans.ingest import check_send_scan_to_ingest
from library.frontoffice.scans.read_models import (
    LibrarianCopy,
    ScanDesk,
    ScanRow,
    ScanView,
    VisitChoice,
    find_publications,
    librarian_copy,
    list_my_scans,
    scan_desk,
    scan_view,
)
from library.frontoffice.scans.uploads import (
    ScanQueue,
    ScanTaken,
    ScanUpload,
    check_submit_scan,
    clean_title,
    parse_publication_ref,
    retry_scan,
)
from library.frontoffice.terminal.devices import (
    SessionEnd,
    TerminalRow,
    Visitor,
    active_session,
    check_deactivate_terminal,
    check_reactivate_terminal,
    check_register_terminal,
    check_start_session,
    end_session,
    list_terminals,
    mark_served,
    terminal_by_token,
    touch,
    visitor_of,
)
from library.frontoffice.terminal.sessions import finish_session
from library.frontoffice.terminal.ticket_entry import TicketEntry, parse_ticket_entry, terminal_code
from library.frontoffice.ticket_text import issued_at_lines
from library.frontoffice.visit_status import (
    TICKET_STATUSES,
    Target,
    TicketState,
    VisitStatus,
    ticket_prints,
    visit_status,
)

__all__ = [
    "Told",
    "tell_queue_moved",
    "tell_scan_ready",
    "tell_survey",
    "queue_day",
    "service_rule",
    "ConsultationNote",
    "FinishedTicket",
    "HistoryStep",
    "TicketHistory",
    "check_finish_consultation",
    "check_record_consultation",
    "check_save_consultation_record",
    "records_of",
    "ticket_history",
    "AGE_BANDS",
    "BoardCall",
    "Breach",
    "BoardService",
    "BoardView",
    "BreachReasonNeeded",
    "Category",
    "ClockRule",
    "ConsoleTicket",
    "ConsoleView",
    "Departure",
    "EDUCATIONS",
    "EntryInvalid",
    "FormRefused",
    "FreeLocker",
    "GuestBookEntry",
    "RepeatedName",
    "GuestBookGuard",
    "GuestBookOffer",
    "HeldCard",
    "Level",
    "LibrarianCopy",
    "LockerConflict",
    "LockerDesk",
    "LockerHandout",
    "LockerRow",
    "LockersAdded",
    "NobodyWaiting",
    "OCCUPATIONS",
    "QueueError",
    "QueuePlace",
    "QueueRef",
    "SEXES",
    "ScanDesk",
    "ScanDownloadsSpent",
    "ScanFolderEvent",
    "ScanFolderSettings",
    "ScanGrant",
    "ScanLinkExpired",
    "ScanQueue",
    "ScanRow",
    "ScanTaken",
    "ScanUpload",
    "ScanView",
    "ScanWorker",
    "ServiceChoice",
    "ServiceFigures",
    "ServiceReport",
    "SessionEnd",
    "TICKET_STATUSES",
    "Target",
    "TerminalRow",
    "TicketEntry",
    "TicketLine",
    "TicketPrint",
    "TicketState",
    "VisitChoice",
    "VisitLine",
    "VisitStatus",
    "Visitor",
    "VisitCodeQueue",
    "CODE_DIGITS",
    "Joined",
    "check_confirm_id_card",
    "check_set_visit_email",
    "check_prove_by_code",
    "check_prove_by_password",
    "check_send_visit_code",
    "is_proven",
    "stamped_name",
    "visit_code",
    "terminal_code",
    "active_session",
    "board_view",
    "call_next",
    "check_close_counter",
    "check_open_counter",
    "cards_held",
    "category",
    "check_add_lockers",
    "check_deactivate_terminal",
    "check_reactivate_terminal",
    "check_depart",
    "check_give_locker",
    "check_hand_out_locker",
    "check_register_terminal",
    "check_rename_locker",
    "check_return_locker",
    "check_scan_download",
    "check_send_scan_to_ingest",
    "check_set_locker_active",
    "check_sign_guest_book",
    "check_start_session",
    "check_submit_scan",
    "clean_card_last4",
    "clean_title",
    "clock_starts",
    "console_view",
    "do_add_demo_lockers",
    "end_session",
    "find_publications",
    "finish_service",
    "finish_session",
    "front_desk",
    "guest_book_offer",
    "is_breach",
    "issue_ticket",
    "issued_at_lines",
    "level",
    "level_words",
    "librarian_copy",
    "list_my_scans",
    "list_terminals",
    "lockers_of",
    "mark_served",
    "parse_publication_ref",
    "parse_ticket_entry",
    "poll_scan_folder",
    "recall",
    "render_ticket",
    "render_tickets",
    "requeue_unstamped",
    "retry_scan",
    "rule_of",
    "run_visitor_scan",
    "scan_desk",
    "scan_view",
    "service_report",
    "skip_no_show",
    "start_form",
    "start_service",
    "status_words",
    "terminal_by_token",
    "ticket_code",
    "ticket_in_name",
    "ticket_prints",
    "touch",
    "transfer",
    "visit_for_ticket",
    "visit_status",
    "visitor_of",
]
