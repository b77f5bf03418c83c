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
  `level`, `is_breach`), `numbering` (`issue_ticket`, `ticket_code`), `at_work` (the queue a
  console works, its day and clock rule, and the ticket in hand: `find_service`, `ticket_at_work`),
  `actions` (the counters' actions: `call_next`, `recall`, `start_service` with its breach reason,
  `finish_service`, `skip_no_show`, `transfer`, race-free between counters), `counters` (counters
  opened and closed), `waits` (the estimate), `late_reasons`, `consultation_records` (what the
  consultant records of a walk-in consultation, `ticket_history`) and `read_models` (the
  waiting-room board, `board_view`, and the staff console, `console_view`); `priority` (the
  priority groups and the calling rule, pure), `next_up` (what "Call next" tries first),
  `priority_marks` (staff mark or unmark a ticket) and
  `supervision` (the supervisor's view of the counters, and closing one from there).
- `lockers`: `stock`, `desk` and `admin`: lockers and the ID cards held for them
  (`check_give_locker`, `check_return_locker`, `check_depart`, `cards_held`, `front_desk`,
  `check_hand_out_locker`), the office's lockers as an administrator edits them.
- `terminal`: `devices` (library terminals: `check_register_terminal`, `terminal_by_token`),
  `sessions` (visitors' terminal sessions: `check_start_session`, `active_session`, `touch`,
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
"""
