"""Online statistical consultations: a user asks, a consultant clarifies and answers, then closes.

- `consultations`: the user opens a consultation and writes in its thread
  (`check_open_consultation`, `check_user_reply`, `own_consultation`).
- `desk`: consultants assign, write, ask for clarification, mark clear and complete (the
  working-day clock starts), answer (their message on a clear question is the answer) and
  close (the SKM survey is offered)
  (`check_assign`, `check_staff_message`: the desk's message as meant, `check_staff_send`,
  `check_staff_reply`, `check_mark_clear`, `check_close`).
- `read_models`: the user's list, one consultation, the desk sorted by deadline
  (`list_my_consultations`, `consultation_view`, `list_desk`, `list_consultants`).
- `silence`: the scheduled job that reminds a silent user, then closes by the office's rule
  (`close_silent`, `silence_rule`). `reopen`: the user reopens within the grace period
  (`check_reopen`, `reopen_until`). `helpful`: the user marks the answer helpful and closes
  the consultation themselves, which invites them to the SKM at once (`check_close_helpful`).
- `appointments`: follow-up appointments, proposed and answered (`check_propose_appointment`,
  `check_answer_appointment`), with their iCalendar file (`library.mail.calendar_files`).
- `topics`: the topics both channels suggest, and how reports group them (`suggested_topics`,
  `topic_key`).
- `mail`: the emails about consultations. `rules`: the office's settings and the links back.
- `channels`: a message received by email or WhatsApp opens a consultation or joins its thread
  (`take_inbound`, `set_aside`, `seen`). `outside`: answers and notices go back on the asker's
  channel, queued in the thread and sent by a job (`send_outside`, `record_status`).
  `recorded`: a consultant records one received by telephone or social media.
- `by_email`: the office's PST mailbox read over IMAP into `take_inbound`, automatic mail set
  aside, and the email channel's `OutsideSender` answering in the asker's thread.
"""
